import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStartTime } from '../mesh/backends/proc-stat.js';
import { pidAlive as alive } from '../../test/support/processes.js';
import { createJournal, pendingChildren, readJournal, type Journal } from './journal.js';
import { liveRunProcess, stopJournaledChildren } from './recover-children.js';

const logger = { debug() {}, info() {}, warn() {}, error() {} };

/** A live process leading its own group, as a command backend is. */
function startSleeper() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
  return { pid: child.pid!, exited: new Promise<void>((r) => child.on('exit', () => r())) };
}

describe.runIf(process.platform === 'linux')('recover stops the journaled processes, never a reused pid', () => {
  let dir: string;
  let journal: Journal;
  const record = (pid: number, startTime: number | null) => ({ type: 'child' as const, pid, pgid: pid, startTime, command: ['node', 'backend.mjs'], label: `reviews-v2-${pid}` });
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-children-'));
    journal = createJournal({ dir });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('a pid whose start time differs from the journaled one is another process: left alone', async () => {
    const other = startSleeper();
    try {
      const start = await processStartTime(other.pid);
      await journal.append(record(other.pid, start! - 1));
      const [outcome] = await stopJournaledChildren(await readJournal(journal.path), { journal, logger, graceMs: 500 });
      expect(outcome).toEqual({ pid: other.pid, status: 'reused', message: `pid ${other.pid} is now another process (backend reviews-v2-${other.pid} is gone); left alone` });
      expect(await alive(other.pid)).toBe(true);
    } finally {
      process.kill(-other.pid, 'SIGKILL');
      await other.exited;
    }
  });

  it('a pid with the journaled start time is the run\'s: its group is stopped; one already gone is said so; child-exit closes each', async () => {
    const mine = startSleeper();
    const gone = startSleeper();
    await journal.append(record(mine.pid, (await processStartTime(mine.pid))!));
    await journal.append(record(gone.pid, (await processStartTime(gone.pid))!));
    process.kill(-gone.pid, 'SIGKILL');
    await gone.exited;
    const outcomes = await stopJournaledChildren(await readJournal(journal.path), { journal, logger, graceMs: 500 });
    expect(outcomes).toEqual([
      { pid: mine.pid, status: 'stopped', message: `stopped backend reviews-v2-${mine.pid} (pid ${mine.pid})` },
      { pid: gone.pid, status: 'gone', message: `backend reviews-v2-${gone.pid} (pid ${gone.pid}) had already exited` },
    ]);
    await mine.exited;
    expect(await alive(mine.pid)).toBe(false);
    expect(pendingChildren(await readJournal(journal.path))).toEqual([]);
    expect(await stopJournaledChildren(await readJournal(journal.path), { journal, logger })).toEqual([]);
  });

  it('tells a run whose own process still lives (same pid and start time, no end journaled) from a dead one', async () => {
    const self = (await processStartTime(process.pid))!;
    const own = (startTime: number) => [{ type: 'process' as const, time: 1, pid: process.pid, startTime }];
    expect(await liveRunProcess(own(self))).toBe(process.pid);
    expect(await liveRunProcess(own(self - 1))).toBeUndefined();
    expect(await liveRunProcess([...own(self), { type: 'end', time: 2, outcome: 'passed', restored: true }])).toBeUndefined();
    expect(await liveRunProcess([])).toBeUndefined();
  });
});
