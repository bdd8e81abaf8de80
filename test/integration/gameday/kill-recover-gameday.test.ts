/**
 * A game day killed outright (SIGKILL at a failpoint, as a crash or `kill -9`) in the middle of
 * its second experiment, run as a child process against a live mesh (local.attach) in this
 * process. `mesh-exp recover` (no argument: it finds the killed day under the report directory)
 * then recovers the experiment that was in flight (its run's journal: the mesh restored and
 * verified), writes the combined reports marked partial (the first experiment as it ended, the
 * second an error, the third "not run"), and a second recover has nothing to do.
 */
import { readFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGameDayJournal } from '../../../src/gameday/journal.js';
import { readJournal } from '../../../src/runner/journal.js';
import { attachDayFor, readDayReports } from '../../support/gameday.js';
import { buildCli, spawnCli } from '../../support/recover-harness.js';
import { cli, useInProcessMesh } from '../../support/recover-in-process.js';

const fx = useInProcessMesh();

describe('a game day killed mid-experiment, then recovered', () => {
  it('recover restores the experiment in flight and writes the partial combined report; again: nothing to do', async () => {
    buildCli();
    const day = await attachDayFor(fx.mesh.adminUrl!);
    const dir = path.join(fx.tmp, 'killed-day');
    // The canary has two steps (mid-load 1 and 2): the third mid-load is the fault's, the second experiment.
    const killed = await spawnCli(['run', day, '--report-dir', dir, '--no-progress'], { env: { MESH_EXP_FAILPOINT: 'mid-load:3' } }).exit;
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    expect(killed.stderr).toContain('experiment 2 of 3: day-fault');
    const left = fx.mesh.getVirtualService('default', 'reviews');
    expect(isDeepStrictEqual(left, fx.original), 'the killed day left its fault in the mesh').toBe(false);
    const before = await readGameDayJournal(path.join(dir, 'gameday.jsonl'));
    expect(before.map((e) => e.type)).toEqual(['start', 'experiment-start', 'experiment-end', 'experiment-start']);

    // No argument: recover finds the killed day under the report directory as it finds a killed run.
    const recover = cli(['recover', '--report-dir', path.dirname(dir)]);
    expect(await recover.code, recover.stderr()).toBe(0);
    expect(recover.stdout()).toContain(`RECOVERED ${dir}: the game day was killed`);
    expect(recover.stdout()).toContain('RECOVERED');
    expect(recover.stdout()).toContain('PARTIAL REPORT of the game day');
    expect(fx.mesh.getVirtualService('default', 'reviews')).toEqual(fx.original);

    const { result, schemaErrors, suites, html, markdown } = await readDayReports(dir);
    expect(schemaErrors).toBeNull();
    expect(result).toMatchObject({ partial: true, verdict: 'fail', failures: 2 });
    expect(result.experiments.map((e) => [e.name, e.status])).toEqual([
      ['day-canary', 'passed'],
      ['day-fault', 'error'],
      ['day-mirror', 'not-run'],
    ]);
    expect(result.experiments[1]!.summary).toMatch(/^the game day was killed while this experiment ran; recover: .*restored .* to the original \(verified\)/);
    const runJournal = await readJournal(path.join(dir, result.experiments[1]!.runDir!, 'journal.jsonl'));
    expect(runJournal.at(-1)).toMatchObject({ type: 'restore-done' });
    expect(suites.map((s) => [s.name, s.errors, s.skipped])).toEqual([
      ['day-canary', '0', '0'],
      ['day-fault', '1', '0'],
      ['day-mirror', '0', '1'],
    ]);
    expect(html).toContain('PARTIAL REPORT');
    expect(html).toContain('NOT RUN');
    expect(markdown).toContain('(partial report)');
    expect((await readGameDayJournal(path.join(dir, 'gameday.jsonl'))).at(-1)).toMatchObject({ type: 'recovered' });

    const written = await readFile(path.join(dir, 'result.json'), 'utf8');
    // By name the second time: there is nothing left to do.
    const again = cli(['recover', dir]);
    expect(await again.code).toBe(0);
    expect(again.stdout()).toContain('nothing to recover');
    expect(again.stdout()).toContain('it was recovered already');
    expect(await readFile(path.join(dir, 'result.json'), 'utf8')).toBe(written);
  }, 180_000);
});
