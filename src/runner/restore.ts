/**
 * Putting the mesh back: journal `restore-start`, restore from the snapshot, journal
 * `restore-done` (or `restore-failed`). A failure becomes a RestoreError (exit 4) whose hint
 * points at the journal, where the original object is.
 */
import { RestoreError } from '../errors.js';
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
  /** Why (rollback, SIGINT, error, complete), recorded in the journal. */
  reason: string;
  /** Attempts before giving up (a transient API error should not leave the mesh changed). @default 3 */
  attempts?: number;
}

/** Restores the snapshot; throws RestoreError when every attempt failed. */
export async function restoreMesh(options: RestoreOptions): Promise<void> {
  const { provider, snapshot, journal } = options;
  await journal.append({ type: 'restore-start', reason: options.reason });
  const attempts = options.attempts ?? 3;
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      await provider.restore(snapshot);
      await journal.append({ type: 'restore-done' });
      return;
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 100 * 2 ** i));
    }
  }
  const message = last instanceof Error ? last.message : String(last);
  await journal.append({ type: 'restore-failed', error: message }).catch(() => {});
  throw new RestoreError(`the mesh could not be restored after ${attempts} attempts: ${message}`, {
    cause: last,
    hint: `the original VirtualService is the "snapshot" entry of ${journal.path}; apply it by hand or run \`mesh-exp recover\``,
  });
}
