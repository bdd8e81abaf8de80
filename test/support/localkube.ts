/**
 * Test harness for localkube (tools/localkube: embedded etcd + a real kube-apiserver, built by
 * scripts/build-localkube.sh). Starts one on a free port and a fresh data directory, installs the
 * CRDs a test needs (Istio's real ones and the Gateway API HTTPRoute CRD, both fetched from the Go
 * module proxy into .tools/crds/ by scripts/provision-tools.sh), creates the test's namespace, and
 * can stop and start the same server (same port, same data, same credentials) to simulate an API
 * server outage.
 *
 * Absence follows require-tool.ts: a loud skip locally, a failure under CI=true.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KubeConfig, V1CustomResourceDefinition } from '@kubernetes/client-node';
import { findTool } from './require-tool.js';
import { freePort } from './free-port.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Istio's real CRDs (all 15, CEL rules included), from the Go module istio.io/api. */
export const ISTIO_CRDS = path.join(repoRoot, '.tools/crds/istio.gen.yaml');
/** The Gateway API HTTPRoute CRD, from the Go module sigs.k8s.io/gateway-api. */
export const HTTPROUTE_CRD = path.join(repoRoot, '.tools/crds/gateway.networking.k8s.io_httproutes.yaml');

/** Which CRDs to install: none, Istio's, or Istio's plus the Gateway API HTTPRoute. */
export type LocalKubeCrds = 'none' | 'istio' | 'istio+gateway';

/** Options for {@link startLocalKube}. */
export interface LocalKubeOptions {
  /** CRDs installed (and waited for until Established) before the promise resolves. @default "istio" */
  crds?: LocalKubeCrds;
  /** Namespace created for the test. @default none */
  namespace?: string;
  /** Authorize with RBAC: the user kubeconfig (User "mesh-exp") can do nothing until bound. @default false */
  rbac?: boolean;
}

/** Who a kubeconfig authenticates as: the cluster admin, or the limited User "mesh-exp". */
export type LocalKubeUser = 'admin' | 'user';

/** A running (or stopped) localkube. */
export interface LocalKube {
  /** https://127.0.0.1:PORT */
  readonly server: string;
  /** Data directory (etcd, certificates, tokens, kubeconfigs, logs). */
  readonly dataDir: string;
  /** Path of the kubeconfig file for `who`. */
  kubeconfigPath(who: LocalKubeUser): string;
  /** A fresh client-node KubeConfig for `who`. */
  kubeConfig(who: LocalKubeUser): KubeConfig;
  /** Installs the CRDs of these YAML files and waits until each is Established. */
  installCrds(files: string[]): Promise<void>;
  /** Stops the server gracefully (the data stays). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes the data directory. */
  dispose(): Promise<void>;
}

/** Where the localkube binary is: `$MESH_EXP_LOCALKUBE`, else .tools/localkube/localkube. */
export function localKubeBinary(): string {
  return process.env['MESH_EXP_LOCALKUBE'] ?? path.join(repoRoot, '.tools/localkube/localkube');
}

/**
 * True when localkube and the CRDs `crds` names are present. Otherwise prints a loud skip notice
 * and returns false — or throws under CI=true, where provisioning must have provided them.
 */
export function localKubeAvailable(why: string, crds: LocalKubeCrds = 'istio'): boolean {
  const bin = findTool(localKubeBinary());
  const provision = '(run: bash scripts/provision-tools.sh)';
  let reason = bin.path ? undefined : `${bin.reason} (build it with: bash scripts/build-localkube.sh)`;
  if (!reason && crds !== 'none' && !existsSync(ISTIO_CRDS)) reason = `Istio's CRDs are missing at ${ISTIO_CRDS} ${provision}`;
  if (!reason && crds === 'istio+gateway' && !existsSync(HTTPROUTE_CRD)) reason = `the HTTPRoute CRD is missing at ${HTTPROUTE_CRD} ${provision}`;
  if (!reason) return true;
  const msg = `localkube is required for ${why}: ${reason}`;
  if (process.env['CI'] === 'true') throw new Error(`${msg} (CI=true: .ci/run must provision it)`);
  process.stderr.write(`\n*** SKIPPING real-component test — ${msg} ***\n\n`);
  return false;
}

const READY = /^localkube ready (https:\/\/\S+)$/m;

function launch(bin: string, args: string[], dataDir: string): Promise<{ child: ChildProcess; server: string }> {
  // stdin stays an open pipe we never write: if this test process dies, the pipe closes and
  // localkube (--exit-with-stdin) shuts down instead of living on as an orphan.
  const child = spawn(bin, [...args, '--exit-with-stdin'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('not ready after 90 s')), 90_000);
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      const log = path.join(dataDir, 'localkube.log');
      const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').slice(-15).join('\n') : '';
      reject(new Error(`localkube: ${e.message}\nstderr: ${err.trim()}\n${log}:\n${tail}`));
    };
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = READY.exec(out);
      if (m) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ child, server: m[1]! });
      }
    });
    child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    child.once('error', fail);
    child.once('exit', (code, signal) => fail(new Error(`exited (${signal ?? code}) before it was ready`)));
  });
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

async function installCrds(kc: KubeConfig, files: string[]): Promise<void> {
  const { ApiextensionsV1Api, loadAllYaml } = await import('@kubernetes/client-node');
  const api = kc.makeApiClient(ApiextensionsV1Api);
  // client-node's typed serializer keeps only the fields it knows by their camelCase model names
  // (x-kubernetes-int-or-string becomes xKubernetesIntOrString): loadAllYaml maps raw YAML onto
  // them; a plain YAML parse would silently drop those keys and the apiserver rejects the CRD.
  const crds = files.flatMap((f) =>
    (loadAllYaml(readFileSync(f, 'utf8')) as (V1CustomResourceDefinition | null)[]).filter(
      (d): d is V1CustomResourceDefinition => d?.kind === 'CustomResourceDefinition',
    ),
  );
  await Promise.all(crds.map((body) => api.createCustomResourceDefinition({ body })));
  const deadline = Date.now() + 60_000;
  for (const crd of crds) {
    for (;;) {
      const got = await api.readCustomResourceDefinition({ name: crd.metadata!.name! });
      if (got.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CRD ${crd.metadata!.name} not Established after 60 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Starts localkube, installs CRDs, creates the namespace. Call {@link LocalKube.dispose} after. */
export async function startLocalKube(options: LocalKubeOptions = {}): Promise<LocalKube> {
  const { KubeConfig, CoreV1Api } = await import('@kubernetes/client-node');
  const bin = localKubeBinary();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'localkube-'));
  const port = await freePort();
  const args = ['--data-dir', dataDir, '--port', String(port), ...(options.rbac ? ['--rbac'] : [])];
  let { child, server } = await launch(bin, args, dataDir);
  const kubeconfigPath = (who: LocalKubeUser) => path.join(dataDir, `${who}.kubeconfig`);
  const kubeConfig = (who: LocalKubeUser) => {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath(who));
    return kc;
  };
  const kube: LocalKube = {
    server,
    dataDir,
    kubeconfigPath,
    kubeConfig,
    installCrds: (files) => installCrds(kubeConfig('admin'), files),
    stop: () => terminate(child),
    start: async () => {
      ({ child } = await launch(bin, args, dataDir));
    },
    dispose: async () => {
      await terminate(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    const crds = options.crds ?? 'istio';
    if (crds !== 'none') await installCrds(kubeConfig('admin'), crds === 'istio' ? [ISTIO_CRDS] : [ISTIO_CRDS, HTTPROUTE_CRD]);
    if (options.namespace) {
      await kubeConfig('admin').makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: options.namespace } } });
    }
  } catch (err) {
    await kube.dispose();
    throw err;
  }
  return kube;
}
