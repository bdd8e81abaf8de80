/**
 * Per-version counts of the responses that arrived since the last `take`: requests, failures and
 * latencies in the recorder's buckets (`bucket-counts.ts`), for tests fed once a second
 * (analysis.mode: sequential).
 *
 * Why by arrival, not by the recorder's per-second cells: those are keyed by the send time, so a
 * slow answer lands in a second that may already have been fed to a test. A batch of what arrived
 * is final when taken, and no answer is left out. Grouping answers by arrival time depends on
 * their latency, but the same way for both versions, so under "both versions behave the same"
 * which version served each answer of a batch is still a random draw: the tests' per-second null
 * law holds (src/analysis/sequential/README.md).
 */
import { toMicros } from './latency-histogram.js';
import { createBucketCounts, recordMicros, sealCounts, type BucketCounts } from './bucket-counts.js';
import { sampleFailed, sampleLatencyMs } from './sample-outcome.js';
import type { Sample } from './types.js';

/** One version's answers in one batch. */
export interface ArrivalCounts {
  /** Answers attributed to the version (its version header). */
  requests: number;
  /** Of which failed. */
  errors: number;
  /** Their latencies, sealed (ascending buckets): `LatencyBuckets` of the sequential tests as they are. */
  latency: BucketCounts;
}

/** Batches of the answers of some versions. */
export interface ArrivalBatches {
  /** Counts a sample if its version is one of the batch's; others are ignored (no version header, other subsets). */
  record(sample: Sample): void;
  /** The counts since the last take, per version (every version present, zero when silent); starts a new batch. */
  take(): Map<string, ArrivalCounts>;
}

/** Creates the batches of `versions`. */
export function createArrivalBatches(versions: readonly string[]): ArrivalBatches {
  const fresh = () => new Map(versions.map((v): [string, ArrivalCounts] => [v, { requests: 0, errors: 0, latency: createBucketCounts() }]));
  let current = fresh();
  return {
    record(sample) {
      const c = sample.version === undefined ? undefined : current.get(sample.version);
      if (!c) return;
      c.requests++;
      if (sampleFailed(sample)) c.errors++;
      const ms = sampleLatencyMs(sample);
      if (ms !== undefined) recordMicros(c.latency, toMicros(ms));
    },
    take() {
      const out = current;
      current = fresh();
      for (const c of out.values()) sealCounts(c.latency);
      return out;
    },
  };
}
