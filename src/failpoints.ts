/**
 * Failpoints: a testing facility (like etcd's gofail) for crashing mesh-exp at an exact point of a
 * run, to prove that `mesh-exp recover` puts the mesh back whatever the moment of the crash.
 *
 *   MESH_EXP_FAILPOINT="<name>[:<n>][=<action>][,<more>...]"
 *
 * `<n>` is which hit of the point triggers (1-based; points inside steps are hit once per step, so
 * `before-apply:2` is step 2). Actions: `kill` (default) — the process sends itself SIGKILL, no
 * handler, no cleanup, exactly like a crash or `kill -9`; `sleep(<ms>)` — waits, then goes on (to
 * widen a window, e.g. to signal the process during a restore or while it reads its input). The variable is read from the
 * context's environment; unset, every point is a no-op. Not for production use.
 */
import { UsageError } from './errors.js';

/** Name of the environment variable. */
export const FAILPOINT_ENV = 'MESH_EXP_FAILPOINT';

/** Every failpoint, in the order a run passes them, with what has happened when it is hit. */
export const FAILPOINTS = {
  'after-read': 'an experiment file is read and checked; nothing is started (validate: once per file; plan, run)',
  'after-snapshot': 'the original is in the journal; nothing is changed',
  'before-claim': 'the claim is journaled; the ownership mark is not written yet',
  'after-claim': 'the object carries the run\'s mark; routes unchanged',
  'before-apply': 'a step\'s change is journaled, not yet written (once per step)',
  'after-apply': 'a step\'s change is written, not yet verified (once per step)',
  'after-verify': 'the mesh serves the step (once per step)',
  'mid-load': 'halfway through a step\'s load window (once per step)',
  'after-load': 'a step\'s load is over, not yet judged (once per step)',
  'before-promote': 'the promotion is journaled, not yet written',
  'after-promote': 'the promotion is written and verified; "promoted" not journaled',
  'after-promoted': '"promoted" is journaled; the ownership mark is not removed yet',
  'before-restore': 'the run decided to restore; "restore-start" not journaled',
  'after-restore-start': '"restore-start" is journaled; nothing restored yet',
  'mid-restore': 'the original is written back, not yet verified (attach mode)',
  'after-restore': 'the restore is verified; "restore-done" not journaled',
  'before-end': '"restore-done" (or the promotion) is journaled; "end" not',
  'after-end': '"end" is journaled; reports not written',
  'between-experiments': 'a game day\'s experiment ended (its run over, its end journaled in gameday.jsonl); the next not started (once per experiment)',
} as const;

/** A failpoint name. */
export type FailpointName = keyof typeof FAILPOINTS;

/** Called at each failpoint; resolves at once unless the point is armed with sleep (kill never resolves). */
export type Failpoint = (name: FailpointName) => Promise<void>;

/** One armed point. */
export interface FailpointSpec {
  /** The point. */
  name: FailpointName;
  /** Which hit triggers, 1-based. */
  hit: number;
  /** What happens. */
  action: { kind: 'kill' } | { kind: 'sleep'; ms: number };
}

const SPEC = /^([a-z-]+)(?::(\d+))?(?:=(kill|sleep\((\d+)\)))?$/;

/** Parses the variable's value; throws UsageError naming the bad part. */
export function parseFailpoints(text: string): FailpointSpec[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part) => {
      const m = SPEC.exec(part);
      const hint = `${FAILPOINT_ENV} is "<name>[:<n>][=kill|sleep(<ms>)]"; names: ${Object.keys(FAILPOINTS).join(', ')}`;
      if (!m) throw new UsageError(`${FAILPOINT_ENV}: cannot read "${part}"`, { hint });
      if (!(m[1]! in FAILPOINTS)) throw new UsageError(`${FAILPOINT_ENV}: no failpoint named "${m[1]}"`, { hint });
      const hit = m[2] === undefined ? 1 : Number(m[2]);
      if (hit < 1) throw new UsageError(`${FAILPOINT_ENV}: "${part}": hits count from 1`, { hint });
      return { name: m[1] as FailpointName, hit, action: m[4] !== undefined ? { kind: 'sleep', ms: Number(m[4]) } : { kind: 'kill' } };
    });
}

/** Options of {@link createFailpoint}. */
export interface FailpointOptions {
  /** The variable's value; undefined or empty = no failpoints. */
  spec: string | undefined;
  /** Ends the process at once (main(): SIGKILL to itself). Must not return. */
  kill: (name: FailpointName) => void;
  /** Where a triggered point says so (one line, before acting). */
  write: (line: string) => void;
}

/** Creates the failpoint function; a malformed spec throws its UsageError at the first point reached. */
export function createFailpoint(options: FailpointOptions): Failpoint {
  if (!options.spec?.trim()) return () => Promise.resolve();
  let specs: FailpointSpec[] = [];
  let error: UsageError | undefined;
  try {
    specs = parseFailpoints(options.spec);
  } catch (err) {
    error = err as UsageError;
  }
  const hits = new Map<FailpointName, number>();
  return async (name) => {
    if (error) throw error;
    const n = (hits.get(name) ?? 0) + 1;
    hits.set(name, n);
    for (const spec of specs) {
      if (spec.name !== name || spec.hit !== n) continue;
      if (spec.action.kind === 'sleep') {
        options.write(`failpoint ${name}:${n}: sleeping ${spec.action.ms} ms`);
        await new Promise((r) => setTimeout(r, (spec.action as { ms: number }).ms));
      } else {
        options.write(`failpoint ${name}:${n}: SIGKILL`);
        options.kill(name);
      }
    }
  };
}
