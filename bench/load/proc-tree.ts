/** Resident memory of a process and all its descendants, from /proc (Linux only). */
import { readdir, readFile } from 'node:fs/promises';

/** Parent pid of each live process. */
async function parents(): Promise<Map<number, number>> {
  const map = new Map<number, number>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    // The command name (field 2) may hold spaces or parentheses: fields restart after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (rest.length > 1) map.set(Number(name), Number(rest[1]));
  }
  return map;
}

/** Pids of `root` and every descendant. */
export async function descendants(root: number): Promise<number[]> {
  const map = await parents();
  const found = [root];
  for (let i = 0; i < found.length; i++) for (const [pid, ppid] of map) if (ppid === found[i]) found.push(pid);
  return found;
}

/** VmRSS of `pid`, KiB (0 once it is gone). */
async function rssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(status.match(/^VmRSS:\s+(\d+)/m)?.[1] ?? 0);
}

/** Sum of VmRSS over `root`'s process tree, KiB. */
export async function treeRssKiB(root: number): Promise<number> {
  const rss = await Promise.all((await descendants(root)).map(rssKiB));
  return rss.reduce((a, b) => a + b, 0);
}

/** Sockets in TIME_WAIT (state 06 in /proc/net/tcp and tcp6): each holds a local port for a minute. */
export async function timeWaitSockets(): Promise<number> {
  let n = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) if (line.trim().split(/\s+/)[3] === '06') n++;
  }
  return n;
}
