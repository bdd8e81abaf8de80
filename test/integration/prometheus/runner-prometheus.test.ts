/**
 * The runner judging a canary on Prometheus's view (a real Prometheus scraping the run's local
 * mesh every second): a good canary is promoted, a bad one rolled back with the value Prometheus
 * gave in the message, the report carries the mesh-side view per version, and a Prometheus that
 * is down stops the run in preflight, before anything is changed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../../../src/errors.js';
import { freePort, requirePrometheus } from '../../support/prometheus.js';
import { usePrometheusRuns } from '../../support/prometheus-runs.js';

const binary = requirePrometheus();
const FILE = 'test/fixtures/prometheus/canary.yaml';

describe.skipIf(!binary)('runner with prometheus SLOs (real Prometheus)', () => {
  // Prometheus scrapes the admin port of each run's mesh; between runs the target is down.
  const { run, url } = usePrometheusRuns(binary, FILE);

  it('promotes a good canary judged by request-success-rate and request-duration', async () => {
    const { out, seen } = await run(() => {});
    expect(out.result.steps.flatMap((s) => s.checks.filter((c) => c.verdict !== 'pass').map((c) => c.message))).toEqual([]);
    expect(out.result.outcome).toBe('promoted');
    const step = out.result.steps[0]!;
    expect(step.checks.map((c) => [c.name, c.verdict])).toEqual([
      ['canary-request-success-rate', 'pass'],
      ['canary-request-duration', 'pass'],
    ]);
    expect(step.checks[0]!.value).toBe(100);
    // The mesh-side view per version sits beside the client's stats.
    expect(step.meshView?.map((v) => v.version)).toEqual(['v1', 'v2']);
    expect(step.meshView?.[1]?.successRatePercent).toBe(100);
    // The view reuses what the canary's SLOs measured (same query, same time), so they agree exactly.
    expect(step.meshView?.[1]?.p99Ms).toBe(step.checks[1]!.value);
    expect(step.meshView?.[1]?.p99Ms).toBeGreaterThan(0);
    expect(out.result.environment['prometheus']).toBe(url());
    const report = await readFile(path.join(out.runDir, 'report.html'), 'utf8');
    expect(report).toContain('<h2>Client view and mesh view</h2>');
    expect(seen.final?.spec.http?.[0]?.route?.find((r) => r.destination.subset === 'v2')?.weight).toBe(100);
  });

  it('rolls back a canary whose errors Prometheus sees, quoting its value', async () => {
    const { out, seen } = await run((spec) => {
      spec.local!.backends[1]!.demo!.errorRate = 0.2;
    });
    expect(out.result.outcome).toBe('rolled-back');
    const check = out.result.steps[0]!.checks[0]!;
    expect(check.verdict).toBe('fail');
    // Prometheus counts the requests the client sent to v2 (the range spans the whole step) — all
    // but those before each series' first scrape: the mesh starts with the run, so its series are
    // born mid-step and rate() misses up to one scrape interval (1 s ≈ 50 of ~200 requests) of
    // each. Worst case, 50 successes and no errors missed: 110/150 = 73% against 80%, so 8 points.
    // (Seen: 0.5–1.8 points.) The standalone source test, whose series exist before, is exact.
    const client = out.result.steps[0]!.stats.find((s) => s.version === 'v2')!;
    expect(Math.abs(check.value! - 100 * (1 - client.errorRate!))).toBeLessThan(8);
    expect(check.message).toMatch(/^canary request success rate \(Prometheus\) \d+\.\d\d% < 99\.00% min \(FAIL, mesh-side; client saw \d+ requests\)$/);
    expect(seen.final).toEqual(seen.initial);
  });

  it('stops in preflight when Prometheus is down, changing nothing', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const err = await run((spec) => {
      spec.metrics!.prometheus!.address = dead;
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as Error).message).toBe(`Prometheus at ${dead} is unreachable (fetch failed: connect ECONNREFUSED 127.0.0.1:${dead.split(':')[2]})`);
  });
});
