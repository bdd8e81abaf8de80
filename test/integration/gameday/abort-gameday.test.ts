/**
 * A game day stopped by a signal (the context's abort signal, as main() aborts it on Ctrl-C) in
 * the middle of its second experiment, against a live mesh (local.attach), so the restore is seen
 * on the mesh itself: the experiment in hand is restored (the VirtualService equals the original
 * again), the rest is skipped, the combined reports say so, and the day exits 130 like a run.
 */
import { isDeepStrictEqual } from 'node:util';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SignalError } from '../../../src/errors.js';
import { readJournal } from '../../../src/runner/journal.js';
import { attachDayFor, readDayReports } from '../../support/gameday.js';
import { cli, useInProcessMesh, waitFor } from '../../support/recover-in-process.js';

const fx = useInProcessMesh();

describe('a game day stopped by a signal mid-experiment', () => {
  it('restores the experiment in hand, skips the rest, writes the reports and exits 130', async () => {
    const day = await attachDayFor(fx.mesh.adminUrl!);
    const dir = path.join(fx.tmp, 'aborted-day');
    const controller = new AbortController();
    const run = cli(['run', day, '--report-dir', dir, '--no-progress'], { signal: controller.signal });
    // Into the second experiment: its fault is applied (the mesh is changed).
    await waitFor(() => {
      const text = run.stderr();
      const second = text.indexOf('experiment 2 of 3: day-fault');
      return second >= 0 && text.indexOf('step 1/1: applied', second) >= 0;
    }, 60_000);
    const changed = fx.mesh.getVirtualService('default', 'reviews');
    expect(isDeepStrictEqual(changed, fx.original), 'the fault should be in force before the signal').toBe(false);
    controller.abort(new SignalError('SIGINT'));
    const code = await run.code;
    expect(code, run.stderr()).toBe(130);
    expect(fx.mesh.getVirtualService('default', 'reviews')).toEqual(fx.original);

    const { result, schemaErrors, suites, html } = await readDayReports(dir);
    expect(schemaErrors).toBeNull();
    expect(result).toMatchObject({ verdict: 'fail', exitCode: 130, failures: 2 });
    expect(result.experiments.map((e) => [e.name, e.status, e.exitCode, e.restored])).toEqual([
      ['day-canary', 'passed', 0, true],
      ['day-fault', 'interrupted', 130, true],
      ['day-mirror', 'skipped', undefined, undefined],
    ]);
    expect(result.experiments[2]!.summary).toBe('skipped: the game day was stopped by a signal');
    expect(result.experiments[2]!.runDir).toBeUndefined();
    // The second run's own journal: restored and verified after the signal.
    const journal = await readJournal(path.join(dir, result.experiments[1]!.runDir!, 'journal.jsonl'));
    expect(journal.map((e) => e.type)).toEqual(expect.arrayContaining(['restore-start', 'restore-done']));
    expect(journal.find((e) => e.type === 'restore-start')).toMatchObject({ reason: 'interrupted' });
    expect(suites.map((s) => s.name)).toEqual(['day-canary', 'day-fault', 'day-mirror']);
    expect(suites[2]!.skipped).toBe('1');
    expect(html).toContain('SKIPPED');
  }, 90_000);
});
