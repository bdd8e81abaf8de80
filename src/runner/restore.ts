/**
 * Putting the mesh back: journal `restore-start`, restore from the snapshot, read the object back
 * and check it deep-equals the snapshot's original, journal `restore-done` (or `restore-failed`).
 * Restoring is idempotent (an object already equal to the original is left alone), so a retry, a
 * second Ctrl-C or a later `mesh-exp recover` is always safe. A failure becomes a RestoreError
 * (exit 4) whose hint points at the journal, where the original object is.
 */
import { isDeepStrictEqual } from 'node:util';
import { RestoreError, RuntimeError } from '../errors.js';
import type { Failpoint } from '../failpoints.js';
import { diffVirtualService } from '../traffic/diff.js';
import type { TrafficProvider, TrafficSnapshot } from '../traffic/types.js';
import type { Journal } from './journal.js';

/** Options of {@link restoreMesh}. */
export interface RestoreOptions {
  /** Provider that made the changes. */
  provider: TrafficProvider;
  /** What to put back. */
  snapshot: TrafficSnapshot;
  /** The run's journal. */
  journal: Journal;
  /** Why (rollback, SIGINT, error, complete, recover), recorded in the journal. */
  reason: string;
  /** Attempts before giving up (a transient API error should not leave the mesh changed). @default 3 */
  attempts?: number;
  /** Crash points (`after-restore-start`, `after-restore`). @default none */
  failpoint?: Failpoint;
}

/**
 * Reads the object back; throws when it is not restored: in the provider's own terms when it
 * restores only the managed parts (`checkRestored`), else when it is not exactly the original.
 */
async function verifyRestored(provider: TrafficProvider, snapshot: TrafficSnapshot): Promise<void> {
  if (provider.checkRestored) {
    const problem = await provider.checkRestored(snapshot);
    if (problem !== undefined) throw new RuntimeError(`the ${snapshot.original.kind} read back after the restore: ${problem}`);
    return;
  }
  const served = await provider.current();
  if (isDeepStrictEqual(served, snapshot.original)) return;
  const diff = diffVirtualService(snapshot.original, served, { beforeLabel: 'original (journal)', afterLabel: 'served after restore', context: 1 });
  throw new RuntimeError(`the ${snapshot.original.kind} read back after the restore differs from the original:\n${diff.trimEnd()}`);
}

/** Restores the snapshot and verifies it; throws RestoreError when every attempt failed. */
export async function restoreMesh(options: RestoreOptions): Promise<void> {
  const { provider, snapshot, journal } = options;
  const failpoint = options.failpoint ?? (() => Promise.resolve());
  await journal.append({ type: 'restore-start', reason: options.reason });
  await failpoint('after-restore-start');
  const attempts = options.attempts ?? 3;
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      await provider.restore(snapshot);
      await verifyRestored(provider, snapshot);
      await failpoint('after-restore');
      await journal.append({ type: 'restore-done' });
      return;
    } catch (err) {
      last = err;
      if (i < attempts - 1) await new Promise((r) => setTimeout(r, 100 * 2 ** i));
    }
  }
  const message = last instanceof Error ? last.message : String(last);
  await journal.append({ type: 'restore-failed', error: message }).catch(() => {});
  throw new RestoreError(`the mesh could not be restored after ${attempts} attempts: ${message}`, {
    cause: last,
    hint: `the original ${snapshot.original.kind} is the "snapshot" entry of ${journal.path}; run \`mesh-exp recover\` on that run directory, or apply it by hand`,
  });
}
