import { describe, expect, it } from 'vitest';
import type { ClusterObjects, ObjectRef } from '../../kube/cluster-objects.js';
import type { KubeObject } from '../../kube/custom-objects.js';
import { KubeApiError } from '../../kube/kube-error.js';
import type { LoadPlan } from '../types.js';
import { createDistributedLoad } from './distributed-load.js';
import type { ClusterObject, DistributedBuilder } from './types.js';

const plan: LoadPlan = { url: 'http://x/', method: 'GET', headers: {}, rate: 10, durationMs: 20, timeoutMs: 1000, maxInFlight: 10, versionHeader: 'x-version' };
const builder: DistributedBuilder = {
  generator: 'test',
  rbac: [],
  build: ({ name, namespace, annotations }) =>
    ['ConfigMap', 'Job'].map((kind): ClusterObject => ({ apiVersion: kind === 'Job' ? 'batch/v1' : 'v1', kind, metadata: { name, namespace, annotations } })),
};
const show = (r: ObjectRef) => `${r.kind}/${r.name}`;

/** A cluster that records every call in `log` (and can refuse the create of one kind). */
function recordingCluster(log: string[], refuseCreate?: string): ClusterObjects {
  const live = new Set<string>();
  return {
    server: 'https://test',
    async create(body, options) {
      if (options?.dryRun) return log.push(`dry-run ${body.kind}`), body;
      if (body.kind === refuseCreate) throw new KubeApiError('forbidden', { status: 403, request: { verb: 'create', resource: 'jobs.batch' } });
      log.push(`create ${body.kind}/${body.metadata.name} marked ${body.metadata.annotations?.['mark']}`);
      live.add(show(body as ObjectRef & KubeObject));
      return body;
    },
    read: async () => undefined,
    async delete(ref) {
      log.push(`delete ${show(ref)}`);
      return live.delete(show(ref));
    },
    requireAllowed: async (verb, ref) => void log.push(`may ${verb} ${ref.kind}`),
  };
}

function setUp(log: string[], refuseCreate?: string) {
  const cluster = recordingCluster(log, refuseCreate);
  const load = createDistributedLoad({
    objects: async () => cluster,
    builder,
    stepInput: (p, index) => ({ experiment: undefined as never, spec: { replicas: 1 }, name: `step-${index + 1}`, namespace: 'ns', plan: p, stepMs: p.durationMs, labels: {} }),
  });
  const generator = load.generator({ mark: 'run-1' }, {
    beforeCreate: async (r) => void log.push(`journal ${show(r)}`),
    afterDelete: async (r) => void log.push(`journal deleted ${show(r)}`),
  });
  return { load, generator };
}

describe('distributed load lifecycle', () => {
  it('journals each object before creating it, marks it, and deletes in reverse order when the load ends', async () => {
    const log: string[] = [];
    const { generator } = setUp(log);
    await generator.run(plan, () => {}, new AbortController().signal);
    await generator.run(plan, () => {}, new AbortController().signal);
    expect(log).toEqual([
      'journal ConfigMap/step-1', 'create ConfigMap/step-1 marked run-1', 'journal Job/step-1', 'create Job/step-1 marked run-1',
      'delete Job/step-1', 'journal deleted Job/step-1', 'delete ConfigMap/step-1', 'journal deleted ConfigMap/step-1',
      'journal ConfigMap/step-2', 'create ConfigMap/step-2 marked run-1', 'journal Job/step-2', 'create Job/step-2 marked run-1',
      'delete Job/step-2', 'journal deleted Job/step-2', 'delete ConfigMap/step-2', 'journal deleted ConfigMap/step-2',
    ]);
  });

  it('an abort ends the wait at once and still deletes', async () => {
    const log: string[] = [];
    const { generator } = setUp(log);
    const abort = new AbortController();
    const running = generator.run({ ...plan, durationMs: 3_600_000 }, () => {}, abort.signal);
    await new Promise((r) => setTimeout(r, 5));
    abort.abort();
    await running;
    expect(log.slice(-4)).toEqual(['delete Job/step-1', 'journal deleted Job/step-1', 'delete ConfigMap/step-1', 'journal deleted ConfigMap/step-1']);
  });

  it('a refused create deletes what was created (and the journaled one that never was) and rethrows', async () => {
    const log: string[] = [];
    const { generator } = setUp(log, 'Job');
    await expect(generator.run(plan, () => {}, new AbortController().signal)).rejects.toThrow('forbidden');
    expect(log).toEqual(['journal ConfigMap/step-1', 'create ConfigMap/step-1 marked run-1', 'journal Job/step-1', 'delete Job/step-1', 'journal deleted Job/step-1', 'delete ConfigMap/step-1', 'journal deleted ConfigMap/step-1']);
  });

  it('preflight checks delete and get before the dry-run creates; close deletes nothing when all is deleted', async () => {
    const log: string[] = [];
    const { load } = setUp(log);
    await load.preflight(plan);
    expect(log).toEqual(['may delete ConfigMap', 'may get ConfigMap', 'may delete Job', 'may get Job', 'dry-run ConfigMap', 'dry-run Job']);
    await load.close();
    expect(log).toHaveLength(6);
  });
});
