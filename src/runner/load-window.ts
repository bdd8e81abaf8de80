/**
 * One step's measurement window: drive load (or, for live traffic, just wait) for the step,
 * feeding samples to a recorder and ticking the progress view. Ends early, at once, when the
 * signal aborts (the generator stops sending and cancels what is in flight).
 */
import type { LoadGenerator, LoadPlan, LoadSummary, Sample } from '../load/types.js';
import { sleep } from './abort.js';

/** Options of {@link runLoadWindow}. */
export interface LoadWindowOptions {
  /** Generator; undefined = live traffic, only wait. */
  generator: LoadGenerator | undefined;
  /** Load plan of the step. */
  plan: LoadPlan;
  /** Length of the window, ms; the window also lasts until the load is done. */
  durationMs: number;
  /** Stops everything at once. */
  signal: AbortSignal;
  /** Receives every sample. */
  onSample(sample: Sample): void;
  /** Called every `tickMs` while the window runs. */
  onTick(): void;
  /** @default 250 */
  tickMs?: number;
}

/**
 * Runs the window; rejects only when the generator fails (not on abort), and then at once.
 * Resolves with the generator's summary (undefined for live traffic).
 */
export async function runLoadWindow(options: LoadWindowOptions): Promise<LoadSummary | undefined> {
  const timer = setInterval(options.onTick, options.tickMs ?? 250);
  // Ends the wait when the load fails: a pending step-long timer would otherwise keep the process
  // alive for the rest of the step after the run has ended (an hour for interval: 1h).
  const failed = new AbortController();
  try {
    const load = options.generator ? options.generator.run(options.plan, options.onSample, options.signal) : Promise.resolve(undefined);
    const [summary] = await Promise.all([load.catch((err: unknown) => (failed.abort(), Promise.reject(err))), sleep(options.durationMs, AbortSignal.any([options.signal, failed.signal]))]);
    return summary;
  } finally {
    clearInterval(timer);
    options.onTick();
  }
}
