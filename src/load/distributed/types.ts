/**
 * The distributed-load extension point: load that runs in the cluster instead of this process.
 * One builder per generator ("vegeta": an indexed Job; "k6": a k6-operator TestRun), each turning
 * one step's load into the Kubernetes objects to create, in creation order. Builders are pure; the
 * lifecycle (journal, create, delete) is `distributed-load.ts`'s.
 */
import type { KubeObject } from '../../kube/custom-objects.js';
import type { PolicyRule } from '../../kube/policy-rules.js';
import type { Experiment } from '../../experiment/schema.js';
import type { LoadDistributedSpec } from '../../experiment/load-distributed-schema.js';
import type { LoadPlan } from '../types.js';

/** A Kubernetes object as created: apiVersion, kind, name and namespace always set. */
export type ClusterObject = KubeObject & { apiVersion: string; kind: string; metadata: { name: string; namespace: string } };

/** What a builder needs for one step. */
export interface DistributedStepInput {
  /** The experiment (the k6 builder generates its script from it). */
  experiment: Experiment;
  /** `load.distributed`. */
  spec: LoadDistributedSpec;
  /** Name of the step's objects (a DNS label, at most 52 characters: pod names add to it). */
  name: string;
  /** Namespace they are created in. */
  namespace: string;
  /** The step's load, its URL the in-cluster one; `rate` is the total over all pods. */
  plan: LoadPlan;
  /** The step's length, ms: the pods' deadline is derived from it. */
  stepMs: number;
  /** Labels of every object and pod (they select the run's objects). */
  labels: Record<string, string>;
  /** Annotations of every object and pod: the run's ownership mark. */
  annotations: Record<string, string>;
}

/** Builds one generator's objects. */
export interface DistributedBuilder {
  /** The generator it serves: "vegeta", "k6". */
  readonly generator: string;
  /** The objects of one step, in creation order (ConfigMap first); deleted in reverse. */
  build(input: DistributedStepInput): ClusterObject[];
  /**
   * The RBAC rules its objects need in their namespace (`mesh-exp schedule` puts them in the Role
   * of a scheduled run): {@link LOAD_OBJECT_VERBS} on each kind `build` returns.
   */
  readonly rbac: readonly PolicyRule[];
}

/**
 * What a run does with each load object: create it (and preflight's server-side dry run of it), get
 * it (recover checks the run's mark before deleting) and delete it when the step's load ends.
 */
export const LOAD_OBJECT_VERBS: readonly string[] = ['create', 'get', 'delete'];

/** A builder's `rbac`: {@link LOAD_OBJECT_VERBS} on the step's ConfigMap and on `kind` (its API group and plural). */
export function loadObjectRbac(kind: { group: string; plural: string }): PolicyRule[] {
  return [
    { apiGroups: [''], resources: ['configmaps'], verbs: [...LOAD_OBJECT_VERBS] },
    { apiGroups: [kind.group], resources: [kind.plural], verbs: [...LOAD_OBJECT_VERBS] },
  ];
}

/** Port vegeta's Prometheus exporter listens on in each pod (`-prometheus-addr`). */
export const VEGETA_METRICS_PORT = 8880;

/** Slack past the step for the pods to be scheduled and pull their image, s (activeDeadlineSeconds). */
export const START_SLACK_SECONDS = 60;
