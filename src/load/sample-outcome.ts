/**
 * What one sample counts as, in one place for every reader of samples (the recorder, the
 * sequential tests' per-second batches): whether it failed, and the latency it contributes.
 */
import type { Sample } from './types.js';

/** A sample failed when no response came (status 0), the status is 5xx, or the response was cut short (`error` set). */
export function sampleFailed(sample: Sample): boolean {
  return sample.status === 0 || sample.status >= 500 || sample.error !== undefined;
}

/** The latency (ms, ≥ 0) a sample contributes; undefined for a dropped one, which was never sent. */
export function sampleLatencyMs(sample: Sample): number | undefined {
  if (sample.error === 'dropped') return undefined;
  return sample.latencyMs > 0 ? sample.latencyMs : 0;
}
