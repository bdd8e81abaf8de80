/**
 * The start of a run, up to the first change: the run directory, the journal's snapshot (the
 * original object and how to reach it, fsync'd), and — for providers whose target outlives this
 * process — the claim that marks the object as this run's. A claim lost to another run is a
 * TargetBusyError (exit 5, nothing changed); a claim that failed otherwise may have landed, so the
 * original is put back before the error is thrown.
 */
import type { Context } from '../context.js';
import { TargetBusyError } from '../errors.js';
import type { TrafficSnapshot } from '../traffic/types.js';
import type { Journal } from './journal.js';
import { explainBusy } from './refusal.js';
import { restoreMesh } from './restore.js';
import type { RunFilesOpener } from './run-files.js';
import type { RunSetup } from './run-setup.js';
import type { RunnableExperiment } from './types.js';

/** What a started run has. */
export interface StartedRun {
  /** Absolute run directory. */
  runDir: string;
  /** The run's journal. */
  journal: Journal;
  /** The original state (with the claim's owner, when the provider claimed). */
  snapshot: TrafficSnapshot;
}

/** Opens the run directory and journal (if a backend process did not already), snapshots the target and claims it. */
export async function startRun(loaded: RunnableExperiment, ctx: Context, setup: RunSetup, files: RunFilesOpener): Promise<StartedRun> {
  const { experiment } = loaded;
  // The journal keeps every target field but the provider, which the snapshot line names itself.
  const { provider: _provider, ...journalTarget } = experiment.spec.target;
  const { runDir, journal } = await files.open();
  const { provider } = setup;
  const snapshot = await provider.snapshot();
  await journal.append({
    type: 'snapshot',
    provider: snapshot.provider,
    ...(snapshot.endpoint !== undefined ? { endpoint: snapshot.endpoint } : {}),
    target: journalTarget,
    original: snapshot.original,
    ...(snapshot.policyOriginal ? { policyOriginal: snapshot.policyOriginal } : {}),
  });
  await ctx.failpoint('after-snapshot');
  if (!provider.claim) return { runDir, journal, snapshot };

  await journal.append({ type: 'claim', owner: journal.path });
  await ctx.failpoint('before-claim');
  const owned: TrafficSnapshot = { ...snapshot, owner: journal.path };
  try {
    await provider.claim(journal.path);
  } catch (err) {
    if (err instanceof TargetBusyError) {
      await journal.append({ type: 'claim-failed', error: err.message });
      await journal.append({ type: 'end', outcome: 'refused', restored: true });
      throw await explainBusy(err, ctx.cwd);
    }
    // The write may have landed before the error: restore (a no-op when the object is the original).
    await restoreMesh({ provider, snapshot: owned, journal, reason: 'error', failpoint: ctx.failpoint });
    await journal.append({ type: 'end', outcome: 'error', restored: true });
    throw err;
  }
  await ctx.failpoint('after-claim');
  return { runDir, journal, snapshot: owned };
}
