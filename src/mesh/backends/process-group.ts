/**
 * Process groups of the processes the mesh starts (command backends, each the leader of its own
 * group): stopping a whole group (SIGTERM, then SIGKILL after a grace period), from the process
 * that started it or from a later `mesh-exp recover`, and what a run records of each process so
 * that the latter can find it again without ever signalling a pid that was reused.
 */
// Only to signal process groups; nothing else of `process` is used.
import { kill } from 'node:process';
import { groupMembers } from './proc-stat.js';

/** A process the mesh started, as the run journals it. */
export interface ChildRecord {
  /** Process id. */
  pid: number;
  /** Its process group (the pid itself: each command backend leads its own group). */
  pgid: number;
  /** Start time from /proc/<pid>/stat (clock ticks since boot); null where there is no /proc. */
  startTime: number | null;
  /** The command's argv. */
  command: string[];
  /** Backend name for messages, e.g. "reviews-v2-0". */
  label: string;
  /** The port it was told to listen on ($PORT). @default absent */
  port?: number;
}

/**
 * Told about every process the mesh starts (before the mesh relies on it) and about each one once
 * its whole group is gone, so a run can journal both. A `started` that throws stops the process.
 */
export interface ChildObserver {
  /**
   * The process group was just created: called synchronously right after the spawn, before
   * anything awaits, so that it can be found (and killed) from its first moment. @default none
   */
  spawned?(pgid: number): void;
  /** The process was just spawned (not yet ready). */
  started(child: ChildRecord): Promise<void>;
  /** The process and every member of its group are gone. */
  reaped(child: ChildRecord): Promise<void>;
}

/**
 * An observer that keeps `groups` (the context's `processGroups`) up to date, then tells `inner`:
 * a group is in the set from its spawn until it is reaped.
 */
export function trackGroups(groups: Set<number>, inner?: ChildObserver): ChildObserver {
  return {
    spawned(pgid) {
      groups.add(pgid);
      inner?.spawned?.(pgid);
    },
    started: async (child) => inner?.started(child),
    async reaped(child) {
      groups.delete(child.pgid);
      await inner?.reaped(child);
    },
  };
}

/** Sends `signal` (0: only checks) to the group; false when it has no member left (ESRCH). */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    kill(-pgid, signal);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the group has a live member (zombies do not count, where /proc tells them apart). */
export async function groupAlive(pgid: number): Promise<boolean> {
  const members = await groupMembers(pgid);
  return members ? members.length > 0 : signalGroup(pgid, 0);
}

/** Options of {@link stopGroup}. */
export interface StopGroupOptions {
  /** How long the group has to exit after SIGTERM before SIGKILL, ms. @default 3000 */
  graceMs?: number;
  /** Interval of the checks, ms. @default 50 */
  pollMs?: number;
}

/** How {@link stopGroup} ended. */
export type StopOutcome = 'already-gone' | 'terminated' | 'killed' | 'survived';

async function waitGone(pgid: number, ms: number, pollMs: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (!(await groupAlive(pgid))) return true;
    if (Date.now() >= end) return false;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** SIGTERM to the group, SIGKILL to whatever is left after the grace period; resolves once it is gone. */
export async function stopGroup(pgid: number, options: StopGroupOptions = {}): Promise<StopOutcome> {
  const pollMs = options.pollMs ?? 50;
  if (!(await groupAlive(pgid))) return 'already-gone';
  signalGroup(pgid, 'SIGTERM');
  if (await waitGone(pgid, options.graceMs ?? 3000, pollMs)) return 'terminated';
  signalGroup(pgid, 'SIGKILL');
  // SIGKILL cannot be caught; only an uninterruptible sleep (D state) delays it.
  return (await waitGone(pgid, 2000, pollMs)) ? 'killed' : 'survived';
}
