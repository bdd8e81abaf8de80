/**
 * `mesh-exp recover` adds the run it finishes to the history: a real run (the CLI as a child
 * process) SIGKILLed by a failpoint after its first step, recovered, then listed as partial.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyEntrySchema } from '../../../src/history/entry-schema.js';
import { runCliInProcess } from '../../support/cli.js';
import { buildCli, spawnCli } from '../../support/recover-harness.js';
import { writeShortCanary } from '../../support/short-canary.js';

let tmp = '';
beforeAll(async () => {
  buildCli();
  tmp = await mkdtemp(path.join(tmpdir(), 'mesh-exp-history-recover-'));
}, 180_000);
afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('recover and the history', () => {
  it('appends the killed run as partial, without latency buckets; history marks it', async () => {
    const experiment = await writeShortCanary(tmp, (t) => t, 'name: canary-short');
    const reports = path.join(tmp, 'reports');
    await mkdir(reports);
    const runDir = path.join(reports, 'killed');
    const exit = await spawnCli(['run', experiment, '--report-dir', runDir, '--no-progress'], { env: { MESH_EXP_FAILPOINT: 'before-apply:2' } }).exit;
    expect(exit.signal, exit.stderr).toBe('SIGKILL');
    const index = path.join(reports, 'index.jsonl');
    await expect(readFile(index, 'utf8')).rejects.toThrow(/ENOENT/);
    const recovered = await runCliInProcess(['recover', runDir]);
    expect(recovered.code, recovered.stderr).toBe(0);
    const lines = (await readFile(index, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    const entry = historyEntrySchema.parse(JSON.parse(lines[0]!));
    expect(entry).toMatchObject({ runDir: 'killed', experiment: 'canary-short', partial: true, steps: 1, exitCode: 137 });
    expect(entry.latency).toBeUndefined();
    expect(entry.lastStep!.canary.count).toBeGreaterThan(0);
    // A second recover finds nothing to do and adds nothing.
    await runCliInProcess(['recover', runDir]);
    expect((await readFile(index, 'utf8')).trim().split('\n')).toHaveLength(1);
    const listed = await runCliInProcess(['history', '--reports', reports]);
    expect(listed.stdout).toMatch(/interrupted \(partial\)/);
  }, 120_000);
});
