/**
 * Which objects of a desired configuration the mesh takes (pure), like Envoy ACKing or NACKing
 * a push, but per object: the desired set as a whole when it checks clean; otherwise each changed
 * object (added, modified or deleted) on its own on top of what is accepted, repeated until
 * nothing more can be taken — so a VirtualService naming a subset its DestinationRule adds later is
 * taken once the DestinationRule is, whatever order they arrive in. An object that cannot be taken
 * keeps its last accepted state (or stays absent, or stays present when its deletion would break
 * another object) and is reported with the problems its change causes.
 */
import type { Problem } from '../../errors.js';

/** Inputs of {@link reconcile}. */
export interface ReconcileInput<T> {
  /** What is in force, by key; it checks clean. */
  accepted: ReadonlyMap<string, T>;
  /** What the source holds, by key. */
  desired: ReadonlyMap<string, T>;
  /** Whether two states of one object are the same (no change). */
  equal(a: T, b: T): boolean;
  /** The errors of a candidate configuration (empty: it would be accepted). */
  check(candidate: ReadonlyMap<string, T>): Problem[];
  /** Order in which changed keys are tried (e.g. DestinationRules first). @default key order of `desired`, then deletions */
  order?: (a: string, b: string) => number;
}

/** What {@link reconcile} decided. */
export interface ReconcileResult<T> {
  /** The new configuration to put in force (it checks clean). */
  accepted: Map<string, T>;
  /** Keys whose desired state could not be taken, with the problems it causes. */
  rejected: Map<string, Problem[]>;
  /** Whether `accepted` differs from the input's. */
  changed: boolean;
  /** How many candidate configurations were checked. */
  checks: number;
}

/** Decides the new accepted configuration (see the file comment). */
export function reconcile<T>(input: ReconcileInput<T>): ReconcileResult<T> {
  const { accepted, desired, equal } = input;
  const pending = [...desired.keys()].filter((k) => !accepted.has(k) || !equal(accepted.get(k)!, desired.get(k)!));
  pending.push(...[...accepted.keys()].filter((k) => !desired.has(k)));
  if (input.order) pending.sort(input.order);
  let checks = 0;
  if (pending.length === 0) return { accepted: new Map(accepted), rejected: new Map(), changed: false, checks };
  checks++;
  if (input.check(desired).length === 0) return { accepted: new Map(desired), rejected: new Map(), changed: true, checks };

  const next = new Map(accepted);
  const rejected = new Map<string, Problem[]>();
  let took = 0;
  let progress = true;
  while (progress && pending.length) {
    progress = false;
    for (let i = 0; i < pending.length; i++) {
      const key = pending[i]!;
      const candidate = new Map(next);
      const want = desired.get(key);
      if (want === undefined) candidate.delete(key);
      else candidate.set(key, want);
      checks++;
      const problems = input.check(candidate);
      if (problems.length) {
        rejected.set(key, problems);
        continue;
      }
      next.clear();
      for (const [k, v] of candidate) next.set(k, v);
      rejected.delete(key);
      pending.splice(i--, 1);
      took++;
      progress = true;
    }
  }
  return { accepted: next, rejected, changed: took > 0, checks };
}
