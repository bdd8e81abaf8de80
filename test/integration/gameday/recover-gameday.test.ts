/**
 * `mesh-exp recover <game-day dir>` through runCli on journals written as a killed game day leaves
 * them: killed before its first experiment started (every experiment "not run"), killed as an
 * experiment started but before its run journaled anything, a day whose process is still alive
 * (refused, exit 3, nothing written), one that ended on its own (nothing to recover), and a
 * corrupted journal (exit 2, file and line named). With no argument, recover finds killed days
 * under --report-dir as it finds killed runs (and the runs of a day that ended, should one still
 * owe a recover), newest first.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGameDayJournal, readGameDayJournal, type PlannedExperiment } from '../../../src/gameday/journal.js';
import { readProcStat } from '../../../src/mesh/backends/proc-stat.js';
import { createJournal, readJournal } from '../../../src/runner/journal.js';
import { readDayReports } from '../../support/gameday.js';
import { cli, TARGET } from '../../support/recover-in-process.js';

const PLANNED: PlannedExperiment[] = ['one', 'two', 'three'].map((name, index) => ({ index, name, source: `${name}.yaml`, continueOnFailure: false }));

/** A game-day directory (in a new temp dir, or in `at.root`) whose journal has a start line (`pid`: the process it names) at `at.time`. */
async function killedDay(name: string, pid?: { pid: number; startTime: number }, at: { root?: string; time?: number } = {}) {
  const dir = path.join(at.root ?? (await mkdtemp(path.join(tmpdir(), 'mesh-exp-gameday-recover-'))), name);
  await mkdir(dir, { recursive: true });
  const journal = createGameDayJournal(dir, () => at.time ?? 1_700_000_000_000);
  await journal.append({ type: 'start', name, labels: {}, maxFailures: 0, experiments: PLANNED, ...(pid ?? {}) });
  return { dir, journal };
}

/** A run directory inside `dayDir` killed after its first step, its mesh in-process (recover only marks it recovered). */
async function crashedRunIn(dayDir: string, runDir: string): Promise<string> {
  const dir = path.join(dayDir, runDir);
  await mkdir(dir, { recursive: true });
  const journal = createJournal({ dir });
  const original = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'default' }, spec: { hosts: ['reviews'], http: [] } };
  await journal.append({ type: 'snapshot', provider: 'local', target: TARGET, original: original as never });
  await journal.append({ type: 'apply', step: 0, state: { canaryWeight: 20 } });
  return dir;
}

describe('mesh-exp recover (no argument) under a report directory of game days', () => {
  it('recovers the newest first, a killed day as a killed run, naming the older ones; then nothing is left', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'mesh-exp-gameday-find-'));
    const older = await killedDay('older-day', undefined, { root, time: 1_700_000_000_000 });
    const newer = await killedDay('newer-day', undefined, { root, time: 1_700_000_100_000 });
    // A day that ended on its own, but one of its runs still owes a recover (a failed restore): newest of all.
    const ended = await killedDay('ended-day', undefined, { root, time: 1_700_000_200_000 });
    await ended.journal.append({ type: 'end', verdict: 'fail', exitCode: 4 });
    const nested = await crashedRunIn(ended.dir, '01-one');

    const first = cli(['recover', '--report-dir', root]);
    expect(await first.code, first.stderr()).toBe(0);
    expect(first.stdout()).toContain(`RECOVERED ${nested}`);
    expect(first.stderr()).toContain(`2 older unrecovered directories (recover each by name): ${newer.dir} (game day), ${older.dir} (game day)`);
    expect((await readJournal(path.join(nested, 'journal.jsonl'))).at(-1)).toMatchObject({ type: 'recovered' });
    expect(existsSync(path.join(newer.dir, 'result.json'))).toBe(false);

    const second = cli(['recover', '--report-dir', root]);
    expect(await second.code, second.stderr()).toBe(0);
    expect(second.stdout()).toContain(`RECOVERED ${newer.dir}: the game day was killed`);
    expect(second.stdout()).toContain('PARTIAL REPORT of the game day');
    expect(second.stderr()).toContain(`1 older unrecovered directory (recover each by name): ${older.dir} (game day)`);
    const { result, schemaErrors } = await readDayReports(newer.dir);
    expect(schemaErrors).toBeNull();
    expect(result).toMatchObject({ name: 'newer-day', partial: true });
    expect(existsSync(path.join(older.dir, 'result.json'))).toBe(false);

    const third = cli(['recover', '--report-dir', root]);
    expect(await third.code, third.stderr()).toBe(0);
    expect(third.stdout()).toContain(`RECOVERED ${older.dir}`);
    expect((await readGameDayJournal(path.join(older.dir, 'gameday.jsonl'))).at(-1)).toMatchObject({ type: 'recovered' });

    const last = cli(['recover', '--report-dir', root]);
    expect(await last.code).toBe(0);
    expect(last.stdout()).toBe(`nothing to recover: no run directory under ${root} has an unrecovered journal\n`);
  });

  it('takes --report-dir naming a game day\'s directory itself', async () => {
    const { dir } = await killedDay('named-as-report-dir');
    const run = cli(['recover', '--report-dir', dir]);
    expect(await run.code, run.stderr()).toBe(0);
    expect(run.stdout()).toContain(`RECOVERED ${dir}`);
    expect(existsSync(path.join(dir, 'index.html'))).toBe(true);
  });
});

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
