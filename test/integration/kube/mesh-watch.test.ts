/**
 * The local mesh fed by a REAL kube-apiserver (tools/localkube, Istio's CRDs with their CEL rules):
 * not ready before the initial sync (the server is down when the mesh starts), a VirtualService
 * weight patched through the API moves the traffic split, an object the mesh cannot use is refused
 * while the last good version keeps serving, and the API server stopped and started again mid-run:
 * the mesh serves throughout and picks up a change made after the restart. The CLI runs the same
 * mode in-process. Skips loudly without the localkube binary (.tools/localkube/localkube or $MESH_EXP_LOCALKUBE), fails under CI.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { createCaptureStream, createContext } from '../../../src/context.js';
import { SignalError } from '../../../src/errors.js';
import { type CustomObjects, createCustomObjects, DESTINATION_RULE, type JsonPatchOp, type KubeObject, VIRTUAL_SERVICE } from '../../../src/kube/custom-objects.js';
import { createKubeMesh, type KubeMesh } from '../../../src/mesh/kube-mesh.js';
import { type LocalKube, localKubeAvailable, startLocalKube } from '../../support/localkube.js';
import { client, countBy, fiveSigma, instant, repoRoot, waitFor } from '../../support/mesh.js';

const NS = 'bookinfo';
const N = 1000;
const lk: LocalKube | undefined = localKubeAvailable('the mesh watch tests') ? await startLocalKube({ namespace: NS }) : undefined;
let kube: CustomObjects;
let km: KubeMesh;
let http: ReturnType<typeof client>;
const logs: string[] = [];
const logger = { debug: () => undefined, info: (m: string) => logs.push(`info ${m}`), warn: (m: string) => logs.push(`warn ${m}`), error: (m: string) => logs.push(`error ${m}`) };

const dr: KubeObject = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'reviews', namespace: NS },
  spec: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] },
};
const vs: KubeObject = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews', namespace: NS },
  spec: { hosts: ['reviews'], http: [{ name: 'split', route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: 100 }, { destination: { host: 'reviews', subset: 'v2' }, weight: 0 }] }] },
};
const weights = (v1: number, v2: number): JsonPatchOp[] => [
  { op: 'replace', path: '/spec/http/0/route/0/weight', value: v1 },
  { op: 'replace', path: '/spec/http/0/route/1/weight', value: v2 },
];
const json = async (url: string) => (await (await fetch(url)).json()) as Record<string, any>;
const info = () => json(`${km.mesh.adminUrl}/info`);
const dump = () => json(`${km.mesh.adminUrl}/config_dump`);
const ready = async () => (await fetch(`${km.mesh.adminUrl}/ready`)).status;
/** Polls the mesh until it serves `rv` of `label` (the push is asynchronous, like istiod's). */
async function served(label: string, rv: string | undefined) {
  for (const end = Date.now() + 20_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    if ((await dump())['kubernetes'].resourceVersions[label] === rv) return;
  }
  throw new Error(`the mesh never served ${label} at resourceVersion ${rv}: ${JSON.stringify((await dump())['kubernetes'])}`);
}
async function pollUntil(cond: () => Promise<boolean>, ms = 20_000) {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (await cond()) return;
  throw new Error('timed out');
}
/** Share of v2 among N requests (every one must succeed). */
async function v2Share(): Promise<number> {
  const replies = await http.many(N, 16, () => ['reviews']);
  const c = countBy(replies, 'x-version');
  expect((c['v1'] ?? 0) + (c['v2'] ?? 0), JSON.stringify(c)).toBe(N);
  return (c['v2'] ?? 0) / N;
}

beforeAll(async () => {
  if (!lk) return;
  kube = await createCustomObjects(await lk.kubeConfig('admin'));
  await kube.create(DESTINATION_RULE, NS, dr);
  await kube.create(VIRTUAL_SERVICE, NS, vs);
}, 180_000);
afterAll(async () => {
  await http?.close();
  await km?.close();
  await lk?.dispose();
}, 60_000);

describe.skipIf(!lk)('local mesh watching a real kube-apiserver', () => {
  it('is not ready before the initial sync (API server down at start), then serves what the server holds', async () => {
    await lk!.stop();
    km = await createKubeMesh({
      kube: { kubeconfig: lk!.kubeconfigPath('user'), env: {}, cwd: repoRoot },
      namespace: NS,
      backends: [instant('reviews', 'v1'), instant('reviews', 'v2')],
      listen: '127.0.0.1:0',
      admin: '127.0.0.1:0',
      logger,
      reflector: { initialBackoffMs: 100, maxBackoffMs: 800 },
    });
    http = client(km.mesh);
    await pollUntil(async () => (await info())['lastError'] !== null);
    expect(await ready()).toBe(503);
    const before = await info();
    expect(before).toMatchObject({ source: 'kubernetes', server: lk!.server, namespace: NS, synced: false, ready: false });
    expect(before['lastError'].message).toMatch(/cannot reach the Kubernetes API server at https:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expect(logs.filter((l) => l.startsWith('warn kubernetes: cannot reach')).length).toBeGreaterThanOrEqual(1);

    await lk!.start();
    await km.synced();
    expect(await ready()).toBe(200);
    expect(await info()).toMatchObject({ synced: true, ready: true, rejected: [] });
    expect(countBy(await http.many(200, 8, () => ['reviews']), 'x-version')).toEqual({ v1: 200 });
    // The admin API is read-only: the objects are changed in the API server.
    const put = await request(`${km.mesh.adminUrl}/config/virtualservices/${NS}/reviews`, { method: 'PUT', body: JSON.stringify({ virtualService: vs }) });
    expect(put.statusCode).toBe(405);
    expect(((await put.body.json()) as { message: string }).message).toContain('takes its configuration from the Kubernetes API server');
  });

  it('a weight patch through the API server moves the split', async () => {
    const patched = await kube.patch(VIRTUAL_SERVICE, NS, 'reviews', weights(20, 80));
    await served('VirtualService bookinfo/reviews', patched.metadata.resourceVersion);
    expect(Math.abs((await v2Share()) - 0.8)).toBeLessThan(fiveSigma(0.8, N));
    expect(km.mesh.getVirtualService(NS, 'reviews')!.spec.http![0]!.route![1]!.weight).toBe(80);
  });

  it('an object the mesh cannot use is refused (NACK) and the last good version keeps serving; a usable version is taken', async () => {
    // A subset no DestinationRule defines: valid for Istio's CRD schema, unusable for a proxy.
    const bad = await kube.patch(VIRTUAL_SERVICE, NS, 'reviews', [{ op: 'replace', path: '/spec/http/0/route/1/destination/subset', value: 'v9' }]);
    await pollUntil(async () => (await info())['rejected'].includes('VirtualService bookinfo/reviews'));
    const k = (await dump())['kubernetes'];
    expect(k.rejected).toEqual([{ object: 'VirtualService bookinfo/reviews', resourceVersion: bad.metadata.resourceVersion, problems: [expect.objectContaining({ message: expect.stringContaining('has no subset "v9"') })] }]);
    expect(k.resourceVersions['VirtualService bookinfo/reviews']).not.toBe(bad.metadata.resourceVersion);
    expect((await info())['lastError'].message).toMatch(/^refused VirtualService bookinfo\/reviews \(resourceVersion \d+\): its last accepted version stays in force$/);
    expect(logs.some((l) => l.startsWith('warn kubernetes: refused VirtualService bookinfo/reviews') && l.includes('no subset "v9"'))).toBe(true);
    expect(Math.abs((await v2Share()) - 0.8)).toBeLessThan(fiveSigma(0.8, N));

    // Deleting the DestinationRule would strand the routes: refused too, the subsets keep serving.
    await kube.delete(DESTINATION_RULE, NS, 'reviews');
    await pollUntil(async () => (await info())['rejected'].includes('DestinationRule bookinfo/reviews'));
    expect(Math.abs((await v2Share()) - 0.8)).toBeLessThan(fiveSigma(0.8, N));
    const recreated = await kube.create(DESTINATION_RULE, NS, dr);
    await served('DestinationRule bookinfo/reviews', recreated.metadata.resourceVersion);

    const fixed = await kube.patch(VIRTUAL_SERVICE, NS, 'reviews', [{ op: 'replace', path: '/spec/http/0/route/1/destination/subset', value: 'v2' }, ...weights(50, 50)]);
    await served('VirtualService bookinfo/reviews', fixed.metadata.resourceVersion);
    expect((await info())['rejected']).toEqual([]);
    expect(Math.abs((await v2Share()) - 0.5)).toBeLessThan(fiveSigma(0.5, N));
  });

  it('the API server stopped and started again: the mesh serves throughout and resyncs', async () => {
    const stopping = lk!.stop();
    // Traffic while the server goes away and stays away: every request still answered by the last good config.
    const during = http.many(N, 4, () => ['reviews']);
    await stopping;
    await pollUntil(async () => Object.values((await info())['watch'] as Record<string, { state: string }>).every((w) => w.state === 'backoff'));
    expect(await ready()).toBe(200);
    const c = countBy(await during, 'x-version');
    expect((c['v1'] ?? 0) + (c['v2'] ?? 0), JSON.stringify(c)).toBe(N);
    expect(Math.abs((await v2Share()) - 0.5)).toBeLessThan(fiveSigma(0.5, N));

    await lk!.start();
    // A change made after the restart is picked up.
    const after = await kube.patch(VIRTUAL_SERVICE, NS, 'reviews', weights(0, 100));
    await served('VirtualService bookinfo/reviews', after.metadata.resourceVersion);
    expect(countBy(await http.many(300, 8, () => ['reviews']), 'x-version')).toEqual({ v2: 300 });
    // Each reflector re-lists on its own backoff timer: the VirtualService one is back (its change
    // was served), the others may still be waiting out theirs, so wait for all three.
    const states = async () => Object.values((await info())['watch'] as Record<string, { state: string }>).map((w) => w.state);
    await pollUntil(async () => (await states()).every((s) => s === 'watching')).catch(() => undefined);
    expect(await states()).toEqual(['watching', 'watching', 'watching']);
    expect(logs.some((l) => /^info kubernetes: VirtualService list from .* works again/.test(l))).toBe(true);
  });

  it('`mesh-exp mesh --kubeconfig` prints the ready line after the sync and serves the namespace', async () => {
    const stdout = createCaptureStream();
    const stderr = createCaptureStream();
    const controller = new AbortController();
    const ctx = createContext({ stdout, stderr, signal: controller.signal, cwd: repoRoot, env: {} });
    const running = runCli(['mesh', '--kubeconfig', lk!.kubeconfigPath('user'), '-n', NS, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0'], ctx);
    const url = await waitFor(() => /^mesh-exp mesh listening on (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(stdout.text())?.[1], 60_000);
    const r = await request(url, { headers: { host: 'reviews' } });
    expect([r.statusCode, r.headers['x-version']]).toEqual([200, 'v2']);
    await r.body.text();
    expect(stderr.text()).toContain(`watching VirtualServices, DestinationRules and Gateways in namespace ${NS} of ${lk!.server}`);
    controller.abort(new SignalError('SIGTERM'));
    expect(await running).toBe(143);
  });
});
