import { quantileSorted, mean as ssMean } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { createSeededRandom as rng } from '../seeded-random.js';
import { createSampleRecorder } from './recorder.js';
import type { Sample } from './types.js';

/** Log-normal latencies (ms) around `medianMs`, like real service latencies (long right tail). */
function latencies(n: number, seed: number, medianMs: number): number[] {
  const r = rng(seed);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
    out.push(medianMs * Math.exp(0.8 * z));
  }
  return out;
}

const T0 = 1_700_000_000_000; // a window-aligned epoch ms

const ok = (time: number, latencyMs: number, version?: string): Sample =>
  version === undefined ? { time, latencyMs, status: 200 } : { time, latencyMs, status: 200, version };

/** HDR (3 significant digits) reports a value at most 1/1024 above it, plus 0.5 µs of rounding. */
function expectHdr(got: number | null, exact: number): void {
  expect(got).not.toBeNull();
  expect(got!).toBeGreaterThanOrEqual(exact - 0.0005);
  expect(got!).toBeLessThanOrEqual(exact * (1 + 1 / 1024) + 0.0005);
}

function statsOf(rec: ReturnType<typeof createSampleRecorder>, version: string, from = 0, to = Number.MAX_SAFE_INTEGER) {
  const s = rec.stats(from, to).find((x) => x.version === version);
  if (s === undefined) throw new Error(`no stats for ${version}`);
  return s;
}

describe('createSampleRecorder percentiles', () => {
  it('matches simple-statistics quantiles on the same data within HDR precision', () => {
    // 100,003 values per version (odd count: no quantile falls exactly between two samples).
    const n = 100_003;
    const data: Record<string, number[]> = { v1: latencies(n, 1, 20), v2: latencies(n, 2, 45) };
    const rec = createSampleRecorder();
    for (const [version, xs] of Object.entries(data)) {
      xs.forEach((ms, i) => rec.record(ok(T0 + (i % 7_000), ms, version)));
    }
    data['all'] = [...data['v1']!, ...data['v2']!];
    for (const [version, xs] of Object.entries(data)) {
      const sorted = [...xs].sort((a, b) => a - b);
      const s = statsOf(rec, version);
      expect(s.count).toBe(xs.length);
      const cases = [
        [0.5, s.latency.p50],
        [0.9, s.latency.p90],
        [0.95, s.latency.p95],
        [0.99, s.latency.p99],
        [0.999, s.latency['p99.9']],
      ] as const;
      for (const [p, got] of cases) {
        // Bound: HDR returns the order statistic of rank ceil(n*p), simple-statistics interpolates
        // between ranks floor/ceil((n-1)*p)+1 (numpy type 7): they are at most one rank apart. HDR
        // then reports the highest value of that value's bucket: with 3 significant digits at most
        // +1/1024 relative, plus 0.5 µs for rounding to whole microseconds (the +1.5 µs below).
        const k = (n * (version === 'all' ? 2 : 1) - 1) * p;
        const lo = sorted[Math.max(0, Math.floor(k) - 1)]! - 0.0005;
        const hi = sorted[Math.min(sorted.length - 1, Math.ceil(k) + 1)]! * (1 + 1 / 1024) + 0.0015;
        expect(got, `${version} p${p * 100}`).not.toBeNull();
        expect(got!).toBeGreaterThanOrEqual(lo);
        expect(got!).toBeLessThanOrEqual(hi);
        // And in plain words: within 0.5% of simple-statistics.
        expect(Math.abs(got! - quantileSorted(sorted, p)) / quantileSorted(sorted, p)).toBeLessThan(0.005);
      }
      // max and mean are kept exactly, not read back from buckets.
      expect(s.latency.max).toBe(sorted[sorted.length - 1]);
      expect(s.latency.mean!).toBeCloseTo(ssMean(xs), 6);
    }
    rec.close();
  });
});

describe('createSampleRecorder windows', () => {
  it('aligns windows to the epoch and merges exactly the windows intersecting [from, to)', () => {
    const rec = createSampleRecorder({ windowMs: 1000 });
    // Window w (0..9) holds 100 samples of latency (w + 1) * 10 ms, at varied offsets inside it.
    for (let w = 0; w < 10; w++) {
      for (let i = 0; i < 100; i++) rec.record(ok(T0 + w * 1000 + ((i * 37) % 1000), (w + 1) * 10, 'v1'));
    }
    const s = statsOf(rec, 'v1', T0 + 2000, T0 + 5000);
    expect(s.count).toBe(300); // windows 2, 3, 4
    expectHdr(s.latency.p50, 40);
    expect(s.latency.max).toBe(50);
    expect(s.rps).toBeCloseTo(100, 9);
    // Unaligned bounds take every window they touch: [2500, 4500) touches 2, 3 and 4.
    expect(statsOf(rec, 'v1', T0 + 2500, T0 + 4500).count).toBe(300);
    // [2000, 2001) touches only window 2; a range past the data is empty but still listed.
    expect(statsOf(rec, 'v1', T0 + 2000, T0 + 2001).latency.max).toBe(30);
    const empty = statsOf(rec, 'v1', T0 + 20_000, T0 + 30_000);
    expect(empty).toMatchObject({ count: 0, errors: 0, errorRate: null, rps: 0 });
    expect(Object.values(empty.latency).every((v) => v === null)).toBe(true);
    rec.close();
  });

  it('keeps a window of a custom width and a timeline point per window and version plus "all"', () => {
    const rec = createSampleRecorder({ windowMs: 250 });
    rec.record(ok(T0 + 10, 5, 'v1'));
    rec.record(ok(T0 + 260, 7, 'v2'));
    rec.record({ time: T0 + 270, latencyMs: 9, status: 503, version: 'v2' });
    const tl = rec.timeline();
    expect(tl.map((p) => [p.time - T0, p.version, p.count, p.errors])).toEqual([
      [0, 'v1', 1, 0],
      [0, 'all', 1, 0],
      [250, 'v2', 2, 1],
      [250, 'all', 2, 1],
    ]);
    expectHdr(tl[2]!.p99, 9);
    expectHdr(tl[2]!.p50, 7);
    rec.close();
  });

  it('rejects a window width that is not a positive number', () => {
    expect(() => createSampleRecorder({ windowMs: 0 })).toThrow(RangeError);
    expect(() => createSampleRecorder({ windowMs: Number.NaN })).toThrow(RangeError);
  });
});

describe('createSampleRecorder classification', () => {
  it('files samples without a version under "unknown", listed after named versions and before "all"', () => {
    const rec = createSampleRecorder();
    rec.record(ok(T0, 1, 'v2'));
    rec.record({ time: T0, latencyMs: 5000, status: 0, error: 'timeout' });
    rec.record(ok(T0, 1, 'v1'));
    rec.record(ok(T0, 3)); // a 200 from a backend that sets no version header
    const s = rec.stats(T0, T0 + 1000);
    expect(s.map((x) => x.version)).toEqual(['v1', 'v2', 'unknown', 'all']);
    expect(s[2]).toMatchObject({ count: 2, errors: 1, errorRate: 0.5 });
    expect(s[3]).toMatchObject({ count: 4, errors: 1, errorRate: 0.25 });
    rec.close();
  });

  it('files the mesh\'s fault aborts apart from "unknown": after the named versions, before "unknown"', () => {
    const rec = createSampleRecorder();
    rec.record({ time: T0, latencyMs: 2, status: 503, meshReply: 'fault-abort' });
    rec.record({ time: T0, latencyMs: 2, status: 503 }); // an error without a version, not the mesh's abort
    rec.record(ok(T0, 1, 'v1'));
    const s = rec.stats(T0, T0 + 1000);
    expect(s.map((x) => x.version)).toEqual(['v1', 'mesh:fault-abort', 'unknown', 'all']);
    expect(s[1]).toMatchObject({ count: 1, errors: 1 });
    expect(s[2]).toMatchObject({ count: 1, errors: 1 });
    rec.close();
  });

  it('counts status 0, status >= 500 and cut-short responses as errors, 4xx as not', () => {
    const rec = createSampleRecorder();
    const cases: [Sample, boolean][] = [
      [{ time: T0, latencyMs: 1, status: 200, version: 'v' }, false],
      [{ time: T0, latencyMs: 1, status: 404, version: 'v' }, false],
      [{ time: T0, latencyMs: 1, status: 499, version: 'v' }, false],
      [{ time: T0, latencyMs: 1, status: 500, version: 'v' }, true],
      [{ time: T0, latencyMs: 1, status: 503, version: 'v' }, true],
      [{ time: T0, latencyMs: 1, status: 0, version: 'v', error: 'reset' }, true],
      [{ time: T0, latencyMs: 1, status: 0, error: 'connect' }, true],
      [{ time: T0, latencyMs: 1, status: 200, version: 'v', error: 'reset' }, true],
    ];
    let expected = 0;
    for (const [sample, isError] of cases) {
      rec.record(sample);
      if (isError) expected++;
      expect(statsOf(rec, 'all').errors, JSON.stringify(sample)).toBe(expected);
    }
    rec.close();
  });

  it('counts dropped requests as errors but keeps them out of the latency histograms', () => {
    const rec = createSampleRecorder();
    rec.record({ time: T0, latencyMs: 0, status: 0, error: 'dropped' });
    let u = statsOf(rec, 'unknown');
    expect(u).toMatchObject({ count: 1, errors: 1, errorRate: 1 });
    expect(u.latency.p50).toBeNull();
    expect(rec.size().histograms).toBe(0);
    rec.record({ time: T0, latencyMs: 120, status: 0, error: 'timeout' });
    u = statsOf(rec, 'unknown');
    expect(u.count).toBe(2);
    expectHdr(u.latency.p50, 120);
    expect(u.latency.mean).toBe(120);
    rec.close();
  });

  it('lists a version seen elsewhere with count 0 and null rates in a range where it is silent', () => {
    const rec = createSampleRecorder();
    rec.record(ok(T0, 10, 'stable'));
    rec.record(ok(T0 + 5000, 10, 'canary'));
    const canary = statsOf(rec, 'canary', T0, T0 + 1000);
    expect(canary.count).toBe(0);
    expect(canary.errorRate).toBeNull();
    expect(canary.latency.p99).toBeNull();
    rec.close();
  });
});

describe('createSampleRecorder memory', () => {
  it('keeps a constant number of histograms however many samples it folds', () => {
    const rec = createSampleRecorder({ windowMs: 1000 });
    const r = rng(7);
    const record = (count: number) => {
      for (let i = 0; i < count; i++) {
        // 4 windows × 2 versions; latencies spread over 0.1 ms .. ~5 s to touch many buckets.
        rec.record(ok(T0 + Math.floor(r() * 4000), 0.1 * Math.exp(r() * 10.8), r() < 0.5 ? 'v1' : 'v2'));
      }
    };
    record(200_000);
    const early = rec.size();
    expect(early.windows).toBe(4);
    expect(early.histograms).toBe(8);
    record(1_800_000);
    const late = rec.size();
    expect(statsOf(rec, 'all').count).toBe(2_000_000);
    expect(late.windows).toBe(4);
    expect(late.histograms).toBe(8);
    // Ten times the samples in the same buckets: the footprint may grow a little (packed counters
    // widen as counts grow), nowhere near 10x. 1.5x leaves room for that and still fails if
    // anything were kept per sample (≥ 8 bytes × 1.8M = 14 MB against a few hundred KB).
    expect(late.estimatedBytes).toBeLessThan(early.estimatedBytes * 1.5);
    rec.close();
    expect(rec.size()).toEqual({ windows: 0, histograms: 0, estimatedBytes: 0 });
  });

  it('ignores samples after close and answers empty', () => {
    const rec = createSampleRecorder();
    rec.record(ok(T0, 1, 'v1'));
    rec.close();
    rec.record(ok(T0, 1, 'v1'));
    expect(rec.stats(0, Number.MAX_SAFE_INTEGER)).toEqual([]);
    expect(rec.timeline()).toEqual([]);
  });
});

describe('createSampleRecorder running totals', () => {
  it('answers a whole-recording range from its totals exactly as the merge of every window would', () => {
    const fast = createSampleRecorder();
    const slow = createSampleRecorder({ cumulative: false });
    const r = rng(11);
    for (let i = 0; i < 20_000; i++) {
      const s: Sample =
        r() < 0.02
          ? { time: T0 + Math.floor(r() * 6000), latencyMs: 0, status: 0, error: r() < 0.5 ? 'dropped' : 'timeout' }
          : { time: T0 + Math.floor(r() * 6000), latencyMs: 0.2 * Math.exp(r() * 8), status: r() < 0.05 ? 503 : 200, version: r() < 0.3 ? 'v2' : 'v1' };
      fast.record(s);
      slow.record(s);
    }
    for (const [from, to] of [
      [T0, T0 + 6000],
      [0, Number.MAX_SAFE_INTEGER],
      [T0 + 2500, T0 + 4000], // a partial range: both merge windows
    ] as const) {
      // Sums added in another order differ in the last bits of the mean; everything else is exact.
      const norm = (rows: ReturnType<typeof fast.stats>) => rows.map((x) => ({ ...x, latency: { ...x.latency, mean: x.latency.mean === null ? null : Number(x.latency.mean.toPrecision(12)) } }));
      expect(norm(fast.stats(from, to))).toEqual(norm(slow.stats(from, to)));
    }
    // The partial range really is partial (so the comparison above covers the merge path too).
    expect(statsOf(fast, 'all', T0 + 2500, T0 + 4000).count).toBeLessThan(statsOf(fast, 'all').count);
    // Distributions for rank tests: the same buckets either way, and as many as were recorded.
    for (const v of ['v1', 'v2', 'all', 'unknown', 'v9']) expect(fast.distribution(v)).toEqual(slow.distribution(v));
    const v2 = fast.distribution('v2');
    expect(v2.n).toBe(statsOf(fast, 'v2').count);
    expect(v2.values.length).toBeGreaterThan(100);
    expect(fast.distribution('v9').n).toBe(0);
    fast.close();
    slow.close();
  });
});

describe('per request name', () => {
  it('keeps counts, errors and latency per name and version, names in the given order, and frees them on close', () => {
    const rec = createSampleRecorder();
    const named = (request: string, version: string, status: number, latencyMs: number): Sample => ({ time: T0, latencyMs, status, version, request });
    for (let i = 0; i < 30; i++) rec.record(named('read', i % 2 ? 'v1' : 'v2', 200, 10));
    for (let i = 0; i < 10; i++) rec.record(named('write', 'v2', i < 4 ? 503 : 200, 40));
    rec.record({ time: T0, latencyMs: 5, status: 200, version: 'v1' }); // no name: in stats, not per request
    const out = rec.requestStats(T0, T0 + 1000, ['write', 'read']);
    expect(out.map((r) => [r.name, r.stats.map((s) => [s.version, s.count, s.errors])])).toEqual([
      ['write', [['v2', 10, 4], ['all', 10, 4]]],
      ['read', [['v1', 15, 0], ['v2', 15, 0], ['all', 30, 0]]],
    ]);
    expect(out[0]!.stats[1]!.latency.p50).toBeCloseTo(40, 0);
    expect(out[0]!.stats[1]!.errorRate).toBeCloseTo(0.4);
    expect(rec.size().histograms).toBeGreaterThanOrEqual(5);
    rec.close();
    expect(rec.requestStats(T0, T0 + 1000)).toEqual([]);
  });
});

