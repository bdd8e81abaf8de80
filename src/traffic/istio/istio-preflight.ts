/**
 * The istio provider's preflight: everything that can be checked before the first change, each
 * failure one message with a hint — Istio's API served, the VirtualService there and not held by
 * another run, the target route found unambiguously, every subset defined by a DestinationRule,
 * and every planned state accepted by the API server in a dry run (so Istio's CEL rules reject a
 * bad step before step 1, not halfway through a rollout).
 */
import { RuntimeError, TargetBusyError } from '../../errors.js';
import { type CustomObjects, DESTINATION_RULE, VIRTUAL_SERVICE, resourceName } from '../../kube/custom-objects.js';
import { KubeApiError } from '../../kube/kube-error.js';
import type { DestinationRule, VirtualService } from '../../istio/types.js';
import { OWNER_ANNOTATION, markOf } from '../ownership.js';
import { checkPlannedStates } from '../preflight.js';
import type { TargetRef } from '../target-route.js';
import type { TrafficState } from '../types.js';
import { toVirtualService } from './live-object.js';
import { regionOf, regionPatch } from './route-patch.js';

/** What the preflight needs. */
export interface IstioPreflightInput {
  /** The API client. */
  objects: CustomObjects;
  /** The experiment's target. */
  target: TargetRef & { virtualService: string; namespace: string };
  /** Every state the run will apply. */
  plannedStates: readonly TrafficState[];
}

/** Checks Istio's networking API is served at the version mesh-exp writes. */
async function checkServed(objects: CustomObjects): Promise<void> {
  const versions = await objects.servedVersions(VIRTUAL_SERVICE.group);
  if (versions.includes(VIRTUAL_SERVICE.version)) return;
  throw new RuntimeError(
    versions.length
      ? `the cluster at ${objects.server} serves ${VIRTUAL_SERVICE.group} only at ${versions.join(', ')}, not ${VIRTUAL_SERVICE.version}`
      : `the cluster at ${objects.server} does not serve ${VIRTUAL_SERVICE.group}: Istio's CRDs are not installed`,
    { hint: versions.length ? 'upgrade Istio to 1.22 or later (it serves networking.istio.io/v1)' : 'install Istio (istioctl install, or the base Helm chart), or check --context' },
  );
}

/** Reads the VirtualService; a missing one is an error listing those that exist. */
export async function readTarget(objects: CustomObjects, namespace: string, name: string): Promise<VirtualService> {
  const found = await objects.get(VIRTUAL_SERVICE, namespace, name);
  if (found) return toVirtualService(found);
  const others = await objects.list(VIRTUAL_SERVICE, namespace).then((l) => l.map((o) => o.metadata.name), () => undefined);
  throw new RuntimeError(`VirtualService ${namespace}/${name} not found at ${objects.server}`, {
    hint: others === undefined
      ? 'check target.namespace, target.virtualService and --context'
      : `VirtualServices in namespace ${namespace}: ${others.join(', ') || 'none'}; check target.virtualService and --context`,
  });
}

/** Throws TargetBusyError when another run's mark is on the object. */
export function refuseMarked(vs: VirtualService): void {
  const mark = markOf(vs);
  const where = `VirtualService ${vs.metadata.namespace ?? 'default'}/${vs.metadata.name}`;
  if (mark) throw new TargetBusyError(`${where} is held by another run (annotation ${OWNER_ANNOTATION}: ${mark})`, { owner: mark });
}

/** A state in words, for messages: "canary 30%, delay 80ms on 50%". */
export function describeState(state: TrafficState): string {
  const parts: string[] = [];
  if (state.canaryWeight !== undefined) parts.push(`canary ${state.canaryWeight}%`);
  const f = state.fault;
  if (f?.delayMs !== undefined) parts.push(`delay ${f.delayMs}ms on ${f.delayPercent ?? 100}%`);
  if (f?.abortStatus !== undefined) parts.push(`abort ${f.abortStatus} on ${f.abortPercent ?? 100}%`);
  if (f?.match) parts.push('fault scoped by a match');
  if (state.mirror) parts.push(`mirror ${state.mirror.percentage}% to ${state.mirror.subset}`);
  if (state.abMatch) parts.push('A/B match to the canary');
  return parts.join(', ') || 'no change';
}

/** Runs every check; resolves the VirtualService as it is now. */
export async function istioPreflight(input: IstioPreflightInput): Promise<VirtualService> {
  const { objects, target } = input;
  await checkServed(objects);
  const vs = await readTarget(objects, target.namespace, target.virtualService);
  refuseMarked(vs);
  const rules = (await objects.list(DESTINATION_RULE, target.namespace)).map((o) => ({
    apiVersion: o.apiVersion ?? 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: o.metadata.name, namespace: target.namespace },
    spec: o.spec,
  })) as DestinationRule[];
  checkPlannedStates(vs, target, input.plannedStates, rules);

  // Dry runs of every distinct planned state against the live object: the server's validation
  // (OpenAPI schema and Istio's CEL rules) judges exactly the patch the step will send.
  const from = regionOf(vs, target, {});
  const seen = new Set<string>();
  for (const state of input.plannedStates) {
    const key = JSON.stringify(state);
    if (seen.has(key)) continue;
    seen.add(key);
    const ops = regionPatch(from.start, from.routes, regionOf(vs, target, state).routes);
    if (!ops.length) continue;
    try {
      await objects.patch(VIRTUAL_SERVICE, target.namespace, target.virtualService, ops, { dryRun: true });
    } catch (err) {
      if (err instanceof KubeApiError && err.status === 422) {
        throw new RuntimeError(`Istio would reject the step "${describeState(state)}": ${err.message.replace(/^the API server rejected [^:]*: /, '')}`, {
          cause: err,
          hint: `nothing was changed (a server-side dry run of the ${resourceName(VIRTUAL_SERVICE)} patch failed); fix the experiment's traffic section`,
        });
      }
      throw err;
    }
  }
  return vs;
}
