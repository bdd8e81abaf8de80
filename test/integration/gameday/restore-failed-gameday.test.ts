/**
 * A game day whose experiment could not be restored: the mesh it attached to goes away in the
 * middle of the second experiment (a fault), so that run's restore fails. The day must stop there
 * even though the entry says continueOnFailure (the next experiment would start from a state
 * nobody chose), skip the rest, and exit 4 — a failed restore outranks every other end.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { attachDayFor, readDayReports } from '../../support/gameday.js';
import { cli, useInProcessMesh, waitFor } from '../../support/recover-in-process.js';

const fx = useInProcessMesh();

describe('a game day whose experiment could not be restored', () => {
  it('stops there whatever continueOnFailure says, skips the rest and exits 4', async () => {
    const file = await attachDayFor(fx.mesh.adminUrl!);
    // Every entry may fail and the day goes on: only the failed restore may stop it.
    const text = (await readFile(file, 'utf8')).replaceAll('    - experiment:\n', '    - continueOnFailure: true\n      experiment:\n');
    await writeFile(file, text);
    const dir = path.join(fx.tmp, 'restore-failed-day');
    const run = cli(['run', file, '--report-dir', dir, '--no-progress']);
    await waitFor(() => {
      const err = run.stderr();
      const second = err.indexOf('experiment 2 of 3: day-fault');
      return second >= 0 && err.indexOf('step 1/1: applied', second) >= 0;
    }, 60_000);
    await fx.mesh.close();
    const code = await run.code;
    expect(code, run.stderr()).toBe(4);

    const { result, schemaErrors } = await readDayReports(dir);
    expect(schemaErrors).toBeNull();
    expect(result).toMatchObject({ verdict: 'fail', exitCode: 4 });
    expect(result.experiments.map((e) => [e.name, e.status, e.restored])).toEqual([
      ['day-canary', 'passed', true],
      ['day-fault', 'error', false],
      ['day-mirror', 'skipped', undefined],
    ]);
    expect(result.experiments[2]!.summary).toBe('skipped: experiment 2 (day-fault) could not be restored');
    expect(run.stdout() + run.stderr()).toMatch(/RESTORE FAILED/);
  }, 120_000);
});
