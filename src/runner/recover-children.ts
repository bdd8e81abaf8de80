/**
 * Recover's part for processes: stopping the backend processes a crashed run journaled and never
 * saw gone. A pid is only signalled while it still has the start time the journal recorded (from
 * /proc/<pid>/stat): a pid the system gave to another process since is left alone. When the
 * journaled leader is gone but members of its process group live on, they are stopped too: a
 * process group id is not handed out again while the group has members, so they are the run's.
 */
import type { Logger } from '../context.js';
import { groupMembers, processStartTime, readProcStat } from '../mesh/backends/proc-stat.js';
import { stopGroup } from '../mesh/backends/process-group.js';
import { pendingChildren, type Journal, type JournalEntry } from './journal.js';

/** What happened to one journaled process. */
export interface ChildOutcome {
  /** The journaled pid. */
  pid: number;
  /** "stopped", "gone" (had exited), "reused" (the pid is another process now) or "unverifiable" (no /proc). */
  status: 'stopped' | 'gone' | 'reused' | 'unverifiable';
  /** One line for the user. */
  message: string;
}

type ChildEntry = Extract<JournalEntry, { type: 'child' }>;

/** Decides and does what one journaled process needs. */
async function recoverChild(child: ChildEntry, graceMs: number): Promise<ChildOutcome> {
  const { pid, pgid, label } = child;
  const name = `backend ${label} (pid ${pid})`;
  const leader = await readProcStat(pid);
  if (leader && leader.state !== 'Z') {
    if (child.startTime === null) {
      return { pid, status: 'unverifiable', message: `${name} was journaled without a start time (no /proc where it ran), so pid ${pid} cannot be told apart from a reused one; left alone: if it is still that backend, stop it with \`kill -TERM -- -${pgid}\`` };
    }
    if (leader.startTime !== child.startTime) return { pid, status: 'reused', message: `pid ${pid} is now another process (backend ${label} is gone); left alone` };
    const how = await stopGroup(pgid, { graceMs });
    return { pid, status: 'stopped', message: `stopped ${name}${how === 'killed' ? ' with SIGKILL (it ignored SIGTERM)' : how === 'survived' ? ', but its group survived SIGKILL' : ''}` };
  }
  const members = await groupMembers(pgid);
  if (members === undefined) {
    return { pid, status: 'unverifiable', message: `${name}: there is no /proc here to check it; left alone: if it still runs, stop it with \`kill -TERM -- -${pgid}\`` };
  }
  // Processes the backend started itself, still in its group after it died.
  const ours = members.filter((m) => child.startTime === null || m.startTime >= child.startTime);
  if (ours.length === 0) return { pid, status: 'gone', message: `${name} had already exited` };
  await stopGroup(pgid, { graceMs });
  return { pid, status: 'stopped', message: `stopped what ${name} left running (${ours.length} process${ours.length > 1 ? 'es' : ''} of its group ${pgid})` };
}

/** Options of {@link stopJournaledChildren}. */
export interface StopChildrenOptions {
  /** The run's journal, where `child-exit` is appended for each process dealt with. */
  journal: Journal;
  /** Told each outcome as it happens. */
  logger: Logger;
  /** SIGTERM grace before SIGKILL, ms. @default 3000 */
  graceMs?: number;
}

/** Stops every process the journal says may still run; journals a `child-exit` for each. */
export async function stopJournaledChildren(entries: readonly JournalEntry[], options: StopChildrenOptions): Promise<ChildOutcome[]> {
  const outcomes: ChildOutcome[] = [];
  for (const child of pendingChildren(entries)) {
    const outcome = await recoverChild(child, options.graceMs ?? 3000);
    options.logger.info(`recover: ${outcome.message}`);
    // Every case closes the entry: the process is stopped, gone, or no longer this run's to stop.
    await options.journal.append({ type: 'child-exit', pid: child.pid, how: `recover: ${outcome.status}` });
    outcomes.push(outcome);
  }
  return outcomes;
}

/**
 * The pid of the run's own process when it is still alive (same pid, same start time) and has not
 * journaled its end; undefined otherwise. A live run stops its own backends: recover must not.
 */
export async function liveRunProcess(entries: readonly JournalEntry[]): Promise<number | undefined> {
  if (entries.some((e) => e.type === 'end')) return undefined;
  const own = entries.find((e): e is Extract<JournalEntry, { type: 'process' }> => e.type === 'process');
  if (!own) return undefined;
  return (await processStartTime(own.pid)) === own.startTime ? own.pid : undefined;
}
