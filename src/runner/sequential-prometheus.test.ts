import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../seeded-random.js';
import { experimentSpecSchema } from '../experiment/schema.js';
import type { MetricSeries } from '../metrics/types.js';
import { fakeSeriesSource } from '../../test/support/fake-metric-source.js';
import { createSequentialSide } from './sequential-side.js';

/** The parsed spec of an experiment with these SLOs and analysis, and Prometheus. */
function spec(analysis: object, slos: object[]) {
  return experimentSpecSchema.parse({
    target: { virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v2' },
    traffic: { shift: { steps: [50] } },
    local: { manifests: ['./istio'] },
    analysis,
    slos,
    metrics: { prometheus: { scrapeInterval: '1s' } },
  });
}

/**
 * A side whose Prometheus holds the canary's counters as `counters` says: each scrape adds
 * `perScrape` requests, a share `errorRate` of them 503 (drawn with a seeded random), unless the
 * scrape is "missing" (no new data); given as an Error, the query fails though the counters grew
 * (Prometheus kept scraping); "reset" restarts the counters at zero first.
 */
function harness(s: ReturnType<typeof spec>, perScrape = 100, errorRate = 0.1) {
  let now = 1_000_000;
  const warnings: string[] = [];
  const random = createSeededRandom(7);
  const counts = { ok: 0, bad: 0 };
  let next: 'scrape' | 'missing' | Error | 'reset' = 'scrape';
  const source = fakeSeriesSource(() => {
    if (next === 'reset') counts.ok = counts.bad = 0;
    if (next !== 'missing') {
      for (let i = 0; i < perScrape; i++) counts[random() < errorRate ? 'bad' : 'ok']++;
    }
    if (next instanceof Error) return next;
    const series: MetricSeries[] = [{ labels: { response_code: '200' }, value: counts.ok }];
    // Istio creates the 503 series at the canary's first 503.
    if (counts.bad > 0) series.push({ labels: { response_code: '503' }, value: counts.bad });
    return series;
  });
  const side = createSequentialSide({
    analysis: s.analysis,
    slos: s.slos,
    stable: 'v1',
    canary: 'v2',
    stopping: true,
    startedAt: now,
    now: () => now,
    prometheus: { source, spec: s.metrics!.prometheus!, target: s.target, warn: (m) => warnings.push(m) },
  })!;
  const scrape = async (what: typeof next = 'scrape') => {
    next = what;
    now += 1000;
    await side.poll();
  };
  return { side, scrape, warnings, source, counts };
}

const successRate = { kind: 'prometheus', builtin: 'request-success-rate', min: 99 };

describe('sequential tests of prometheus SLOs', () => {
  it("tests the canary's built-ins only: not a custom query, not the stable's, not a success rate without min", () => {
    const s = spec({ mode: 'sequential' }, [
      successRate,
      { kind: 'prometheus', builtin: 'request-duration', max: 250 },
      { kind: 'prometheus', query: 'sum(up)', min: 1, name: 'custom' },
      { kind: 'prometheus', builtin: 'request-success-rate', subject: 'stable', min: 99, name: 'stable-sr' },
      { kind: 'prometheus', builtin: 'request-success-rate', max: 100, name: 'no-min' },
    ]);
    expect([...harness(s).side.testedNames]).toEqual(['canary-request-success-rate', 'canary-request-duration']);
    // Without Prometheus (A/A mode: it cannot tell the stable's halves apart) they get none.
    expect(createSequentialSide({ analysis: s.analysis, slos: s.slos, stable: 'v1', canary: 'v2', stopping: false, startedAt: 0, now: () => 0 })).toBeUndefined();
  });

  it('a canary with 10% 5xx against min 99% is a certain regression within seconds, stopping the step, explained in requests counted by Prometheus', async () => {
    const { side, scrape } = harness(spec({ mode: 'sequential' }, [successRate]));
    await side.poll(); // the baseline, at the step's start
    let scrapes = 0;
    while (!side.signal.aborted && scrapes < 60) {
      await scrape();
      scrapes++;
    }
    expect(side.signal.aborted).toBe(true);
    expect(scrapes).toBeLessThan(10);
    const out = side.finish();
    expect(out.endedEarly).toBe('regression');
    expect(out.checks[0]).toMatchObject({ name: 'canary-request-success-rate-sequential', verdict: 'fail', critical: true, subject: 'canary' });
    expect(out.checks[0]!.message).toMatch(/^canary error rate \(Prometheus, 5xx\) against its 1% bound: certain regression after \d+ s \(e-value [\d.,]+ ≥ 100 = 1\/α; [\d,]+ canary requests counted by Prometheus\)/);
    expect(out.traces[0]).toMatchObject({ kind: 'prometheus-bound', bound: 0.01, alpha: 0.01, decision: 'regression' });
    // Every scrape after the baseline was one look, on 100 requests each (the 503 series born mid-step counted whole).
    expect(out.traces[0]!.points.map((p) => p.samples.canary)).toEqual(Array.from({ length: scrapes }, (_, i) => 100 * (i + 1)));
  });

  it('a healthy canary (0.1% 5xx) raises no alarm; with promoteEarly it is certainly within the bound and the step ends', async () => {
    const { side, scrape } = harness(spec({ mode: 'sequential', promoteEarly: true }, [successRate]), 200, 0.001);
    await side.poll();
    let scrapes = 0;
    while (!side.signal.aborted && scrapes < 120) {
      await scrape();
      scrapes++;
    }
    const out = side.finish();
    expect(out.endedEarly).toBe('non-inferior');
    expect(out.checks[0]!.verdict).toBe('pass');
    expect(out.checks[0]!.message).toMatch(/certainly within the bound after \d+ s/);
  });

  it('a scrape with nothing new, or a failing Prometheus, is no look (never a pass); the failure is warned about once; a reset counts from zero', async () => {
    const { side, scrape, warnings } = harness(spec({ mode: 'sequential', promoteEarly: true }, [successRate]), 100, 0);
    await side.poll();
    await scrape('missing');
    await scrape(new Error('Prometheus at fake is unreachable'));
    await scrape(new Error('Prometheus at fake is unreachable'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/the sequential test of canary-request-success-rate cannot read Prometheus \(Prometheus at fake is unreachable\).*own check judges the step/);
    expect(side.signal.aborted).toBe(false);
    await scrape();
    // A restarted proxy: the counters start again, and the new value is the gain.
    await scrape('reset');
    const out = side.finish();
    // Two looks: the scrape after the failures (both scrapes' requests, counted from the last good reading) and the reset.
    expect(out.traces[0]!.points.map((p) => p.samples.canary)).toEqual([300, 400]);
    expect(out.checks[0]!.verdict).toBe('pass');
    expect(out.endedEarly).toBeUndefined();
  });

  it('a Prometheus that never answers leaves the test without a look: it passes no judgement and promoteEarly never fires', async () => {
    const { side, scrape, warnings } = harness(spec({ mode: 'sequential', promoteEarly: true }, [successRate]));
    for (let i = 0; i < 5; i++) await scrape(new Error('HTTP 503'));
    const out = side.finish();
    expect(out.endedEarly).toBeUndefined();
    expect(out.traces[0]).toMatchObject({ decision: 'continue', points: [] });
    expect(out.checks[0]!.message).toMatch(/no certain regression .*0 canary requests counted by Prometheus.*the fixed check decides/);
    expect(warnings).toHaveLength(1);
  });

  it('start() reads the baseline at once and then once per scrape interval; close() stops it', async () => {
    const { side, source } = harness(spec({ mode: 'sequential' }, [successRate]));
    side.start(60_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(source.asked).toHaveLength(1);
    side.close();
    await new Promise((r) => setTimeout(r, 1100));
    expect(source.asked).toHaveLength(1);
  });
});
