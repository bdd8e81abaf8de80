import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { wideExperiment } from './generate.js';
import { exponents, growthExponent, renderScaleSection, type ScaleBenchResult } from './report.js';

// Figures made up for the arithmetic and the rendering only: nothing here times anything.
const sample = (wallMs: number) => ({ wallMs, maxRssKiB: 100 * 1024 });

describe('growthExponent (bench/input-scale)', () => {
  it('is the k of y = c·nᵏ: 1 for linear, 2 for quadratic, 0 for constant', () => {
    const ns = [1000, 4000, 10000, 20000, 40000];
    expect(growthExponent(ns.map((n) => [n, 3 * n]))).toBeCloseTo(1, 10);
    expect(growthExponent(ns.map((n) => [n, n * n / 7]))).toBeCloseTo(2, 10);
    expect(growthExponent(ns.map((n) => [n, 250]))).toBeCloseTo(0, 10);
  });

  it('leaves out points it cannot take the log of, and needs two', () => {
    expect(growthExponent([[1000, -5], [2000, 4], [4000, 8]])).toBeCloseTo(1, 10);
    expect(growthExponent([[1000, 5]])).toBeNaN();
  });

  it('sees linear work under a constant start-up once the N = 0 time is taken off', () => {
    const rows = [1000, 10000, 40000].map((n) => ({ shape: 'unknown-keys' as const, n, bytes: n * 10, ours: [sample(200 + n / 100)], floor: [sample(50 + n / 400)] }));
    const ours = exponents(rows, 'ours', 200);
    expect(ours.raw).toBeLessThan(0.7);
    expect(ours.marginal).toBeCloseTo(1, 10);
  });
});

describe('wideExperiment (bench/input-scale)', () => {
  const base = readFileSync(new URL('../../experiments/canary.yaml', import.meta.url), 'utf8');

  it('adds N unknown keys, N repeats of a key, or N entries to the SLO list', () => {
    expect(Object.keys(parse(wideExperiment(base, 'unknown-keys', 5)) as object)).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'k0', 'k1', 'k2', 'k3', 'k4']);
    expect(wideExperiment(base, 'duplicate-keys', 3).trimEnd().split('\n').slice(-3)).toEqual(['dup: 0', 'dup: 1', 'dup: 2']);
    const listed = parse(wideExperiment(base, 'list-problems', 4)) as { spec: { slos: unknown[]; analysis: unknown } };
    expect(listed.spec.slos).toEqual(new Array(4).fill({ kind: 'error-rate', max: 'bad' }));
    expect(listed.spec.analysis).toEqual({ threshold: 1, minSamples: 20 });
  });
});

describe('renderScaleSection (bench/input-scale)', () => {
  it('gives each shape its table, the ratio to the floor and the exponents, and marks busy figures', () => {
    const r: ScaleBenchResult = {
      date: '2026-01-01T00:00:00.000Z',
      machine: { nproc: 2, cpuModel: 'test CPU', loadavg: [1, 1, 1], node: 'v20.0.0' },
      rounds: 1,
      shown: { ours: 'node bin/mesh-exp.js validate <file>', floor: 'yaml' },
      baseline: { ours: [sample(200)], floor: [sample(50)] },
      rows: [1000, 4000, 40000].map((n) => ({ shape: 'duplicate-keys' as const, n, bytes: n * 30, ours: [sample(200 + n / 10)], floor: [sample(50 + n / 40)] })),
    };
    const section = renderScaleSection(r, 'npm run bench:input', true);
    expect(section).toContain('**Measured on a busy machine**');
    expect(section).toContain('| 1,000 | 29 KiB | 300 ms | 75 ms | 4.00× | 100 MB | 100 MB |');
    // The 40,000 row is over the read limit: shown, marked, and left out of the exponent.
    expect(section).toContain('| 40,000 | 1172 KiB (over the 1 MiB read limit: refused unparsed) |');
    expect(section).toContain('**1.00** on the time above the N = 0 file');
    expect(renderScaleSection(r, 'x', false)).not.toContain('busy machine');
  });
});
