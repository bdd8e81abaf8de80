import { describe, expect, it } from 'vitest';
import { createArrivalBatches } from './arrival-batch.js';
import { bucketIndex } from './bucket-counts.js';
import type { Sample } from './types.js';

const sample = (over: Partial<Sample>): Sample => ({ time: 0, latencyMs: 5, status: 200, ...over });

describe('createArrivalBatches', () => {
  it('counts each version\'s answers, failures and latencies since the last take, then starts over', () => {
    const b = createArrivalBatches(['v1', 'v2']);
    b.record(sample({ version: 'v2', latencyMs: 5 }));
    b.record(sample({ version: 'v2', latencyMs: 5, status: 503 }));
    b.record(sample({ version: 'v2', latencyMs: 40, status: 200, error: 'reset' }));
    b.record(sample({ version: 'v1', latencyMs: 2 }));
    // Not attributable (no version header), another subset, a dropped send: none or only counts.
    b.record(sample({ latencyMs: 5000, status: 0, error: 'timeout' }));
    b.record(sample({ version: 'v3' }));
    b.record(sample({ version: 'v1', status: 0, error: 'dropped', latencyMs: 0 }));
    const first = b.take();
    const v2 = first.get('v2')!;
    expect([v2.requests, v2.errors, v2.latency.total]).toEqual([3, 2, 3]);
    // Sealed: ascending buckets of the recorder's layout, no pending values.
    expect(v2.latency.pending).toBeNull();
    expect([...v2.latency.index.slice(0, v2.latency.size)]).toEqual([bucketIndex(5000), bucketIndex(40_000)]);
    expect([...v2.latency.count.slice(0, v2.latency.size)]).toEqual([2, 1]);
    const v1 = first.get('v1')!;
    expect([v1.requests, v1.errors, v1.latency.total]).toEqual([2, 1, 1]);
    expect([...first.keys()]).toEqual(['v1', 'v2']);
    const second = b.take();
    expect([...second.values()].map((c) => [c.requests, c.errors, c.latency.total, c.latency.size])).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
  });
});
