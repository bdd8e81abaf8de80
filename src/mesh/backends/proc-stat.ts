/**
 * Who a pid is, from Linux's /proc/<pid>/stat: its start time (field 22, clock ticks since boot),
 * its process group (field 5) and its state (field 3). A pid plus its start time names one process
 * for good: a pid reused by a later process has another start time. That is how `mesh-exp
 * recover` tells the backend a crashed run started from whatever holds its pid today. Elsewhere
 * than Linux (no /proc) every read answers undefined, and callers must then leave the pid alone.
 */
import { readdir, readFile } from 'node:fs/promises';

/** The fields of /proc/<pid>/stat we use. */
export interface ProcStat {
  /** Process id. */
  pid: number;
  /** State letter: "R", "S", "D", "Z" (zombie: dead, not reaped yet), ... */
  state: string;
  /** Process group id. */
  pgid: number;
  /** Start time, clock ticks since boot (field 22). */
  startTime: number;
}

/**
 * Parses the text of /proc/<pid>/stat; undefined when it is not one. The command name (field 2)
 * is in parentheses and may itself hold spaces and parentheses, so the fields are counted from
 * the last ")".
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  // After ")": field 3 (state) onwards, so field n is at index n - 3.
  const rest = text.slice(close + 1).trim().split(/\s+/);
  const state = rest[0];
  const pgid = Number(rest[5 - 3]);
  const startTime = Number(rest[22 - 3]);
  if (!Number.isInteger(pid) || state === undefined || !Number.isInteger(pgid) || !Number.isInteger(startTime)) return undefined;
  return { pid, state, pgid, startTime };
}

/** /proc/<pid>/stat of a process ("self": this one), or undefined when there is no such process (or no /proc). */
export async function readProcStat(pid: number | 'self', procRoot = '/proc'): Promise<ProcStat | undefined> {
  const text = await readFile(`${procRoot}/${pid}/stat`, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : parseProcStat(text);
}

/** Start time of a live process (clock ticks since boot); undefined when it is gone, a zombie, or /proc is absent. */
export async function processStartTime(pid: number, procRoot = '/proc'): Promise<number | undefined> {
  const stat = await readProcStat(pid, procRoot);
  return stat && stat.state !== 'Z' ? stat.startTime : undefined;
}

/**
 * The live (not zombie) processes of a process group, from a scan of /proc; undefined when /proc
 * cannot be read (not Linux). A dead orphan may stay a zombie when nothing reaps it (a container
 * whose PID 1 does not): it is counted as gone.
 */
export async function groupMembers(pgid: number, procRoot = '/proc'): Promise<ProcStat[] | undefined> {
  const names = await readdir(procRoot).catch(() => undefined);
  if (!names) return undefined;
  const stats = await Promise.all(names.filter((n) => /^\d+$/.test(n)).map((n) => readProcStat(Number(n), procRoot)));
  return stats.filter((s): s is ProcStat => s !== undefined && s.pgid === pgid && s.state !== 'Z');
}
