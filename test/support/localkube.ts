/**
 * STAND-IN for branch `kube`'s harness of the same name and API (replace it with theirs on merge):
 * starts tools/localkube (etcd + kube-apiserver in one process) in a temporary data directory,
 * installs Istio's CRDs from ../shared/istio/crd-all.gen.yaml, waits for Established, and can stop
 * and start the server again on the same port and data (objects survive). Without the binary it
 * skips loudly (undefined), and fails under CI=true.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeConfig, V1CustomResourceDefinition } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { requireTool } from './require-tool.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Options of {@link startLocalKube}. */
export interface LocalKubeOptions {
  /** Authorize with RBAC. @default false */
  rbac?: boolean;
  /** CRDs to install. @default "istio" */
  crds?: 'istio' | 'istio+gateway' | 'minimal';
  /** A namespace to create. @default none ("default" exists) */
  namespace?: string;
}

/** A running localkube. */
export interface LocalKube {
  server: string;
  dataDir: string;
  port: number;
  adminKubeconfig: string;
  userKubeconfig: string;
  kubeConfig(which?: 'admin' | 'user'): Promise<KubeConfig>;
  /** Stops the server (SIGTERM), data kept. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes the data. */
  dispose(): Promise<void>;
}

/** Starts localkube, or returns undefined after a loud skip notice when the binary is absent. */
export async function startLocalKube(o: LocalKubeOptions = {}): Promise<LocalKube | undefined> {
  const bin = requireTool(process.env['MESH_EXP_LOCALKUBE'] ?? path.join(repoRoot, '.tools/localkube/localkube'), 'tests against a real kube-apiserver (set MESH_EXP_LOCALKUBE)');
  if (!bin) return undefined;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'localkube-'));
  let child: ChildProcess | undefined;
  let port = 0;
  let server = '';

  const launch = () =>
    new Promise<void>((resolve, reject) => {
      const args = ['--data-dir', dataDir, '--port', String(port), '--exit-with-stdin', ...(o.rbac ? ['--rbac'] : [])];
      const p = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      child = p;
      let out = '';
      let err = '';
      const timer = setTimeout(() => reject(new Error(`localkube not ready in 120 s: ${err.slice(-2000)}`)), 120_000);
      p.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /localkube ready (https:\/\/127\.0\.0\.1:(\d+))/.exec(out);
        if (m) {
          clearTimeout(timer);
          server = m[1]!;
          port = Number(m[2]);
          resolve();
        }
      });
      p.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      p.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`localkube exited with ${code}: ${err.slice(-2000)}`));
      });
    });
  const stop = async () => {
    const p = child;
    child = undefined;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGTERM');
    const t = setTimeout(() => p.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(t);
  };
  const kubeConfig = async (which: 'admin' | 'user' = 'admin') => {
    const { KubeConfig } = await import('@kubernetes/client-node');
    const kc = new KubeConfig();
    kc.loadFromFile(path.join(dataDir, `${which}.kubeconfig`));
    return kc;
  };

  try {
    await launch();
    const kc = await kubeConfig('admin');
    await installCrds(kc, o.crds ?? 'istio');
    if (o.namespace && o.namespace !== 'default') {
      const k8s = await import('@kubernetes/client-node');
      await kc.makeApiClient(k8s.CoreV1Api).createNamespace({ body: { metadata: { name: o.namespace } } });
    }
  } catch (err) {
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    get server() {
      return server;
    },
    dataDir,
    get port() {
      return port;
    },
    adminKubeconfig: path.join(dataDir, 'admin.kubeconfig'),
    userKubeconfig: path.join(dataDir, 'user.kubeconfig'),
    kubeConfig,
    stop,
    start: launch,
    async dispose() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates the Istio networking CRDs and waits until they are Established. */
async function installCrds(kc: KubeConfig, which: LocalKubeOptions['crds']): Promise<void> {
  const file = path.resolve(repoRoot, '../shared/istio/crd-all.gen.yaml');
  if (!existsSync(file)) throw new Error(`${file} is missing (the stand-in harness has no minimal CRDs)`);
  if (which === 'istio+gateway') throw new Error('the stand-in harness installs Istio CRDs only');
  const k8s = await import('@kubernetes/client-node');
  const api = kc.makeApiClient(k8s.ApiextensionsV1Api);
  const crds = parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as V1CustomResourceDefinition | null)
    .filter((c): c is V1CustomResourceDefinition => c?.kind === 'CustomResourceDefinition')
    .filter((c) => which !== 'minimal' || /^(virtualservices|destinationrules)\./.test(c.metadata?.name ?? ''));
  // Raw JSON: client-node's typed serializer mangles some of Istio's schemas (int-or-string fields).
  for (const body of crds) await postJson(kc, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', body);
  const deadline = Date.now() + 60_000;
  for (const c of crds) {
    for (;;) {
      const got = await api.readCustomResourceDefinition({ name: c.metadata!.name! });
      if (got.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CRD ${c.metadata!.name} not Established in 60 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** POSTs `body` as JSON with the kubeconfig's credentials; rejects on a non-2xx answer. */
async function postJson(kc: KubeConfig, path: string, body: unknown): Promise<void> {
  const opts: RequestOptions = { method: 'POST', headers: { 'content-type': 'application/json' } };
  await kc.applyToHTTPSOptions(opts);
  const url = new URL(kc.getCurrentCluster()!.server + path);
  const text = JSON.stringify(body);
  await new Promise<void>((resolve, reject) => {
    const req = httpsRequest(url, opts, (res) => {
      let out = '';
      res.on('data', (d: Buffer) => (out += d.toString()));
      res.on('end', () => ((res.statusCode ?? 0) < 300 ? resolve() : reject(new Error(`POST ${path}: HTTP ${res.statusCode}: ${out}`))));
    });
    req.on('error', reject);
    req.end(text);
  });
}
