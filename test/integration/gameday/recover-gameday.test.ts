/**
 * `mesh-exp recover <game-day dir>` through runCli on journals written as a killed game day leaves
 * them: killed before its first experiment started (every experiment "not run"), killed as an
 * experiment started but before its run journaled anything, a day whose process is still alive
 * (refused, exit 3, nothing written), one that ended on its own (nothing to recover), and a
 * corrupted journal (exit 2, file and line named).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGameDayJournal, readGameDayJournal, type PlannedExperiment } from '../../../src/gameday/journal.js';
import { readProcStat } from '../../../src/mesh/backends/proc-stat.js';
import { readDayReports } from '../../support/gameday.js';
import { cli } from '../../support/recover-in-process.js';

const PLANNED: PlannedExperiment[] = ['one', 'two', 'three'].map((name, index) => ({ index, name, source: `${name}.yaml`, continueOnFailure: false }));

/** A game-day directory whose journal has a start line (`pid`: the process it names) and `more`. */
async function killedDay(name: string, pid?: { pid: number; startTime: number }) {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), 'mesh-exp-gameday-recover-')), name);
  await mkdir(dir, { recursive: true });
  const journal = createGameDayJournal(dir, () => 1_700_000_000_000);
  await journal.append({ type: 'start', name, labels: {}, maxFailures: 0, experiments: PLANNED, ...(pid ?? {}) });
  return { dir, journal };
}

describe('mesh-exp recover <game-day dir>', () => {
  it('marks every experiment "not run" when the day died before its first one started', async () => {
    const { dir } = await killedDay('early');
    const run = cli(['recover', dir]);
    expect(await run.code, run.stderr()).toBe(0);
    const { result, schemaErrors, suites } = await readDayReports(dir);
    expect(schemaErrors).toBeNull();
    expect(result).toMatchObject({ partial: true, verdict: 'fail', failures: 3, exitCode: 1 });
    expect(result.experiments.map((e) => e.status)).toEqual(['not-run', 'not-run', 'not-run']);
    expect(suites.map((s) => s.skipped)).toEqual(['1', '1', '1']);
  });

  it('keeps an experiment that ended, and says the one that had journaled nothing changed nothing', async () => {
    const { dir, journal } = await killedDay('mid');
    await journal.append({ type: 'experiment-start', index: 0, runDir: '01-one' });
    await journal.append({ type: 'experiment-end', index: 0, result: { ...PLANNED[0]!, status: 'passed', outcome: 'passed', exitCode: 0, restored: true, summary: 'passed', startedAt: 1, endedAt: 2, runDir: '01-one' } });
    await journal.append({ type: 'experiment-start', index: 1, runDir: '02-two' });
    const run = cli(['recover', dir]);
    expect(await run.code, run.stderr()).toBe(0);
    const { result } = await readDayReports(dir);
    expect(result.experiments.map((e) => [e.status, e.runDir])).toEqual([['passed', '01-one'], ['error', '02-two'], ['not-run', undefined]]);
    expect(result.experiments[1]!.summary).toBe('the game day was killed while this experiment ran; recover: it had not journaled anything yet, so it changed nothing');
  });

  it('refuses a day whose process is still alive (exit 3) and writes nothing', async () => {
    const self = (await readProcStat('self'))!;
    const { dir } = await killedDay('alive', { pid: self.pid, startTime: self.startTime });
    const run = cli(['recover', dir]);
    expect(await run.code).toBe(3);
    expect(run.stderr()).toContain(`is still running (pid ${self.pid}): recover is for game days that died`);
    expect(existsSync(path.join(dir, 'result.json'))).toBe(false);
    expect((await readGameDayJournal(path.join(dir, 'gameday.jsonl'))).map((e) => e.type)).toEqual(['start']);
  });

  it('has nothing to do for a day that ended on its own', async () => {
    const { dir, journal } = await killedDay('ended');
    await journal.append({ type: 'end', verdict: 'pass', exitCode: 0 });
    const run = cli(['recover', dir]);
    expect(await run.code).toBe(0);
    expect(run.stdout()).toContain('nothing to recover');
    expect(run.stdout()).toContain('it ran to its end');
  });

  it('names the file and line of a corrupted journal (exit 2)', async () => {
    const { dir } = await killedDay('corrupt');
    await writeFile(path.join(dir, 'gameday.jsonl'), '{"type":"start","time":1,"name":"x","labels":{},"maxFailures":0,"experiments":[]}\n{"type":"nonsense","time":2}\n{"type":"end","time":3}\n');
    const run = cli(['recover', dir]);
    expect(await run.code).toBe(2);
    expect(run.stderr()).toContain(`${path.join(dir, 'gameday.jsonl')}:2 corrupted game-day journal`);
  });
});
