/** Runs the vegeta generator until a number of samples came in, then aborts it, noting every process group it had. */
import type { LoadPlan } from '../../src/load/types.js';
import { createVegetaGenerator } from '../../src/load/vegeta/vegeta-generator.js';

/** What an aborted vegeta run left. */
export interface AbortedVegetaRun {
  /** Wall time from start to the run's end, ms. */
  elapsedMs: number;
  /** Every process group tracked while samples came in. */
  seen: Set<number>;
  /** The groups still tracked after the run (should be none). */
  tracked: Set<number>;
}

/** Whether no process of group `pgid` is left. */
export function groupGone(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Runs `plan` with the vegeta generator and aborts at the `afterSamples`-th sample. */
export async function runVegetaUntilAbort(plan: LoadPlan, afterSamples: number): Promise<AbortedVegetaRun> {
  const tracked = new Set<number>();
  const seen = new Set<number>();
  const controller = new AbortController();
  let n = 0;
  const t0 = performance.now();
  await createVegetaGenerator({ processGroups: tracked }).run(plan, () => {
    for (const g of tracked) seen.add(g);
    if (++n === afterSamples) controller.abort();
  }, controller.signal);
  return { elapsedMs: performance.now() - t0, seen, tracked };
}
