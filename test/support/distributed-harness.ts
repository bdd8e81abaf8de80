/**
 * Helpers of the distributed-load tests (load.distributed against localkube): the experiment file,
 * the run's load objects as the API server lists them, and their journal entries.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';

/** Namespace of the target and of the load objects. */
export const DIST_NS = 'storefront';

/** Options of {@link writeDistributedExperiment}. */
export interface DistributedExperimentOptions {
  /** vegeta or k6. */
  generator: 'vegeta' | 'k6';
  /** Prometheus base URL. */
  prometheus: string;
  /** no-data checks fail (rollback) or not (promote). */
  noDataFails: boolean;
  /** Pods. @default 3 */
  replicas?: number;
  /** Step length. @default "2s" */
  interval?: string;
  /** load.distributed.url. @default the in-cluster default */
  url?: string;
  /** Shift steps. @default [50, 100] */
  steps?: number[];
  /** Workload template of Prometheus. @default the schema's */
  workload?: string;
}

/** Writes an experiment (provider istio on storefront/reviews, v1 → v3, judged on Prometheus) with load.distributed. */
export async function writeDistributedExperiment(file: string, o: DistributedExperimentOptions): Promise<string> {
  const doc = {
    apiVersion: 'mesh-exp.dev/v1alpha1',
    kind: 'Experiment',
    metadata: { name: `distributed-${o.generator}` },
    spec: {
      target: { provider: 'istio', namespace: DIST_NS, virtualService: 'reviews', route: 'primary', host: 'reviews', stable: 'v1', canary: 'v3' },
      traffic: { shift: { steps: o.steps ?? [50, 100], interval: o.interval ?? '2s' } },
      load: {
        generator: o.generator,
        rate: 30,
        host: 'reviews',
        distributed: {
          replicas: o.replicas ?? 3,
          ...(o.generator === 'vegeta' ? { image: 'registry.example.com/tools/vegeta:12.13.0' } : {}),
          ...(o.url ? { url: o.url } : {}),
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
        },
      },
      metrics: { prometheus: { address: o.prometheus, ...(o.workload ? { workload: o.workload } : {}) } },
      slos: [{ kind: 'prometheus', builtin: 'request-success-rate', subject: 'canary', min: 99 }],
      analysis: { noDataFails: o.noDataFails },
    },
  };
  await writeFile(file, stringify(doc));
  return file;
}

/** A load object as listed: kind, name, and the object. */
export interface ListedObject {
  kind: string;
  name: string;
  object: Record<string, unknown> & { metadata: { name: string; annotations?: Record<string, string> } };
}

/**
 * The objects labelled managed-by mesh-exp in `namespace`: ConfigMaps, Jobs, and TestRuns (when
 * `testRuns`). A 429 "storage is (re)initializing" (a CRD just installed) is waited out, up to 10 s.
 */
export async function listLoadObjects(kc: KubeConfig, namespace: string, testRuns = true): Promise<ListedObject[]> {
  for (let tries = 0; ; tries++) {
    try {
      return await listOnce(kc, namespace, testRuns);
    } catch (err) {
      if ((err as { code?: number }).code !== 429 || tries >= 20) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function listOnce(kc: KubeConfig, namespace: string, testRuns: boolean): Promise<ListedObject[]> {
  const k8s = await import('@kubernetes/client-node');
  const labelSelector = 'app.kubernetes.io/managed-by=mesh-exp';
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const batch = kc.makeApiClient(k8s.BatchV1Api);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const out: ListedObject[] = [];
  for (const o of (await core.listNamespacedConfigMap({ namespace, labelSelector })).items) out.push({ kind: 'ConfigMap', name: o.metadata!.name!, object: o as never });
  for (const o of (await batch.listNamespacedJob({ namespace, labelSelector })).items) out.push({ kind: 'Job', name: o.metadata!.name!, object: o as never });
  if (testRuns) {
    const list = (await custom.listNamespacedCustomObject({ group: 'k6.io', version: 'v1alpha1', namespace, plural: 'testruns', labelSelector })) as { items: ListedObject['object'][] };
    for (const o of list.items) out.push({ kind: 'TestRun', name: o.metadata.name, object: o });
  }
  return out;
}

/** Polls the load objects every 50 ms while `until` is pending; resolves every distinct object seen (first sighting). */
export function watchLoadObjects(kc: KubeConfig, namespace: string, until: Promise<unknown>): Promise<Map<string, ListedObject>> {
  const seen = new Map<string, ListedObject>();
  let done = false;
  void until.finally(() => (done = true));
  return (async () => {
    while (!done) {
      for (const o of await listLoadObjects(kc, namespace).catch(() => [])) if (!seen.has(`${o.kind}/${o.name}`)) seen.set(`${o.kind}/${o.name}`, o);
      await new Promise((r) => setTimeout(r, 50));
    }
    return seen;
  })();
}

/** The journal's cluster-object and cluster-object-deleted entries, as "created Kind/name" and "deleted Kind/name (how)". */
export async function journalObjectLines(runDir: string): Promise<string[]> {
  const lines = (await readFile(path.join(runDir, 'journal.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
  return lines
    .filter((e) => e['type'] === 'cluster-object' || e['type'] === 'cluster-object-deleted')
    .map((e) => (e['type'] === 'cluster-object' ? `created ${e['kind']}/${e['name']}` : `deleted ${e['kind']}/${e['name']} (${e['how']})`));
}
