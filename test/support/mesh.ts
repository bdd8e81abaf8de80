/**
 * Helpers for the local-mesh integration tests: the Bookinfo-style manifests (test/support/bookinfo.ts), fixtures, fast demo backends,
 * a mesh started per test file ({@link useMesh}), an HTTP client that sets the Host header, and metrics.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { afterAll, beforeAll } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { DestinationRule, Gateway, IstioObject, VirtualService } from '../../src/istio/types.js';
import { createLocalMesh } from '../../src/mesh/local-mesh.js';
import { parsePrometheusText, type PromSample } from '../../src/mesh/telemetry/prom-parse.js';
import type { LocalMesh, LocalMeshOptions, MeshListener } from '../../src/mesh/types.js';
import type { BackendSpec } from '../../src/experiment/schema.js';

/** Repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** This component's fixtures. */
export const fixturesDir = path.resolve(repoRoot, 'test/fixtures/mesh');
/** The echo backend (see its header for the per-request knobs). */
export const echoBackendPath = path.join(fixturesDir, 'echo-backend.mjs');

/** All objects of YAML files (multi-document), in order. */
export function readObjects(files: string[]): IstioObject[] {
  return files.flatMap((f) => parseAllDocuments(readFileSync(f, 'utf8')).map((d) => d.toJS() as IstioObject | null)).filter((o): o is IstioObject => o !== null);
}

/** Splits objects into the kinds the mesh takes (`gateways` only when there are some). */
export function manifests(files: string[]): { virtualServices: VirtualService[]; destinationRules: DestinationRule[]; gateways?: Gateway[] } {
  const objs = readObjects(files);
  const gateways = objs.filter((o): o is Gateway => o.kind === 'Gateway');
  return {
    virtualServices: objs.filter((o): o is VirtualService => o.kind === 'VirtualService'),
    destinationRules: objs.filter((o): o is DestinationRule => o.kind === 'DestinationRule'),
    ...(gateways.length ? { gateways } : {}),
  };
}

/** The mesh's listener with `key` ("gateway:80", "mesh:<fqdn>:<port>"); throws when it is not open. */
export function listenerOf(mesh: LocalMesh, key: string): MeshListener {
  const l = mesh.listeners?.().find((x) => x.key === key);
  if (!l) throw new Error(`no listener ${key}; open: ${JSON.stringify(mesh.listeners?.().map((x) => x.key))}`);
  return l;
}

export { bookinfo } from './bookinfo.js';
/** Fixture files by name. */
export const fixture = (...names: string[]) => names.map((n) => path.join(fixturesDir, n));

/** A demo backend with no latency (fast tests). */
export function instant(host: string, subset: string, extra: Partial<BackendSpec> = {}): BackendSpec {
  return { host, subset, replicas: 1, readyPath: '/', demo: { latency: { median: 0, p99: 0 }, errorRate: 0 }, ...extra };
}

/** An echo backend (a real process) reporting `version`. */
export function echo(host: string, subset: string, version = subset, replicas = 1): BackendSpec {
  return { host, subset, replicas, readyPath: '/', command: [process.execPath, echoBackendPath, version] };
}

/** Instant demo backends for every subset of the given DestinationRules. */
export function instantAll(drs: DestinationRule[]): BackendSpec[] {
  return drs.flatMap((dr) => (dr.spec.subsets ?? []).map((s) => instant(dr.spec.host, s.name)));
}

/** A response as the tests look at it. */
export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  ms: number;
}

/** Options of one request. */
export interface SendOptions {
  path?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A client for one mesh: keep-alive pool, Host header set per request. */
export function client(mesh: LocalMesh, connections = 64) {
  return clientAt(mesh.url, connections);
}

/** A client for one HTTP listener (the mesh's, or a gateway's `MeshListener.url`). */
export function clientAt(url: string, connections = 64) {
  const pool = new Pool(url, { connections, pipelining: 1 });
  const send = async (host: string, o: SendOptions = {}): Promise<Reply> => {
    const t0 = performance.now();
    const r = await pool.request({
      path: o.path ?? '/',
      method: (o.method ?? 'GET') as 'GET',
      headers: { host, ...(o.headers ?? {}) },
      body: o.body ?? null,
    });
    const body = await r.body.text();
    return { status: r.statusCode, headers: r.headers, body, ms: performance.now() - t0 };
  };
  /** Sends `n` requests, `concurrency` at a time; `make(i)` gives host and options. */
  const many = async (n: number, concurrency: number, make: (i: number) => [string, SendOptions?]): Promise<Reply[]> => {
    const out: Reply[] = new Array(n);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < n; i = next++) {
        const [host, opts] = make(i);
        out[i] = await send(host, opts);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
    return out;
  };
  return { send, many, close: () => pool.close() };
}

/** A running mesh and a client for it. */
export interface MeshUnderTest {
  mesh: LocalMesh;
  http: ReturnType<typeof client>;
}

/** Starts a local mesh and a client for it; `listen` and `admin` default to loopback on free ports (not Istio's). */
export async function startMesh(options: LocalMeshOptions): Promise<MeshUnderTest> {
  const mesh = await createLocalMesh({ listen: '127.0.0.1:0', admin: '127.0.0.1:0', ...options });
  return { mesh, http: client(mesh) };
}

/**
 * Registers beforeAll/afterAll hooks that start the mesh `options()` describes, with a client, and
 * close both after the file's tests. The returned object is filled in before the first test.
 */
export function useMesh(options: () => LocalMeshOptions): MeshUnderTest {
  const state = {} as MeshUnderTest;
  beforeAll(async () => {
    Object.assign(state, await startMesh(options()));
  });
  afterAll(async () => {
    await state.http?.close();
    await state.mesh?.close();
  });
  return state;
}

/** The one-subset DestinationRule (`reviews` v1) of the tests that run a single echo backend. */
export const reviewsV1: DestinationRule = {
  apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'reviews' },
  spec: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] },
};

/** Counts replies by a header value. */
export function countBy(replies: Reply[], header: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of replies) {
    const v = String(r.headers[header] ?? `status ${r.status}`);
    out[v] = (out[v] ?? 0) + 1;
  }
  return out;
}

/** The mesh's metrics, fetched over its admin port like Prometheus does. */
export async function scrape(mesh: LocalMesh): Promise<PromSample[]> {
  const r = await fetch(`${mesh.adminUrl}/stats/prometheus`);
  return parsePrometheusText(await r.text()).samples;
}

/** The admin port's Envoy cluster stats (GET /stats), as `cluster.<name>.<stat>` → value. */
export async function adminStats(mesh: LocalMesh): Promise<Map<string, number>> {
  const r = await fetch(`${mesh.adminUrl}/stats`);
  if (r.status !== 200) throw new Error(`GET /stats answered ${r.status}`);
  const out = new Map<string, number>();
  for (const line of (await r.text()).split('\n')) {
    const m = /^(cluster\..+): (\d+)$/.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

/** One stat of one cluster from {@link adminStats} (0 when absent). */
export const clusterStat = (s: Map<string, number>, cluster: string, name: string): number => s.get(`cluster.${cluster}.${name}`) ?? 0;

/** The 5-sigma half-width of a binomial share estimate: 5·sqrt(p(1−p)/n). */
export function fiveSigma(p: number, n: number): number {
  return 5 * Math.sqrt((p * (1 - p)) / n);
}

/** Polls `read` until it returns the same value twice `everyMs` apart (mirrors are fire-and-forget). */
export async function settle<T>(read: () => T | Promise<T>, everyMs = 200, maxMs = 10_000): Promise<T> {
  let last = await read();
  const deadline = Date.now() + maxMs;
  for (;;) {
    await new Promise((r) => setTimeout(r, everyMs));
    const now = await read();
    if (JSON.stringify(now) === JSON.stringify(last) || Date.now() > deadline) return now;
    last = now;
  }
}

/** Resolves once `read()` is truthy (polling every 20 ms), or rejects after `ms`. */
export async function waitFor<T>(read: () => T | undefined | null | false, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = read();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
