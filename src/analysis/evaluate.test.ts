import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { evaluateChecks } from './evaluate.js';
import { judge } from './judge.js';
import { createEvaluatorRegistry, defaultEvaluators } from './registry.js';
import { slo, versionStats } from '../../test/unit/analysis/builders.js';
import type { SloEvaluator } from './types.js';
import { weightedFromValues } from './stats/weighted-sample.js';

const options = { stable: 'v1', canary: 'v2', minSamples: 20 };

describe('evaluateChecks: latency', () => {
  const p99 = slo({ kind: 'latency', max: '250ms' });

  it('passes below the threshold and fails above it, with a one-line message', () => {
    const [pass] = evaluateChecks([p99], [versionStats('v2', 512, { latency: { p99: 120 } })], options);
    expect(pass).toMatchObject({ name: 'canary-latency-p99', kind: 'latency', subject: 'canary', value: 120, threshold: 250, comparator: 'max', samples: 512, verdict: 'pass' });
    expect(pass!.message).toBe('canary p99 latency 120ms <= 250ms max (PASS, 512 requests)');

    const [fail] = evaluateChecks([p99], [versionStats('v2', 512, { latency: { p99: 412 } })], options);
    expect(fail).toMatchObject({ value: 412, verdict: 'fail', samples: 512 });
    expect(fail!.message).toBe('canary p99 latency 412ms > 250ms max (FAIL, 512 requests)');
    expect(fail!.message).not.toContain('\n');
  });

  it('passes when the value equals the threshold, fails just above it', () => {
    expect(evaluateChecks([p99], [versionStats('v2', 100, { latency: { p99: 250 } })], options)[0]!.verdict).toBe('pass');
    const [above] = evaluateChecks([p99], [versionStats('v2', 100, { latency: { p99: 250.4 } })], options);
    expect(above!.verdict).toBe('fail');
    // Rounded, 250.4 would read "250ms > 250ms"; the message keeps the difference visible.
    expect(above!.message).toContain('250.4ms > 250ms');
  });

  it('gives a latency percentile a 95% interval from the histogram buckets, and an error rate its Wilson interval', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i + 1);
    const distributions = new Map([['v2', weightedFromValues(values)]]);
    const [lat] = evaluateChecks([slo({ kind: 'latency', percentile: 'p50', max: '1s' })], [versionStats('v2', 1000, { latency: { p50: 500 } })], { ...options, distributions });
    expect(lat!.interval).toEqual({ low: 469, high: 532, confidence: 0.95 });
    const [err] = evaluateChecks([slo({ kind: 'error-rate', max: '1%' })], [versionStats('v2', 100, { errors: 1 })], options);
    expect(err!.interval!.low).toBeCloseTo(0.00177, 5);
    expect(err!.interval!.high).toBeCloseTo(0.0545, 4);
    // No distribution for the version, or percentile max: no interval rather than a made-up one.
    expect(evaluateChecks([slo({ kind: 'latency', max: '1s' })], [versionStats('v2', 1000)], options)[0]!.interval).toBeUndefined();
    expect(evaluateChecks([slo({ kind: 'latency', percentile: 'max', max: '1s' })], [versionStats('v2', 1000)], { ...options, distributions })[0]!.interval).toBeUndefined();
  });

  it('judges the percentile the SLO names', () => {
    const p95 = slo({ kind: 'latency', percentile: 'p95', max: '100ms' });
    const stats = [versionStats('v2', 200, { latency: { p95: 90, p99: 300 } })];
    const [check] = evaluateChecks([p95], stats, options);
    expect(check).toMatchObject({ name: 'canary-latency-p95', value: 90, verdict: 'pass' });
  });

  it('parses seconds: max "1.5s" is 1500 ms', () => {
    const [check] = evaluateChecks([slo({ kind: 'latency', max: '1.5s' })], [versionStats('v2', 50, { latency: { p99: 1600 } })], options);
    expect(check).toMatchObject({ threshold: 1500, verdict: 'fail' });
    expect(check!.message).toContain('1.6s > 1.5s max');
  });

  it('is no-data (never pass) below minSamples, saying how many there were and how many were needed', () => {
    const [check] = evaluateChecks([p99], [versionStats('v2', 12, { latency: { p99: 1 } })], options);
    expect(check).toMatchObject({ verdict: 'no-data', value: null, samples: 12 });
    expect(check!.message).toBe('canary p99 latency: no data (12 requests served by v2, 20 needed)');
  });

  it('judges at exactly minSamples', () => {
    const [check] = evaluateChecks([p99], [versionStats('v2', 20, { latency: { p99: 1 } })], options);
    expect(check!.verdict).toBe('pass');
  });

  it('is no-data with 0 samples when the subject served nothing', () => {
    const [check] = evaluateChecks([p99], [versionStats('v1', 500), versionStats('all', 500)], options);
    expect(check).toMatchObject({ verdict: 'no-data', samples: 0 });
    expect(check!.message).toContain('0 requests served by v2, 20 needed');
  });

  it('uses the SLO name when given', () => {
    const named = slo({ kind: 'latency', name: 'reviews p99', max: '250ms' });
    expect(evaluateChecks([named], [versionStats('v2', 50)], options)[0]!.name).toBe('reviews p99');
  });
});

describe('evaluateChecks: error rate', () => {
  const rate = slo({ kind: 'error-rate', max: '1%' });

  it('fails above max with the failed count in the message', () => {
    const [check] = evaluateChecks([rate], [versionStats('v2', 512, { errors: 21 })], options);
    expect(check).toMatchObject({ name: 'canary-error-rate', kind: 'error-rate', threshold: 0.01, samples: 512, verdict: 'fail' });
    expect(check!.value).toBeCloseTo(21 / 512, 12);
    expect(check!.message).toBe('canary error rate 4.10% > 1.00% max (FAIL, 21 of 512 requests failed)');
  });

  it('passes at or below max, including a rate equal to max', () => {
    expect(evaluateChecks([rate], [versionStats('v2', 500, { errors: 4 })], options)[0]!.verdict).toBe('pass');
    expect(evaluateChecks([rate], [versionStats('v2', 500, { errors: 5 })], options)[0]!.verdict).toBe('pass');
    expect(evaluateChecks([rate], [versionStats('v2', 500, { errors: 6 })], options)[0]!.verdict).toBe('fail');
  });

  it('passes an equal rate even when float division and percent parsing disagree in the last bit', () => {
    // "5.6%" parses to 0.055999999999999994 while 7/125 is 0.056: equal in decimal, so it must pass.
    const max = slo({ kind: 'error-rate', max: '5.6%' });
    expect(7 / 125).toBeGreaterThan((max as { max: number }).max);
    expect(evaluateChecks([max], [versionStats('v2', 125, { errors: 7 })], options)[0]!.verdict).toBe('pass');
    expect(evaluateChecks([max], [versionStats('v2', 125, { errors: 8 })], options)[0]!.verdict).toBe('fail');
  });

  it('is no-data below minSamples even with zero errors', () => {
    const [check] = evaluateChecks([rate], [versionStats('v2', 19)], options);
    expect(check).toMatchObject({ verdict: 'no-data', value: null, samples: 19 });
    expect(check!.message).toBe('canary error rate: no data (19 requests served by v2, 20 needed)');
  });
});

describe('evaluateChecks: subjects and unattributed requests', () => {
  const stats = [
    versionStats('v1', 400, { errors: 0, latency: { p99: 20 } }),
    versionStats('v2', 100, { errors: 0, latency: { p99: 30 } }),
    // 50 requests timed out with no version header: nobody can say which subset they hit.
    versionStats('unknown', 50, { errors: 50, latency: { p99: 5000 } }),
    versionStats('all', 550, { errors: 50, latency: { p99: 4000 } }),
  ];

  it('maps canary and stable to their subsets and never to unknown', () => {
    const checks = evaluateChecks(
      [slo({ kind: 'error-rate', max: '1%' }), slo({ kind: 'error-rate', subject: 'stable', max: '1%' }), slo({ kind: 'latency', subject: 'stable', max: '25ms' })],
      stats,
      options,
    );
    expect(checks.map((c) => [c.name, c.samples, c.verdict])).toEqual([
      ['canary-error-rate', 100, 'pass'],
      ['stable-error-rate', 400, 'pass'],
      ['stable-latency-p99', 400, 'pass'],
    ]);
  });

  it('counts unknown requests in "all" and says so', () => {
    const [rate, latency] = evaluateChecks([slo({ kind: 'error-rate', subject: 'all', max: '1%' }), slo({ kind: 'latency', subject: 'all', max: '250ms' })], stats, options);
    expect(rate).toMatchObject({ name: 'all-error-rate', samples: 550, verdict: 'fail' });
    expect(rate!.message).toBe('all error rate 9.09% > 1.00% max (FAIL, 50 of 550 requests failed, 50 without a version header)');
    expect(latency).toMatchObject({ name: 'all-latency-p99', value: 4000, verdict: 'fail' });
    expect(latency!.message).toContain('550 requests, 50 without a version header');
  });

  it('names the mesh\'s fault aborts apart from requests without a version header', () => {
    const withAborts = [...stats.slice(0, 2), versionStats('mesh:fault-abort', 30, { errors: 30, latency: { p99: 3 } }), stats[2]!, versionStats('all', 580, { errors: 80, latency: { p99: 4000 } })];
    const [rate, latency] = evaluateChecks([slo({ kind: 'error-rate', subject: 'all', max: '1%' }), slo({ kind: 'latency', subject: 'all', max: '250ms' })], withAborts, options);
    expect(rate!.message).toBe("all error rate 13.79% > 1.00% max (FAIL, 80 of 580 requests failed, 30 aborted by the mesh's fault injection, 50 without a version header)");
    expect(latency!.message).toContain("580 requests, 30 aborted by the mesh's fault injection, 50 without a version header");
  });

  it('swapping canary and stable swaps the entries judged', () => {
    const [check] = evaluateChecks([slo({ kind: 'latency', max: '25ms' })], stats, { ...options, stable: 'v2', canary: 'v1' });
    expect(check).toMatchObject({ samples: 400, value: 20, verdict: 'pass' });
  });

  it('keeps spec order, one check per SLO', () => {
    const slos = [slo({ kind: 'latency', max: '1s' }), slo({ kind: 'error-rate', max: '1%' }), slo({ kind: 'latency', percentile: 'p50', max: '1s' })];
    expect(evaluateChecks(slos, stats, options).map((c) => c.name)).toEqual(['canary-latency-p99', 'canary-error-rate', 'canary-latency-p50']);
  });
});

describe('evaluator registry', () => {
  it('throws a UsageError (exit 2) naming the known kinds for an unknown kind', () => {
    const bogus = { kind: 'relative', subject: 'canary', max: 1 } as never;
    expect(() => evaluateChecks([bogus], [], options)).toThrow(UsageError);
    expect(() => evaluateChecks([bogus], [], options)).toThrow(/relative/);
  });

  it('lets a new kind slot in through options.evaluators', () => {
    interface RpsSlo { kind: 'rps'; subject: 'canary'; min: number; name?: string }
    const rps: SloEvaluator<RpsSlo> = {
      kind: 'rps',
      defaultName: (s) => `${s.subject}-rps`,
      formatValue: (v) => `${v}/s`,
      evaluate: (s, { stats, options: o }) => {
        const entry = stats.find((x) => x.version === o.canary);
        return judge({
          name: s.name ?? `${s.subject}-rps`, kind: s.kind, subject: s.subject, what: 'canary rps',
          value: entry?.rps ?? null, threshold: s.min, comparator: 'min', samples: entry?.count ?? 0,
          minSamples: o.minSamples, formatPair: (v, t) => [`${v}/s`, `${t}/s`],
        });
      },
    };
    const evaluators = createEvaluatorRegistry([...defaultEvaluators.values(), rps]);
    const checks = evaluateChecks([{ kind: 'rps', subject: 'canary', min: 5 } as never], [versionStats('v2', 30)], { ...options, evaluators });
    expect(checks[0]).toMatchObject({ name: 'canary-rps', comparator: 'min', value: 3, verdict: 'fail' });
    expect(checks[0]!.message).toBe('canary rps 3/s < 5/s min (FAIL, 30 requests)');
  });

  it('refuses two evaluators for one kind', () => {
    expect(() => createEvaluatorRegistry([...defaultEvaluators.values(), ...defaultEvaluators.values()])).toThrow(/SLO kind "latency" is already registered/);
  });
});
