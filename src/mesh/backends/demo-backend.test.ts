import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { createDemoHost, createLatencySampler, replicaFaults } from './demo-backend.js';
import type { Workload } from '../endpoints/endpoint.js';
import { createSeededRandom } from '../../seeded-random.js';
import { tcpExchange } from '../../../test/support/tcp.js';

const workload: Workload = { service: 'reviews.default.svc.cluster.local', serviceName: 'reviews', namespace: 'default', subset: 'v2', name: 'reviews-v2', version: 'v2', app: 'reviews', labels: {} };

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

describe('createLatencySampler', () => {
  it('is log-normal with the given median and p99', () => {
    const sample = createLatencySampler(20, 200, createSeededRandom(2));
    const xs = Array.from({ length: 200_000 }, sample).sort((a, b) => a - b);
    // Sample quantiles of 200 000 draws sit within a few percent of the true ones.
    expect(quantile(xs, 0.5)).toBeGreaterThan(19);
    expect(quantile(xs, 0.5)).toBeLessThan(21);
    expect(quantile(xs, 0.99)).toBeGreaterThan(180);
    expect(quantile(xs, 0.99)).toBeLessThan(220);
    expect(xs[0]).toBeGreaterThan(0);
  });

  it('degenerates to a constant, or to no delay', () => {
    expect(createLatencySampler(5, 5, Math.random)()).toBe(5);
    expect(createLatencySampler(0, 10, Math.random)()).toBe(0);
  });
});

describe('replicaFaults', () => {
  const demo = { latency: { median: 5, p99: 20 }, errorRate: 0.01 };
  it('gives the backend\'s rate and status (500 unless set) to every replica without failing ones', () => {
    expect(replicaFaults(demo, 0)).toEqual({ errorRate: 0.01, status: 500 });
    expect(replicaFaults({ ...demo, errorStatus: 503 }, 2)).toEqual({ errorRate: 0.01, status: 503 });
  });
  it('gives the first failing.replicas replicas the failing rate and status', () => {
    const d = { ...demo, failing: { replicas: 2, errorRate: 0.5, errorStatus: 503 } };
    expect([0, 1, 2].map((i) => replicaFaults(d, i))).toEqual([
      { errorRate: 0.5, status: 503 },
      { errorRate: 0.5, status: 503 },
      { errorRate: 0.01, status: 500 },
    ]);
  });
});

describe('demo backends (worker thread)', () => {
  it('answers 200 with x-version and a JSON body; errorRate answers 500', async () => {
    const host = createDemoHost();
    const ok = await host.start({ workload, instance: 'reviews-v2-0', demo: { latency: { median: 0, p99: 0 }, errorRate: 0 } });
    const bad = await host.start({ workload, instance: 'reviews-v2-1', demo: { latency: { median: 1, p99: 2 }, errorRate: 1 } });
    try {
      const r = await request(`http://127.0.0.1:${ok.port}/reviews/1?x=1`);
      expect(r.statusCode).toBe(200);
      expect(r.headers['x-version']).toBe('v2');
      expect(r.headers['x-instance']).toBe('reviews-v2-0');
      expect(await r.body.json()).toEqual({ service: 'reviews', version: 'v2', instance: 'reviews-v2-0', path: '/reviews/1?x=1' });
      const e = await request(`http://127.0.0.1:${bad.port}/`, { method: 'POST', body: 'x' });
      expect(e.statusCode).toBe(500);
      await e.body.text();
      await ok.close();
      await expect(request(`http://127.0.0.1:${ok.port}/`)).rejects.toThrow();
    } finally {
      await bad.close();
      await host.close();
    }
  });

  it('errorStatus sets the failed answers\' status; the first failing.replicas replicas fail on their own terms', async () => {
    const host = createDemoHost();
    const demo = { latency: { median: 0, p99: 0 }, errorRate: 1, errorStatus: 503, failing: { replicas: 1, errorRate: 1, errorStatus: 502 } };
    const failing = await host.start({ workload, instance: 'reviews-v2-0', demo, replica: 0 });
    const other = await host.start({ workload, instance: 'reviews-v2-1', demo, replica: 1 });
    try {
      const a = await request(`http://127.0.0.1:${failing.port}/`);
      await a.body.text();
      const b = await request(`http://127.0.0.1:${other.port}/`);
      await b.body.text();
      expect([a.statusCode, b.statusCode]).toEqual([502, 503]);
    } finally {
      await host.close();
    }
  });

  it('delays answers by the configured latency', async () => {
    const host = createDemoHost();
    try {
      const slow = await host.start({ workload, instance: 'reviews-v2-0', demo: { latency: { median: 150, p99: 150 }, errorRate: 0 } });
      const t0 = performance.now();
      const r = await request(`http://127.0.0.1:${slow.port}/`);
      await r.body.text();
      expect(performance.now() - t0).toBeGreaterThanOrEqual(145);
    } finally {
      await host.close();
    }
  });

  it('serves a TCP echo like Istio\'s tcp-echo: "<prefix> <line>" per line, and ends after the client does', async () => {
    const host = createDemoHost();
    try {
      const echo = await host.start({ workload, instance: 'tcp-echo-v1-0', demo: { latency: { median: 0, p99: 0 }, errorRate: 0 }, tcpEcho: { prefix: 'one' } });
      expect(await tcpExchange(echo.port, 'hello\nworld\ntail')).toEqual({ text: 'one hello\none world\none tail', ended: true });
      await echo.close();
      expect((await tcpExchange(echo.port, 'x')).text).toBe('');
    } finally {
      await host.close();
    }
  });
});
