/**
 * Recover's part for cluster objects: deleting what a crashed run's distributed load created
 * (ConfigMaps, Jobs, TestRuns) and never saw deleted. The journal names each object BEFORE its
 * create, so a journaled object may never have been created: "gone" then. An object is deleted
 * only while it carries this run's ownership mark (the journal's path); one without it — another
 * run's, or the user's, under the same name — is left alone. Deletes propagate (Background), so a
 * Job's pods go with it.
 */
import type { Logger } from '../context.js';
import { UsageError } from '../errors.js';
import { createClusterObjects, type ClusterObjects } from '../kube/cluster-objects.js';
import { loadKubeConfig } from '../kube/kubeconfig.js';
import { markOf } from '../traffic/ownership.js';
import { pendingClusterObjects, type Journal, type JournalEntry } from './journal.js';

/** What happened to one journaled object. */
export interface ClusterObjectOutcome {
  /** "Job load/mx-canary-x-1". */
  object: string;
  /** "deleted", "gone" (never created or already deleted) or "foreign" (not this run's: left alone). */
  status: 'deleted' | 'gone' | 'foreign';
}

/** Deletes the journal's pending cluster objects that carry its mark; journals each deletion. */
export async function deleteJournaledObjects(entries: readonly JournalEntry[], options: { journal: Journal; objects: () => Promise<ClusterObjects>; logger: Logger }): Promise<ClusterObjectOutcome[]> {
  const pending = pendingClusterObjects(entries);
  if (!pending.length) return [];
  const objects = await options.objects();
  const out: ClusterObjectOutcome[] = [];
  for (const { type: _type, time: _time, owner, ...ref } of pending) {
    const object = `${ref.kind} ${ref.namespace}/${ref.name}`;
    const live = await objects.read(ref);
    if (live && markOf(live) !== owner) {
      options.logger.warn(`recover: ${object} does not carry this run's mark (${markOf(live) ?? 'no mark'}); left alone`);
      // Journaled all the same: recover acts once, and the object is not this run's to delete.
      await options.journal.append({ type: 'cluster-object-deleted', ...ref, how: 'not this run\'s: left alone' });
      out.push({ object, status: 'foreign' });
      continue;
    }
    const deleted = live ? await objects.delete(ref) : false;
    await options.journal.append({ type: 'cluster-object-deleted', ...ref, how: deleted ? 'recover' : 'gone' });
    options.logger.info(`recover: ${deleted ? 'deleted' : 'already gone:'} ${object}`);
    out.push({ object, status: deleted ? 'deleted' : 'gone' });
  }
  return out;
}

/** The cluster client of the journal's run: the kubeconfig must point at the server the run used (`expectedServer`). */
export async function journaledCluster(kube: { kubeconfig?: string; context?: string; env: Readonly<Record<string, string | undefined>>; cwd: string }, expectedServer: string | undefined): Promise<ClusterObjects> {
  const loaded = await loadKubeConfig(kube);
  if (expectedServer !== undefined && loaded.server !== expectedServer) {
    throw new UsageError(`the kubeconfig's context "${loaded.context}" points at ${loaded.server}, but the run created its load objects at ${expectedServer}`, {
      hint: 'pick the context of that cluster with --context (and --kubeconfig)',
    });
  }
  return createClusterObjects(loaded.kubeConfig);
}
