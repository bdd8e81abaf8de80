/**
 * Outlier detection through the real proxy: a subset with two echo replicas, one of which answers
 * every request with 503. Retries are off so each 503 reaches the client and is counted once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DestinationRule, VirtualService } from '../../../src/istio/types.js';
import type { OutlierEvent } from '../../../src/mesh/endpoints/outlier-detector.js';
import { echo, useMesh } from '../../support/mesh.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mesh-exp-outlier-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CLUSTER = 'outbound|80|v1|reviews.default.svc.cluster.local';

const dr: DestinationRule = {
  apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'reviews' },
  spec: {
    host: 'reviews',
    subsets: [{ name: 'v1', labels: { version: 'v1' } }],
    trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5, interval: '100ms', baseEjectionTime: '1s', maxEjectionPercent: 50 } },
  },
};
const vs: VirtualService = {
  apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews' },
  spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }], retries: { attempts: 0 } }] },
};
const events: OutlierEvent[] = [];
const local = useMesh(() => ({
  virtualServices: [vs], destinationRules: [dr], backends: [{ ...echo('reviews', 'v1', 'v1', 2), readyPath: '/healthz' }],
  env: { ...process.env, FAIL_CLAIM_FILE: path.join(dir, 'claim') },
  onOutlierEvent: (e) => events.push(e),
}));

const stats = () => Object.fromEntries(local.mesh.outlierStats!().get(CLUSTER) ?? []);
const statuses = async (n: number) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await local.http.send('reviews')).status);
  return out;
};

describe('outlier detection', () => {
  it('ejects the replica after 5 consecutive 503s; traffic then goes only to the healthy one; it comes back after baseEjectionTime', async () => {
    // Round robin alternates the replicas: the bad one's 5th 503 comes within 10 requests.
    const first = await statuses(10);
    expect(first.filter((s) => s === 503)).toHaveLength(5);
    expect(events).toHaveLength(1);
    expect(events[0]!.kind).toBe('eject');
    expect(events[0]!.cluster).toBe(CLUSTER);
    expect(events[0]!.message).toMatch(/^ejected 127\.0\.0\.1:\d+ of reviews v1 after 5 consecutive 5xx$/);
    expect(stats()).toMatchObject({
      'outlier_detection.ejections_enforced_total': 1,
      'outlier_detection.ejections_active': 1,
      'outlier_detection.ejections_enforced_consecutive_5xx': 1,
      'outlier_detection.ejections_enforced_consecutive_gateway_failure': 0,
    });
    const ejectedAt = Date.now();
    expect(await statuses(30)).toEqual(Array(30).fill(200));
    expect(local.mesh.outlierEvents!().map((e) => e.kind)).toEqual(['eject']);

    // After 1 s (plus at most one 100 ms sweep) it is back: its 503s reach the client again.
    let back: number[] = [];
    while (Date.now() - ejectedAt < 5_000) {
      back = await statuses(2);
      if (back.includes(503)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(back).toContain(503);
    expect(Date.now() - ejectedAt).toBeGreaterThanOrEqual(1_000);
    expect(events[1]).toMatchObject({ kind: 'uneject', cluster: CLUSTER });
    expect(events[1]!.endpoint).toBe(events[0]!.endpoint);
    expect(stats()['outlier_detection.ejections_active']).toBe(0);

    // Still failing: ejected again after 5 more 503s, for 2 × baseEjectionTime this time.
    await statuses(10);
    expect(stats()).toMatchObject({ 'outlier_detection.ejections_enforced_total': 2, 'outlier_detection.ejections_active': 1 });
    expect(local.mesh.outlierEvents!().map((e) => e.kind)).toEqual(['eject', 'uneject', 'eject']);
    // The admin port's /stats shows the same counters under Envoy's names.
    const text = await (await fetch(`${local.mesh.adminUrl}/stats`)).text();
    expect(text).toContain(`cluster.${CLUSTER}.outlier_detection.ejections_enforced_total: 2\n`);
    expect(text).toContain(`cluster.${CLUSTER}.outlier_detection.ejections_active: 1\n`);
  });
});
