/**
 * Checks on processes for the tests that start (or make mesh-exp start) backend processes:
 * whether a pid is alive (a zombie counts as gone: a dead orphan may stay one where PID 1 does
 * not reap), waiting until it is gone, and whether a port still listens.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';
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

/**
 * Process groups of the processes holding a listening TCP socket on `port` (any address), from
 * /proc/net/tcp{,6} and each process's fds; undefined where /proc cannot tell (then assume the worst).
 * A freed port is soon taken again by whatever else runs on the machine: who holds it is what says
 * whether a run's backend outlived it.
 */
export async function listenerGroups(port: number): Promise<number[] | undefined> {
  const inodes = new Set<string>();
  try {
    for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
      const text = await readFile(file, 'utf8').catch(() => '');
      for (const line of text.split('\n').slice(1)) {
        const f = line.trim().split(/\s+/);
        // local_address is "ADDR:PORT" in hex; state 0A is LISTEN; field 9 is the socket's inode.
        if (f.length > 9 && f[3] === '0A' && parseInt(f[1]!.split(':')[1]!, 16) === port) inodes.add(f[9]!);
      }
    }
    // Nobody listens (any more): no holder.
    if (inodes.size === 0) return [];
    const groups = new Set<number>();
    for (const pid of (await readdir('/proc')).filter((n) => /^\d+$/.test(n))) {
      const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
      for (const fd of fds) {
        const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode === undefined || !inodes.has(inode)) continue;
        const pgid = (await readProcStat(Number(pid)))?.pgid;
        if (pgid !== undefined) groups.add(pgid);
      }
    }
    // A listener whose process cannot be read: unknown.
    return groups.size === 0 ? undefined : [...groups];
  } catch {
    return undefined;
  }
}
