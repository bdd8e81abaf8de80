/**
 * analysis.mode sequential on a prometheus SLO (a real Prometheus scraping the run's local mesh
 * every second): the canary's request-success-rate is tested on Prometheus's counters, read once
 * per scrape, so a canary with 10% errors against min 99% is rolled back long before its 60 s step
 * ends, explained in result.json, and one slower than request-duration's max likewise on the
 * histogram's buckets; a healthy canary raises no alarm (and, with promoteEarly, is
 * certainly within the bound before the step's end).
 */
import { describe, expect, it } from 'vitest';
import { requirePrometheus } from '../../support/prometheus.js';
import { usePrometheusRuns } from '../../support/prometheus-runs.js';

const binary = requirePrometheus();
const FILE = 'test/fixtures/prometheus/sequential-canary.yaml';

describe.skipIf(!binary)('mode sequential on a prometheus SLO (real Prometheus)', () => {
  const { run } = usePrometheusRuns(binary, FILE);

  it('rolls back a canary with 10% errors long before its 60 s step ends, on the Prometheus test, explained in result.json', async () => {
    const { out, seen, written, stderr } = await run((spec) => {
      spec.local!.backends[1]!.demo!.errorRate = 0.1;
    });
    expect(stderr).not.toMatch(/cannot read Prometheus/);
    expect(out.result.outcome).toBe('rolled-back');
    const step = written.steps[0]!;
    expect(step.endedEarly).toBe('regression');
    const trace = step.sequential!.find((t) => t.name === 'canary-request-success-rate')!;
    expect(trace).toMatchObject({ kind: 'prometheus-bound', bound: 0.01, alpha: 0.01, decision: 'regression' });
    // The step's 60 s were cut short: the evidence crossed within a few scrapes of the first requests.
    // (Seen: after the first scrape with requests, 1 s, on ~40 requests.)
    expect(trace.crossedAt).toBeLessThan(10);
    expect((step.endedAt - step.startedAt) / 1000).toBeLessThan(25);
    // Prometheus counted about what the client sent to the canary by then (~50 req/s).
    expect(trace.crossedAtSamples!.canary).toBeGreaterThan(20);
    expect(trace.crossedAtSamples!.canary).toBeLessThanOrEqual(step.stats.find((s) => s.version === 'v2')!.count);
    const check = step.checks.find((c) => c.name === 'canary-request-success-rate-sequential')!;
    expect(check).toMatchObject({ verdict: 'fail', critical: true });
    expect(check.message).toMatch(/^canary error rate \(Prometheus, 5xx\) against its 1% bound: certain regression after \d+ s \(e-value [\d.,e+]+ ≥ 100 = 1\/α; [\d,]+ canary requests counted by Prometheus\)/);
    // The fixed check of the SLO is left out: the sequential test judged it.
    expect(step.checks.map((c) => c.name)).toEqual(['canary-request-success-rate-sequential']);
    expect(seen.final).toEqual(seen.initial);
  });

  it("rolls back a canary slower than request-duration's max, on the histogram's bucket counts", async () => {
    const { out, written, stderr } = await run((spec) => {
      spec.slos = [{ kind: 'prometheus', subject: 'canary', builtin: 'request-duration', max: 250 }];
      spec.local!.backends[1]!.demo!.latency = { median: 300, p99: 450 };
    });
    expect(stderr).not.toMatch(/cannot read Prometheus/);
    expect(out.result.outcome).toBe('rolled-back');
    const step = written.steps[0]!;
    expect(step.endedEarly).toBe('regression');
    const trace = step.sequential![0]!;
    expect(trace).toMatchObject({ name: 'canary-request-duration', kind: 'prometheus-bound', bound: 0.01, decision: 'regression' });
    expect(trace.crossedAt).toBeLessThan(10);
    expect(step.checks[0]!.message).toMatch(/^share of canary requests slower than 250 ms \(Prometheus's buckets\) against its 1% bound: certain regression after \d+ s/);
  });

  it('a healthy canary raises no alarm; with promoteEarly the step ends once it is certainly within the bound', async () => {
    const { out, written, stderr } = await run((spec) => {
      spec.analysis.promoteEarly = true;
    });
    expect(stderr).not.toMatch(/cannot read Prometheus/);
    expect(out.result.outcome).toBe('promoted');
    const step = written.steps[0]!;
    const trace = step.sequential!.find((t) => t.name === 'canary-request-success-rate')!;
    expect(trace.decision).toBe('non-inferior');
    expect(Math.max(...trace.points.map((p) => p.eValue))).toBeLessThan(100);
    expect(step.endedEarly).toBe('non-inferior');
    expect((step.endedAt - step.startedAt) / 1000).toBeLessThan(30);
    expect(step.checks.find((c) => c.name === 'canary-request-success-rate-sequential')).toMatchObject({ verdict: 'pass' });
  });
});
