/**
 * Real runs for the history tests: the short canary run twice through the CLI in-process (into
 * `reports/` under a temporary working directory, the second with --report-dir under it) and a
 * renamed copy once, so the index holds two runs of one experiment and one of another.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { runCliInProcess } from './cli.js';
import { writeShortCanary } from './short-canary.js';

/** What {@link useHistoryRuns} fills in before the tests run. */
export interface HistoryRuns {
  /** The temporary working directory (reports/ is under it). */
  cwd: string;
}

/** Registers beforeAll/afterAll hooks running the three runs in a fresh working directory. */
export function useHistoryRuns(): HistoryRuns {
  const state = { cwd: '' };
  beforeAll(async () => {
    state.cwd = await mkdtemp(path.join(tmpdir(), 'mesh-exp-history-'));
    const canary = await writeShortCanary(state.cwd, (t) => t, 'name: canary-short');
    const otherDir = path.join(state.cwd, 'other');
    await mkdir(otherDir);
    const other = await writeShortCanary(otherDir, (t) => t.replace('name: canary-short', 'name: other-short'), 'name: other-short');
    for (const argv of [[canary], [canary, '--report-dir', 'reports/second'], [other]]) {
      const { code, stderr } = await runCliInProcess(['run', ...argv, '--no-progress'], state.cwd);
      expect(code, stderr).toBe(0);
    }
  }, 120_000);
  afterAll(async () => {
    if (state.cwd) await rm(state.cwd, { recursive: true, force: true });
  });
  return state;
}
