/**
 * localkube itself (tools/localkube): a real kube-apiserver of the pinned release, Istio's CRDs
 * enforcing their CEL rules, objects kept across a stop and a start on the same data directory,
 * a clean exit on SIGTERM and on the end of stdin (no orphan when the test process dies).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomObjects, type CustomObjects, VIRTUAL_SERVICE } from '../../../src/kube/custom-objects.js';
import { KubeApiError } from '../../../src/kube/kube-error.js';
import { type LocalKube, localKubeAvailable, localKubeBinary, startLocalKube } from '../../support/localkube.js';

const NS = 'lk';
const vs = (name: string, delay: string) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name, namespace: NS },
  spec: { hosts: ['reviews'], http: [{ fault: { delay: { fixedDelay: delay, percentage: { value: 10 } } }, route: [{ destination: { host: 'reviews' } }] }] },
});

/** Runs the binary until it prints the ready line, then ends it with `stop`; resolves with the exit. */
function runUntilReady(stop: (child: ReturnType<typeof spawn>) => void): Promise<{ code: number | null; signal: string | null }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'localkube-exit-'));
  const child = spawn(localKubeBinary(), ['--data-dir', dir, '--exit-with-stdin'], { stdio: ['pipe', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (/localkube ready https:/.test(out)) stop(child);
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, signal });
    });
  });
}

describe.skipIf(!localKubeAvailable('the localkube tests'))('localkube: etcd and kube-apiserver in one process', () => {
  let kube: LocalKube;
  let objects: CustomObjects;
  beforeAll(async () => {
    kube = await startLocalKube({ crds: 'istio', namespace: NS });
    objects = await createCustomObjects(kube.kubeConfig('admin'));
  }, 120_000);
  afterAll(async () => kube?.dispose());

  it('is the pinned kube-apiserver release', async () => {
    const { VersionApi } = await import('@kubernetes/client-node');
    const version = await kube.kubeConfig('admin').makeApiClient(VersionApi).getCode();
    expect(version.gitVersion).toBe('v1.37.2');
    expect(version.minor).toBe('37');
  });

  it("enforces Istio's CRD validation (CEL) as a cluster would", async () => {
    await expect(objects.create(VIRTUAL_SERVICE, NS, vs('fine', '5ms'))).resolves.toMatchObject({ metadata: { name: 'fine' } });
    const err = await objects.create(VIRTUAL_SERVICE, NS, vs('too-short', '0.5ms')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).status).toBe(422);
    expect((err as Error).message).toMatch(/must be a valid duration greater than 1ms/);
  });

  it('keeps every object across a stop and a start (same port, data and credentials)', async () => {
    await objects.create(VIRTUAL_SERVICE, NS, vs('kept', '2s'));
    await kube.stop();
    await expect(objects.get(VIRTUAL_SERVICE, NS, 'kept')).rejects.toThrow(/cannot reach/);
    await kube.start();
    expect((await objects.get(VIRTUAL_SERVICE, NS, 'kept'))?.spec).toEqual(vs('kept', '2s').spec);
  }, 60_000);

  it('exits 0 on SIGTERM', async () => {
    expect(await runUntilReady((c) => c.kill('SIGTERM'))).toEqual({ code: 0, signal: null });
  }, 60_000);

  it('shuts down when its stdin closes (the parent died), so it never outlives a test run', async () => {
    expect(await runUntilReady((c) => c.stdin!.end())).toEqual({ code: 0, signal: null });
  }, 60_000);
});
