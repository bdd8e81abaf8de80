/**
 * What each step's objects are called, where they go and which URL their pods send to:
 * - name: `mx-<experiment, at most 30 characters>-<run id>-<step>` (at most 52 characters, so the
 *   pods' names — the Job's name plus index and suffix — stay DNS labels);
 * - namespace: `load.distributed.namespace`, else `target.namespace`;
 * - URL: `load.distributed.url`, else the target's Service inside the cluster,
 *   `http://<target.host>.<target.namespace>.svc.cluster.local<load.path>` (target.host as is when
 *   it already has a dot);
 * - labels: `app.kubernetes.io/managed-by: mesh-exp`, `mesh-exp.dev/load-run: <run id>`.
 */
import type { Experiment } from '../../experiment/schema.js';
import type { LoadPlan } from '../types.js';
import type { DistributedStepInput } from './types.js';

/** The label every object of distributed load carries, with the run's id. */
export const LOAD_RUN_LABEL = 'mesh-exp.dev/load-run';

/** Lowercase, [a-z0-9-] only, at most `max` characters, no dash at either end. */
function slug(text: string, max: number): string {
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, max).replace(/^-+|-+$/g, '') || 'run';
}

/** The URL the pods send to (see the module comment). */
export function inClusterUrl(experiment: Experiment): string {
  const { target, load } = experiment.spec;
  if (load.distributed?.url !== undefined) return load.distributed.url;
  const host = target.host.includes('.') ? target.host : `${target.host}.${target.namespace}.svc.cluster.local`;
  return `http://${host}${load.path}`;
}

/** A step's builder input (without the ownership mark), for the run whose id is `runId` (base36, at most 10 characters). */
export function distributedStepInput(experiment: Experiment, runId: string, plan: LoadPlan, index: number): Omit<DistributedStepInput, 'annotations'> {
  const spec = experiment.spec.load.distributed!;
  const id = slug(runId, 10);
  return {
    experiment,
    spec,
    name: `mx-${slug(experiment.metadata.name, 30)}-${id}-${index + 1}`,
    namespace: spec.namespace ?? experiment.spec.target.namespace,
    plan: { ...plan, url: inClusterUrl(experiment) },
    stepMs: plan.durationMs,
    labels: { 'app.kubernetes.io/managed-by': 'mesh-exp', [LOAD_RUN_LABEL]: id },
  };
}

/** The load plan of a step of `durationMs` as the run would make it for distributed load (what `mesh-exp plan` shows). */
export function distributedLoadPlan(experiment: Experiment, durationMs: number): LoadPlan {
  const { load } = experiment.spec;
  return {
    url: inClusterUrl(experiment),
    ...(load.host !== undefined ? { hostHeader: load.host } : {}),
    method: load.method,
    headers: load.headers,
    ...(load.body !== undefined ? { body: load.body } : {}),
    rate: load.rate,
    durationMs,
    timeoutMs: load.timeout,
    maxInFlight: load.maxInFlight,
    versionHeader: load.versionHeader,
  };
}
