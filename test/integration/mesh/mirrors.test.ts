/**
 * Mirroring through the real proxy, observed at the mirror backends themselves (echo processes
 * logging every request they receive): percentages, mirrors[], the Host header of copies, and that
 * copies never affect the client.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalMesh } from '../../../src/mesh/local-mesh.js';
import { sumSamples } from '../../../src/mesh/telemetry/prom-parse.js';
import type { LocalMesh } from '../../../src/mesh/types.js';
import { bookinfo, client, countBy, echo, fiveSigma, fixture, instant, manifests, scrape, settle } from '../../support/mesh.js';

interface Logged {
  version: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

const dir = mkdtempSync(path.join(tmpdir(), 'mesh-mirror-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function startMesh(logFile: string, shadowHostSuffix: boolean): Promise<LocalMesh> {
  const m = manifests([...bookinfo('destination-rule-all.yaml'), ...fixture('mirrors.yaml')]);
  return createLocalMesh({
    ...m,
    backends: [
      instant('reviews', 'v1'), echo('reviews', 'v2'), instant('reviews', 'v3'),
      instant('ratings', 'v1'), echo('ratings', 'v2'), echo('ratings', 'v2-mysql'), instant('ratings', 'v2-mysql-vm'),
      instant('productpage', 'v1'), instant('details', 'v1'), instant('details', 'v2'),
    ],
    env: { LOG_FILE: logFile },
    shadowHostSuffix,
    listen: '127.0.0.1:0',
    admin: '127.0.0.1:0',
  });
}

/** Requests the echo backends logged that came through the mesh (readiness probes do not carry x-request-id). */
const readLog = (file: string): Logged[] => {
  try {
    const all = readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Logged);
    return all.filter((l) => l.headers['x-request-id'] !== undefined);
  } catch {
    return [];
  }
};

/** Waits until the log has grown past `before` and then stopped growing (copies are fire-and-forget). */
async function settleGrowth(file: string, before: number): Promise<void> {
  for (let t = Date.now(); Date.now() - t < 10_000; ) {
    if ((await settle(() => readLog(file).length, 300)) > before) return;
  }
}

describe('mirroring (Istio ≥ 1.28 Host semantics)', () => {
  const log = path.join(dir, 'mirror.jsonl');
  let mesh: LocalMesh;
  let http: ReturnType<typeof client>;
  beforeAll(async () => {
    mesh = await startMesh(log, false);
    http = client(mesh);
  });
  afterAll(async () => {
    await http.close();
    await mesh.close();
  });

  it('copies mirrorPercentage 25% of requests to the mirror (n = 2000, 5σ = 0.048); the client only sees the primary', async () => {
    const n = 2000;
    const replies = await http.many(n, 32, (i) => ['reviews:9080', { path: `/r/${i}`, headers: { 'x-echo-status': '500' } }]);
    // The mirror answers 500 (x-echo-status) but the client never sees it.
    expect(countBy(replies, 'x-version')).toEqual({ v1: n });
    // Copies are fire-and-forget: wait until the mesh has seen every mirror response it will see
    // (its count stops moving) and the backend's log holds as many, rather than until the log is
    // merely quiet for a moment (on a loaded machine it can be quiet and still empty).
    const mirrored = async () => sumSamples(await scrape(mesh), 'istio_requests_total', { reporter: 'destination', destination_workload: 'reviews-v2' });
    const state = async () => [await mirrored(), readLog(log).filter((l) => l.version === 'v2').length] as const;
    for (let t = Date.now(); Date.now() - t < 10_000; ) {
      const [a, b] = await settle(state, 300);
      if (a > 0 && a === b) break;
    }
    const copies = readLog(log).filter((l) => l.version === 'v2');
    expect(copies.length).toBe(await mirrored());
    expect(Math.abs(copies.length / n - 0.25)).toBeLessThan(fiveSigma(0.25, n));
    // Copies carry the original Host and path.
    expect(new Set(copies.map((c) => c.headers['host']))).toEqual(new Set(['reviews:9080']));
    expect(copies.every((c) => /^\/r\/\d+$/.test(c.url))).toBe(true);
    // Mirrored requests are metrics of their own destination.
    const samples = await scrape(mesh);
    expect(sumSamples(samples, 'istio_requests_total', { reporter: 'destination', destination_workload: 'reviews-v2', response_code: '500' })).toBe(copies.length);
    expect(sumSamples(samples, 'istio_requests_total', { reporter: 'source', destination_workload: 'reviews-v2' })).toBe(0);
  });

  it('mirrors[]: each mirror draws its own percentage (50% and 10%, n = 2000, 5σ bounds)', async () => {
    const before = readLog(log).length;
    const n = 2000;
    const replies = await http.many(n, 32, () => ['ratings', { method: 'POST', body: 'payload' }]);
    expect(countBy(replies, 'x-version')).toEqual({ v1: n });
    await settleGrowth(log, before);
    const copies = readLog(log).slice(before);
    const v2 = copies.filter((c) => c.version === 'v2').length;
    const mysql = copies.filter((c) => c.version === 'v2-mysql').length;
    expect(Math.abs(v2 / n - 0.5)).toBeLessThan(fiveSigma(0.5, n));
    expect(Math.abs(mysql / n - 0.1)).toBeLessThan(fiveSigma(0.1, n));
    // The copy gets the request body too.
    expect(copies.every((c) => c.body === 'payload')).toBe(true);
  });
});

describe('mirroring with shadowHostSuffix (Istio < 1.28)', () => {
  it('appends -shadow to the Host of copies', async () => {
    const log = path.join(dir, 'shadow.jsonl');
    const mesh = await startMesh(log, true);
    const http = client(mesh);
    try {
      await http.many(200, 8, () => ['reviews:9080']);
      await settleGrowth(log, 0);
      const hosts = new Set(readLog(log).map((c) => c.headers['host']));
      expect(hosts).toEqual(new Set(['reviews-shadow:9080']));
    } finally {
      await http.close();
      await mesh.close();
    }
  });
});
