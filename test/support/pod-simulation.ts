/**
 * A SIMULATION of the pods of distributed load's indexed Jobs, for a machine where no kubelet runs
 * (localkube is a bare kube-apiserver). It watches the API server for the run's Jobs; for each new
 * one it reads the Job AS CREATED (and the ConfigMap its volume names) back from the API server and
 * starts, for each completion index, the pod's own container command line as a local process.
 * Exactly these substitutions are made, and nothing else:
 *   1. the command `vegeta` → the real binary, `.tools/vegeta/bin/vegeta` (the image's PATH);
 *   2. `$(JOB_COMPLETION_INDEX)` → the pod's index 0..completions-1 (what the kubelet expands);
 *   3. `-targets=<mountPath>/<file>` → the same file, written from the ConfigMap as created, into a
 *      local directory (what the volume mount does), with the target URL's origin (the in-cluster
 *      Service, e.g. http://reviews.shop.svc.cluster.local) replaced by the local mesh's proxy URL;
 *   4. `-prometheus-addr=0.0.0.0:8880` → `127.0.0.1:<port of pod i>` (each pod has its own IP in a
 *      cluster; here they share one, so each gets its own port, which Prometheus scrapes).
 * The processes run until vegeta's own -duration ends them, or {@link PodSimulation.stop}.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { KubeConfig, V1Job } from '@kubernetes/client-node';
import { createClusterObjects, type ClusterObjects } from '../../src/kube/cluster-objects.js';
import { repoRoot } from './recover-harness.js';

/** The real vegeta binary the simulated pods run. */
export const VEGETA_BINARY = path.join(repoRoot, '.tools/vegeta/bin/vegeta');

/** One simulated pod. */
export interface SimulatedPod {
  /** The Job it belongs to. */
  job: string;
  /** Its completion index. */
  index: number;
  /** The command line as run (after the substitutions). */
  argv: string[];
  /** The container's args as created in the API server (before them). */
  createdArgs: string[];
  /** Exit code once it ended (null: still running or killed). */
  exitCode: number | null;
  /** Its stderr. */
  stderr: string;
}

/** Options of {@link simulatePods}. */
export interface PodSimulationOptions {
  /** Who reads the Jobs. */
  kubeConfig: KubeConfig;
  /** Namespace of the Jobs. */
  namespace: string;
  /** URL origin the pods' targets are redirected to (the local mesh proxy), e.g. http://127.0.0.1:4000. */
  localOrigin: string;
  /** Port of pod i's Prometheus exporter (one per index). */
  metricsPorts: number[];
  /** Where the targets files are written. */
  dir: string;
}

/** A running simulation. */
export interface PodSimulation {
  /** Every pod started so far. */
  readonly pods: SimulatedPod[];
  /** Stops watching and kills the pods still running. */
  stop(): Promise<void>;
}

/** Starts watching for Jobs (every 50 ms) and simulating their pods; see the module comment. */
export async function simulatePods(o: PodSimulationOptions): Promise<PodSimulation> {
  const k8s = await import('@kubernetes/client-node');
  const batch = o.kubeConfig.makeApiClient(k8s.BatchV1Api);
  const objects: ClusterObjects = await createClusterObjects(o.kubeConfig);
  const pods: SimulatedPod[] = [];
  const children: ChildProcess[] = [];
  const started = new Set<string>();
  let stopped = false;

  const startJob = async (name: string) => {
    // As created: read back from the API server, not the builder's output.
    const job = (await objects.read({ apiVersion: 'batch/v1', kind: 'Job', namespace: o.namespace, name })) as unknown as V1Job;
    const container = job.spec!.template.spec!.containers[0]!;
    const mount = container.volumeMounts![0]!;
    const volume = job.spec!.template.spec!.volumes!.find((v) => v.name === mount.name)!;
    const cm = await objects.read({ apiVersion: 'v1', kind: 'ConfigMap', namespace: o.namespace, name: volume.configMap!.name! });
    const dir = path.join(o.dir, name);
    await mkdir(dir, { recursive: true });
    for (const [file, text] of Object.entries((cm?.['data'] ?? {}) as Record<string, string>)) {
      const local = text.split('\n').filter(Boolean).map((line) => {
        const target = JSON.parse(line) as { url: string };
        const url = new URL(target.url);
        return JSON.stringify({ ...target, url: `${o.localOrigin}${url.pathname}${url.search}` });
      });
      await writeFile(path.join(dir, file), `${local.join('\n')}\n`);
    }
    const createdArgs = container.args ?? [];
    for (let index = 0; index < job.spec!.completions!; index++) {
      const args = createdArgs.map((a) =>
        a
          .replaceAll('$(JOB_COMPLETION_INDEX)', String(index))
          .replace(/^-targets=(.*)$/, (_, p: string) => `-targets=${path.join(dir, path.relative(mount.mountPath, p))}`)
          .replace(/^-prometheus-addr=0\.0\.0\.0:\d+$/, `-prometheus-addr=127.0.0.1:${o.metricsPorts[index]}`),
      );
      const argv = [container.command![0] === 'vegeta' ? VEGETA_BINARY : container.command![0]!, ...container.command!.slice(1), ...args];
      const pod: SimulatedPod = { job: name, index, argv, createdArgs, exitCode: null, stderr: '' };
      const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr!.on('data', (d: Buffer) => (pod.stderr += d.toString()));
      child.on('exit', (code) => (pod.exitCode = code));
      pods.push(pod);
      children.push(child);
    }
  };

  const loop = (async () => {
    while (!stopped) {
      const jobs = await batch.listNamespacedJob({ namespace: o.namespace, labelSelector: 'app.kubernetes.io/managed-by=mesh-exp' }).catch(() => ({ items: [] as V1Job[] }));
      for (const job of jobs.items) {
        const name = job.metadata!.name!;
        if (started.has(name)) continue;
        started.add(name);
        await startJob(name);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();

  return {
    pods,
    async stop() {
      stopped = true;
      await loop;
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    },
  };
}
