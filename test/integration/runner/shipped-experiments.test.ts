/**
 * Every experiment shipped in experiments/ runs on the local mesh as shipped, ends with the
 * documented outcome, leaves the VirtualService as it should, and shows its effect in the stats.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJournal } from '../../../src/runner/journal.js';
import type { VersionStats } from '../../../src/model/result.js';
import { renderVirtualService } from '../../../src/traffic/render.js';
import { runFile, sumCounter } from '../../support/runner-harness.js';

const statsOf = (stats: VersionStats[], version: string) => stats.find((s) => s.version === version)!;

describe('shipped experiments', () => {
  it('canary.yaml promotes: exit 0, canary at 100% at the end, user fields intact', async () => {
    const { out, seen } = await runFile('experiments/canary.yaml');
    const r = out.result;
    expect(r.outcome, r.summary).toBe('promoted');
    expect(r.exitCode).toBe(0);
    expect(r.steps.map((s) => [s.canaryWeight, s.decision])).toEqual([
      [20, 'continue'],
      [50, 'continue'],
      [100, 'promote'],
    ]);
    const first = r.steps[0]!;
    // Share of v2 at 20%: n ≈ 400 requests; 5-sigma binomial bound 0.2 ± 5·sqrt(.2·.8/n) ≈ [0.10, 0.30].
    const share = statsOf(first.stats, 'v2').count / statsOf(first.stats, 'all').count;
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.3);
    // At 100% the stable gets weight 0: no request at all.
    expect(statsOf(r.steps[2]!.stats, 'v1').count).toBe(0);
    const main = seen.final!.spec.http!.find((h) => h.name === 'reviews-main')!;
    expect(main.route!.map((d) => [d.destination.subset, d.weight])).toEqual([
      ['v1', 0],
      ['v2', 100],
    ]);
    expect(main.timeout).toBe('10s');
    // Exactly the promotion and nothing else: the original with only the weights changed.
    const target = { host: 'reviews', stable: 'v1', canary: 'v2', route: 'reviews-main' };
    expect(seen.final).toEqual(renderVirtualService(seen.initial!, target, { canaryWeight: 100 }));
    const journal = (await readJournal(out.journalPath)).map((e) => e.type);
    expect(journal).toEqual(['snapshot', 'apply', 'apply', 'apply', 'apply', 'promoted', 'end']);
  });

  it('canary-bad.yaml rolls back at step 1 and restores the original VirtualService', async () => {
    const { out, seen } = await runFile('experiments/canary-bad.yaml');
    const r = out.result;
    expect(r.outcome, r.summary).toBe('rolled-back');
    expect(r.exitCode).toBe(1);
    expect(r.restored).toBe(true);
    expect(r.steps).toHaveLength(1);
    expect(r.steps[0]!.decision).toBe('rollback');
    expect(seen.final).toEqual(seen.initial);
    // The latency check fails for sure: ~20% of v2 requests exceed 50 ms (log-normal median 40, p99 80).
    const latency = r.steps[0]!.checks.find((c) => c.kind === 'latency')!;
    expect(latency.verdict).toBe('fail');
    expect(latency.value!).toBeGreaterThan(50);
    const failed = r.steps[0]!.checks.find((c) => c.verdict === 'fail')!;
    // The summary names the failed check, the step, its value, threshold and sample count.
    expect(r.summary).toContain(failed.name);
    expect(r.summary).toContain('step 1 (canary 25%)');
    expect(r.summary).toMatch(failed.kind === 'latency' ? /50ms max/ : /1(\.0+)?% max/);
    expect(r.summary).toContain(`${failed.samples} requests`);
    expect(existsSync(path.join(out.runDir, 'report.html'))).toBe(true);
    expect(existsSync(path.join(out.runDir, 'result.json'))).toBe(true);
    const journal = (await readJournal(out.journalPath)).map((e) => e.type);
    expect(journal).toEqual(['snapshot', 'apply', 'restore-start', 'restore-done', 'end']);
  });

  it('fault-delay.yaml delays every request by 150 ms, passes, and restores', async () => {
    const { out, seen } = await runFile('experiments/fault-delay.yaml');
    const r = out.result;
    expect(r.outcome, r.summary).toBe('passed');
    expect(r.exitCode).toBe(0);
    expect(seen.final).toEqual(seen.initial);
    const all = statsOf(r.steps[0]!.stats, 'all');
    expect(all.count).toBeGreaterThan(300);
    // Every request is delayed 150 ms before reaching a backend, so even the median is above it.
    expect(all.latency.p50!).toBeGreaterThanOrEqual(150);
  });

  it('fault-abort.yaml aborts about 10% of jason requests, passes its 20% budget, and restores', async () => {
    const { out, seen } = await runFile('experiments/fault-abort.yaml');
    const r = out.result;
    expect(r.outcome, r.summary).toBe('passed');
    expect(seen.final).toEqual(seen.initial);
    const all = statsOf(r.steps[0]!.stats, 'all');
    expect(all.count).toBeGreaterThan(300);
    // n ≈ 500 at p = 0.1: 5-sigma binomial bound 0.1 ± 5·sqrt(.1·.9/n) ≈ [0.033, 0.167].
    expect(all.errorRate!).toBeGreaterThan(0.03);
    expect(all.errorRate!).toBeLessThan(0.17);
    // Aborts never reach a backend: no version header, but Envoy's "fault filter abort" body says
    // the mesh answered, so they are filed as such and nothing is left "unknown".
    expect(statsOf(r.steps[0]!.stats, 'mesh:fault-abort').errors).toBe(all.errors);
    expect(statsOf(r.steps[0]!.stats, 'mesh:fault-abort').count).toBe(all.errors);
    expect(r.steps[0]!.stats.map((s) => s.version)).not.toContain('unknown');
  });

  it('mirror.yaml copies v1 traffic to v2 (seen in the mesh metrics), passes, and restores', async () => {
    const { out, seen } = await runFile('experiments/mirror.yaml');
    const r = out.result;
    expect(r.outcome, r.summary).toBe('passed');
    expect(seen.final).toEqual(seen.initial);
    const stats = r.steps[0]!.stats;
    // Users are only ever served by v1.
    expect(statsOf(stats, 'v1').count).toBe(statsOf(stats, 'all').count);
    // The destination reporter counts what reached each version, mirrored copies included.
    const v1 = sumCounter(seen.metrics!, 'istio_requests_total', { reporter: 'destination', destination_version: 'v1' });
    const v2 = sumCounter(seen.metrics!, 'istio_requests_total', { reporter: 'destination', destination_version: 'v2' });
    expect(v1).toBeGreaterThan(300);
    // Mirroring is fire-and-forget at 100%: v2 receives (nearly) a copy of every request.
    expect(v2).toBeGreaterThan(v1 * 0.9);
    // The client never sees the copies; the step's own figures for them come from the mesh.
    const mirrored = r.steps[0]!.mirrored!;
    expect(mirrored).toMatchObject({ version: 'v2', measuredBy: 'mesh', errors: 0, errorRate: 0 });
    expect(mirrored.count).toBeGreaterThan(statsOf(stats, 'all').count * 0.9);
    expect(mirrored.count).toBeLessThanOrEqual(statsOf(stats, 'all').count);
    expect(mirrored.latency.p50).toBeGreaterThan(0);
    expect(mirrored.latency.p99!).toBeGreaterThanOrEqual(mirrored.latency.p50!);
    expect(r.events.map((e) => e.message)).toContainEqual(expect.stringMatching(/^step 1\/1: v2: mirrored \(shadow\) traffic, measured by the mesh: \d+ req, 0\.00% err, p50 /));
  });
});
