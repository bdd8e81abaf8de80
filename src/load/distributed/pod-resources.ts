/**
 * Pieces both builders share: the pods' resources as Kubernetes writes them, and the step's
 * deadline.
 */
import type { LoadDistributedSpec } from '../../experiment/load-distributed-schema.js';
import { START_SLACK_SECONDS } from './types.js';

/** `resources` of a container, from `load.distributed.resources`; undefined when none is set. */
export function podResources(spec: LoadDistributedSpec): Record<string, Record<string, string>> | undefined {
  const out: Record<string, Record<string, string>> = {};
  for (const key of ['requests', 'limits'] as const) {
    const list = spec.resources?.[key];
    const set = Object.fromEntries(Object.entries(list ?? {}).filter(([, v]) => v !== undefined)) as Record<string, string>;
    if (Object.keys(set).length) out[key] = set;
  }
  return Object.keys(out).length ? out : undefined;
}

/** activeDeadlineSeconds of a step's pods: the step, rounded up, plus the slack to start. */
export function deadlineSeconds(stepMs: number): number {
  return Math.ceil(stepMs / 1000) + START_SLACK_SECONDS;
}
