/**
 * traffic.policy and traffic.retries through provider local, on the real in-process mesh: a
 * connection pool on the canary's subset really limits it while the step runs (a burst overflows
 * with 503 UO) and the DestinationRule is the original again afterwards; retries on the target
 * route absorb a failing canary's 500s; an interrupt mid-step restores the DestinationRule.
 */
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { SignalError } from '../../../src/errors.js';
import { loadManifests } from '../../../src/istio/manifests.js';
import type { DestinationRule } from '../../../src/istio/types.js';
import type { LocalMesh } from '../../../src/mesh/types.js';
import { readJournal } from '../../../src/runner/journal.js';
import { observingMeshFactory, recordingProgress, repoRoot, runFile, sumCounter, type MeshObservations } from '../../support/runner-harness.js';

const original = async (): Promise<DestinationRule> => (await loadManifests(['experiments/manifests'], repoRoot)).destinationRules.find((r) => r.metadata.name === 'reviews')!;
const servedRule = (mesh: LocalMesh) => mesh.getDestinationRules().find((r) => r.metadata.name === 'reviews');

/** `n` concurrent requests for reviews through the mesh's proxy: their statuses and overload headers. */
async function burst(mesh: LocalMesh, n: number): Promise<{ status: number; overloaded: boolean }[]> {
  return Promise.all(
    Array.from({ length: n }, async () => {
      const res = await request(`${mesh.url}/reviews/1`, { headers: { host: 'reviews' } });
      await res.body.text();
      return { status: res.statusCode, overloaded: res.headers['x-envoy-overloaded'] === 'true' };
    }),
  );
}

describe('traffic.policy and traffic.retries with provider local', () => {
  it('a connectionPool on v2 limits it during the step (a burst gets 503 UO); afterwards the DestinationRule is the original', async () => {
    const rule = await original();
    const seen: MeshObservations = {};
    let during: { replies: Awaited<ReturnType<typeof burst>>; rule: DestinationRule | undefined } | undefined;
    let burstDone: Promise<void> | undefined;
    const progress = recordingProgress((message) => {
      if (!message.startsWith('step 1/1: applied')) return;
      burstDone = (async () => {
        const mesh = seen.mesh!;
        during = { rule: servedRule(mesh), replies: await burst(mesh, 6) };
      })();
    });
    const { out } = await runFile('test/fixtures/policy/pool.yaml', { progress, createMesh: observingMeshFactory(seen) });
    await burstDone;
    expect(out.result.restored).toBe(true);
    // During the step: the subset's trafficPolicy carries the pool, the rest of the rule is the user's.
    expect(during!.rule!.spec.subsets!.find((s) => s.name === 'v2')!.trafficPolicy).toEqual({ connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1 } } });
    expect(during!.rule!.spec.trafficPolicy).toEqual(rule.spec.trafficPolicy);
    // 6 concurrent requests on a 200 ms backend, 1 connection + 1 pending slot: at most 2 are served, at least 4 overflow at once.
    const overflowed = during!.replies.filter((r) => r.status === 503 && r.overloaded);
    expect(overflowed.length, JSON.stringify(during!.replies)).toBeGreaterThanOrEqual(4);
    // The mesh counted them as Envoy does: no workload answered, so the destination is the service alone.
    expect(sumCounter(seen.metrics!, 'istio_requests_total', { reporter: 'source', response_code: '503', response_flags: 'UO', destination_service_name: 'reviews' })).toBeGreaterThanOrEqual(4);
    // After the run: the rule the mesh serves is exactly the original, and the journal kept it.
    expect(servedRule(seen.mesh!)).toEqual(rule);
    const snapshot = (await readJournal(out.journalPath))[0]!;
    expect(snapshot.type === 'snapshot' && snapshot.policyOriginal).toEqual(rule);
  });

  it('traffic.retries on the target route absorbs the canary\'s 500s, and is gone after the run', async () => {
    const seen: MeshObservations = {};
    const { out } = await runFile('test/fixtures/policy/retries.yaml', { createMesh: observingMeshFactory(seen) });
    expect(out.result.outcome, out.result.summary).toBe('passed');
    const canary = out.result.steps[0]!.stats.find((v) => v.version === 'v2')!;
    // The backend fails 30% of tries; with 3 retries a request fails with p = 0.3^4 ≈ 0.0081.
    // Over n ≥ 150 requests, 5 sigma above that mean stays below 5% (sqrt(0.0081·0.99/150) ≈ 0.0073).
    expect(canary.count).toBeGreaterThanOrEqual(150);
    expect(canary.errorRate!).toBeLessThan(0.05);
    // The backend really failed: the mesh's destination side saw its 500s (the client saw almost none).
    expect(sumCounter(seen.metrics!, 'istio_requests_total', { reporter: 'destination', response_code: '500', destination_version: 'v2' })).toBeGreaterThan(0.15 * canary.count);
    expect(seen.final).toEqual(seen.initial);
    expect(seen.final!.spec.http![0]!.retries).toBeUndefined();
  });

  it('Ctrl-C mid-step restores the DestinationRule (exit 130, journal restore-done)', async () => {
    const rule = await original();
    const seen: MeshObservations = {};
    const controller = new AbortController();
    let applied: DestinationRule | undefined;
    const progress = recordingProgress((message) => {
      if (!message.startsWith('step 1/1: applied')) return;
      applied = servedRule(seen.mesh!);
      setTimeout(() => controller.abort(new SignalError('SIGINT')), 500);
    });
    const { out } = await runFile('test/fixtures/policy/pool-slow.yaml', { signal: controller.signal, progress, createMesh: observingMeshFactory(seen) });
    expect(out.result.exitCode).toBe(130);
    expect(out.result.restored).toBe(true);
    expect(applied!.spec.subsets!.find((s) => s.name === 'v2')!.trafficPolicy).toMatchObject({ outlierDetection: { consecutive5xxErrors: 2 } });
    expect(servedRule(seen.mesh!)).toEqual(rule);
    expect((await readJournal(out.journalPath)).map((e) => e.type)).toEqual(['snapshot', 'apply', 'restore-start', 'restore-done', 'end']);
  });
});

