import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupMembers, parseProcStat, processStartTime, readProcStat } from './proc-stat.js';

/** A /proc/<pid>/stat line: fields 3.. after the comm; field 5 is the pgrp, field 22 the start time. */
const statLine = (pid: number, comm: string, state: string, pgid: number, start: number) =>
  `${pid} (${comm}) ${state} 1 ${pgid} ${pgid} 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 ${start} 1000 10 18446744073709551615\n`;

describe('parseProcStat', () => {
  it('reads state, pgid and start time (field 22), counting fields after the last ")"', () => {
    expect(parseProcStat(statLine(4242, 'node', 'S', 4242, 987654))).toEqual({ pid: 4242, state: 'S', pgid: 4242, startTime: 987654 });
  });

  it('is not fooled by spaces and parentheses in the command name', () => {
    expect(parseProcStat(statLine(7, 'a) b ) (c', 'Z', 3, 55))).toEqual({ pid: 7, state: 'Z', pgid: 3, startTime: 55 });
  });

  it('answers undefined for text that is not a stat line', () => {
    expect(parseProcStat('')).toBeUndefined();
    expect(parseProcStat('12 (x) S 1')).toBeUndefined();
  });
});

describe('reading /proc', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'mesh-exp-proc-'));
  const put = (pid: number, line: string) => {
    mkdirSync(path.join(root, String(pid)), { recursive: true });
    writeFileSync(path.join(root, String(pid), 'stat'), line);
  };
  put(100, statLine(100, 'echo-backend', 'S', 100, 5000));
  put(101, statLine(101, 'sh', 'S', 100, 5003));
  put(102, statLine(102, 'dead child', 'Z', 100, 5004));
  put(200, statLine(200, 'other', 'R', 200, 9000));
  mkdirSync(path.join(root, 'self'), { recursive: true });

  it('gives the start time of a live process, and none for a zombie or a missing pid', async () => {
    expect(await processStartTime(100, root)).toBe(5000);
    expect(await processStartTime(102, root)).toBeUndefined();
    expect(await processStartTime(999, root)).toBeUndefined();
  });

  it('lists the live members of a group (zombies left out)', async () => {
    expect((await groupMembers(100, root))!.map((m) => m.pid).sort()).toEqual([100, 101]);
    expect(await groupMembers(300, root)).toEqual([]);
    expect(await groupMembers(100, path.join(root, 'nope'))).toBeUndefined();
  });

  it.runIf(process.platform === 'linux')('reads this very process from the real /proc', async () => {
    const self = await readProcStat(process.pid);
    expect(self?.pid).toBe(process.pid);
    expect(self!.startTime).toBeGreaterThan(0);
    expect(await processStartTime(process.pid)).toBe(self!.startTime);
  });
});
