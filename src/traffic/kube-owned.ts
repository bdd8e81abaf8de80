/**
 * What both Kubernetes traffic providers (`istio`, `gateway-api`) do the same way with the object
 * the user owns: keep only its user-owned part, read it with a helpful "not found", refuse one
 * another run holds, and dry-run every planned patch so the API server's validation (the CRD's
 * schema and CEL rules) rejects a bad step before step 1, not halfway through a rollout.
 */
import { RuntimeError, TargetBusyError } from '../errors.js';
import { type CustomObjects, type JsonPatchOp, type KubeObject, type ResourceType, resourceName } from '../kube/custom-objects.js';
import { KubeApiError } from '../kube/kube-error.js';
import { describeState } from '../model/labels.js';
import { type Annotated, OWNER_ANNOTATION, markOf } from './ownership.js';
import type { TrafficState } from './types.js';

/** The user-owned part of any namespaced object: apiVersion, kind, name, namespace, labels, annotations, spec. */
export interface OwnedObject extends Annotated {
  /** e.g. "networking.istio.io/v1". */
  apiVersion: string;
  /** e.g. "VirtualService". */
  kind: string;
  /** Name, namespace, labels, annotations. */
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  /** The user's spec. */
  spec: unknown;
}

/**
 * The user-owned part of a live object. Server-set metadata (resourceVersion, uid, generation,
 * managedFields, timestamps) and `status` (the controller's) are left out, so a snapshot compares
 * equal to the same object read back after a restore.
 */
export function userOwned<O extends OwnedObject>(obj: KubeObject, type: ResourceType): O {
  const { name, namespace, labels, annotations } = obj.metadata;
  return {
    apiVersion: obj.apiVersion ?? `${type.group}/${type.version}`,
    kind: type.kind,
    metadata: {
      name,
      ...(namespace !== undefined ? { namespace } : {}),
      ...(labels && Object.keys(labels).length ? { labels: { ...labels } } : {}),
      ...(annotations && Object.keys(annotations).length ? { annotations: { ...annotations } } : {}),
    },
    spec: structuredClone(obj.spec ?? {}),
  } as O;
}

/** Reads the target object; a missing one is an error listing those that exist. `field` is the experiment field naming it. */
export async function readOwned<O extends OwnedObject>(objects: CustomObjects, type: ResourceType, namespace: string, name: string, field: string): Promise<O> {
  const found = await objects.get(type, namespace, name);
  if (found) return userOwned<O>(found, type);
  const others = await objects.list(type, namespace).then((l) => l.map((o) => o.metadata.name), () => undefined);
  throw new RuntimeError(`${type.kind} ${namespace}/${name} not found at ${objects.server}`, {
    hint: others === undefined
      ? `check target.namespace, ${field} and --context`
      : `${type.kind}s in namespace ${namespace}: ${others.join(', ') || 'none'}; check ${field} and --context`,
  });
}

/** Throws TargetBusyError when another run's ownership mark is on `o`. */
export function refuseHeld(o: OwnedObject): void {
  const mark = markOf(o);
  const where = `${o.kind} ${o.metadata.namespace ?? 'default'}/${o.metadata.name}`;
  if (mark) throw new TargetBusyError(`${where} is held by another run (annotation ${OWNER_ANNOTATION}: ${mark})`, { owner: mark });
}

/** What {@link dryRunStates} needs. */
export interface DryRunInput {
  /** The API client. */
  objects: CustomObjects;
  /** The resource patched. */
  type: ResourceType;
  /** Namespace and name of the object. */
  namespace: string;
  /** Name of the object. */
  name: string;
  /** Every state the run will apply (duplicates are tried once). */
  states: readonly TrafficState[];
  /** The patch that takes the object from its current form to `state`. */
  opsFor(state: TrafficState): JsonPatchOp[];
  /** Who would reject, for the message ("Istio", "the API server"). */
  judge: string;
  /** The canary's name, for the step's label. */
  canary: string;
}

/** Dry-runs (server side) the patch of every distinct planned state; a 422 is one clear error naming the step. */
export async function dryRunStates(input: DryRunInput): Promise<void> {
  const seen = new Set<string>();
  for (const state of input.states) {
    const key = JSON.stringify(state);
    if (seen.has(key)) continue;
    seen.add(key);
    const ops = input.opsFor(state);
    if (!ops.length) continue;
    try {
      await input.objects.patch(input.type, input.namespace, input.name, ops, { dryRun: true });
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 422) {
        throw new RuntimeError(`${input.judge} would reject the step "${describeState(state, input.canary)}": ${err.message.replace(/^the API server rejected [^:]*: /, '')}`, {
          cause: err,
          hint: `nothing was changed (a server-side dry run of the ${resourceName(input.type)} patch failed); fix the experiment's traffic section`,
        });
      }
      throw err;
    }
  }
}
