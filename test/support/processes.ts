/**
 * Checks on processes for the tests that start (or make mesh-exp start) backend processes:
 * whether a pid is alive (a zombie counts as gone: a dead orphan may stay one where PID 1 does
 * not reap), waiting until it is gone, and whether a port still listens.
 */
import { connect } from 'node:net';
import { readProcStat } from '../../src/mesh/backends/proc-stat.js';

/** Whether `pid` is a live process (not a zombie, where /proc tells). */
export async function pidAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = await readProcStat(pid);
  return stat === undefined ? process.platform !== 'linux' : stat.state !== 'Z';
}

/** Waits up to `ms` for `pid` to be gone; resolves whether it is. */
export async function waitGone(pid: number, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!(await pidAlive(pid))) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !(await pidAlive(pid));
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function portListens(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
