/**
 * The set-up the report browser tests share: run experiments in-process (the CLI on the local
 * mesh) into a temporary folder, launch Chromium once, and clean both up after the file's tests.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { RunResult } from '../../src/model/result.js';
import { runCliInProcess } from './cli.js';
import { launch, type requireBrowser } from './browser.js';

/** One finished run: its directory and result.json. */
export interface ReportRun {
  dir: string;
  result: RunResult;
}

/** What {@link useReportRuns} fills in before the tests run. */
export interface ReportRuns<K extends string> {
  browser: Browser;
  runs: Record<K, ReportRun>;
}

/**
 * Registers beforeAll/afterAll hooks that run each experiment of `files` (by name) with
 * `--no-progress`, expecting an exit code of `accept`, then launch Chromium.
 */
export function useReportRuns<K extends string>(
  found: NonNullable<Awaited<ReturnType<typeof requireBrowser>>> | undefined,
  files: Record<K, string>,
  accept: number[] = [0],
): ReportRuns<K> {
  const state = { runs: {} } as ReportRuns<K>;
  let root = '';
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'mesh-exp-browser-'));
    for (const [name, file] of Object.entries(files) as [K, string][]) {
      const dir = path.join(root, name);
      const { code, stderr } = await runCliInProcess(['run', file, '--report-dir', dir, '--no-progress']);
      expect(accept, stderr).toContain(code);
      state.runs[name] = { dir, result: JSON.parse(await readFile(path.join(dir, 'result.json'), 'utf8')) as RunResult };
    }
    state.browser = await launch(found!);
  }, 90_000);
  afterAll(async () => {
    await state.browser?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });
  return state;
}
