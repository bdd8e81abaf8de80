/**
 * Why a run refuses to start on a target another run holds, in words the user can act on.
 *
 * How runs find each other: a run that can be recovered (provider local-attach) marks the live
 * VirtualService (and the DestinationRule of its traffic.policy) with the annotation `mesh-exp.dev/journal: <absolute journal path>` from its claim
 * (right after the journal's snapshot) until its restore or release. The mark travels with the
 * object, so it works whatever report directory or machine the other run used; the journal it
 * names says whether that run still owes a restore.
 */
import path from 'node:path';
import { TargetBusyError } from '../errors.js';
import { pendingRelease, pendingRestore, readJournal } from './journal.js';

/** The run directory as the user should type it: relative to `cwd` when below it, else absolute. */
export function shownDir(dir: string, cwd: string): string {
  const rel = path.relative(cwd, dir);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : dir;
}

/** What the journal named by a mark says, in one sentence and one hint. */
async function describeOwner(owner: string, cwd: string): Promise<{ why: string; hint: string }> {
  const dir = shownDir(path.dirname(owner), cwd);
  const recover = `mesh-exp recover ${dir}`;
  let entries;
  try {
    entries = await readJournal(owner);
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    return {
      why: missing
        ? 'that journal does not exist here (the run ran on another machine, or its directory was removed)'
        : `that journal cannot be read: ${(err as Error).message}`,
      hint: `recover it where that journal is (\`mesh-exp recover <its run directory>\`); if that run is gone for good, remove the annotation mesh-exp.dev/journal from the object named above by hand (see "Recovering after a crash" in the README)`,
    };
  }
  if (pendingRestore(entries)) {
    return {
      why: `the run in ${dir} has not restored it: that run is still going, or it crashed`,
      hint: `if it is still going, wait for it to end; if it crashed (killed, power loss), put the VirtualService back first: ${recover}`,
    };
  }
  return {
    why: pendingRelease(entries)
      ? `the run in ${dir} promoted its canary but ended before removing its mark`
      : `the journal in ${dir} is complete, so the mark is stale`,
    hint: `${recover} removes the mark (and changes nothing else)`,
  };
}

/** A TargetBusyError with the holder described: run directory, state, and the recover command. */
export async function explainBusy(err: TargetBusyError, cwd: string): Promise<TargetBusyError> {
  if (!err.owner) return err;
  const { why, hint } = await describeOwner(err.owner, cwd);
  return new TargetBusyError(`refusing to start: ${err.message}; ${why}. Nothing was changed`, {
    owner: err.owner,
    hint,
    cause: err,
  });
}
