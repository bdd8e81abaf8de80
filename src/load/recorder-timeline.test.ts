import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../seeded-random.js';
import type { TimelinePoint } from '../model/timeline.js';
import { createTotalHistogram, percentileMs, toMicros } from './latency-histogram.js';
import { createSampleRecorder } from './recorder.js';
import type { Sample } from './types.js';

const T0 = 1_700_000_000_000;

/** Random samples over `seconds`: three versions, no version, fault aborts, 503s, timeouts, drops; in arrival order. */
function samples(seed: number, seconds: number, perSecond: number): Sample[] {
  const r = createSeededRandom(seed);
  const out: { arrives: number; s: Sample }[] = [];
  for (let i = 0; i < seconds * perSecond; i++) {
    const time = T0 + 333 + Math.floor(r() * seconds * 1000);
    const roll = r();
    const latencyMs = (roll < 0.5 ? 4 : 9) * Math.exp(0.7 * (r() + r() + r() - 1.5));
    let s: Sample;
    if (roll < 0.01) s = { time, latencyMs: 0, status: 0, error: 'dropped' };
    else if (roll < 0.02) s = { time, latencyMs: 2000 + r() * 3000, status: 0, error: 'timeout' };
    else if (roll < 0.025) s = { time, latencyMs: 0.3, status: 503, meshReply: 'fault-abort' };
    else s = { time, latencyMs, status: r() < 0.02 ? 503 : 200, version: roll < 0.55 ? 'v1' : roll < 0.95 ? 'v2' : 'v3' };
    // Each sample reaches the recorder when it is answered: long ones land in windows sealed by then.
    out.push({ arrives: time + s.latencyMs, s });
  }
  return out.sort((a, b) => a.arrives - b.arrives).map((x) => x.s);
}

/** The straightforward computation: raw samples grouped by bucket and version, one HDR histogram each. */
function reference(all: readonly Sample[], bucketMs: number): TimelinePoint[] {
  const groups = new Map<number, Map<string, Sample[]>>();
  for (const s of all) {
    const b = Math.floor(s.time / bucketMs) * bucketMs;
    const version = s.version ?? (s.meshReply === 'fault-abort' ? 'mesh:fault-abort' : 'unknown');
    if (!groups.has(b)) groups.set(b, new Map());
    const byVersion = groups.get(b)!;
    if (!byVersion.has(version)) byVersion.set(version, []);
    byVersion.get(version)!.push(s);
  }
  const order = ['v1', 'v2', 'v3', 'mesh:fault-abort', 'unknown'];
  const pointOf = (time: number, version: string, xs: readonly Sample[]): TimelinePoint => {
    const h = createTotalHistogram();
    for (const s of xs) if (s.error !== 'dropped') h.recordValue(toMicros(s.latencyMs));
    const pct = (p: number) => (h.totalCount === 0 ? null : percentileMs(h, p));
    const errors = xs.filter((s) => s.status === 0 || s.status >= 500 || s.error !== undefined).length;
    const point = { time, version, count: xs.length, errors, p50: pct(50), p95: pct(95), p99: pct(99) };
    h.destroy();
    return point;
  };
  return [...groups.keys()].sort((a, b) => a - b).flatMap((b) => {
    const byVersion = groups.get(b)!;
    const present = order.filter((v) => byVersion.has(v));
    return [...present.map((v) => pointOf(b, v, byVersion.get(v)!)), pointOf(b, 'all', [...byVersion.values()].flat())];
  });
}

describe('timeline against a reference computation', () => {
  it('equals per-window and per-bucket HDR histograms of the raw samples, before and after more samples land', () => {
    const all = samples(42, 120, 300);
    const half = all.length / 2;
    const rec = createSampleRecorder();
    all.slice(0, half).forEach((s) => rec.record(s));
    for (const bucketMs of [5000, 30_000, 1000]) expect(rec.timeline({ bucketMs })).toEqual(reference(all.slice(0, half), bucketMs));
    // The second half lands in windows already computed (and cached) and in new ones.
    all.slice(half).forEach((s) => rec.record(s));
    expect(rec.timeline()).toEqual(reference(all, 1000));
    for (const bucketMs of [2000, 60_000, 1000]) expect(rec.timeline({ bucketMs })).toEqual(reference(all, bucketMs));
    expect(rec.timeline()).toHaveLength(reference(all, 1000).length);
    rec.close();
  });

  it('gives "all" and every version nulls in a window of drops only, and rejects a bucket that is not whole windows', () => {
    const rec = createSampleRecorder({ windowMs: 500 });
    rec.record({ time: T0, latencyMs: 0, status: 0, error: 'dropped' });
    expect(rec.timeline({ bucketMs: 1000 })).toEqual([
      { time: T0, version: 'unknown', count: 1, errors: 1, p50: null, p95: null, p99: null },
      { time: T0, version: 'all', count: 1, errors: 1, p50: null, p95: null, p99: null },
    ]);
    expect(() => rec.timeline({ bucketMs: 750 })).toThrow(RangeError);
    expect(() => rec.timeline({ bucketMs: 0 })).toThrow(RangeError);
    rec.close();
  });
});
