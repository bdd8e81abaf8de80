/**
 * The istio provider's preflight: everything that can be checked before the first change, each
 * failure one message with a hint — Istio's API served, the VirtualService there and not held by
 * another run, the target route found unambiguously, every subset defined by a DestinationRule,
 * and every planned state accepted by the API server in a dry run (so Istio's CEL rules reject a
 * bad step before step 1, not halfway through a rollout).
 */
import { RuntimeError } from '../../errors.js';
import { type CustomObjects, DESTINATION_RULE, VIRTUAL_SERVICE } from '../../kube/custom-objects.js';
import type { DestinationRule, VirtualService } from '../../istio/types.js';
import { dryRunStates, readOwned, refuseHeld } from '../kube-owned.js';
import { checkPlannedStates } from '../preflight.js';
import type { TargetRef } from '../target-route.js';
import type { TrafficState } from '../types.js';
import { regionPatch } from '../region-patch.js';
import { regionOf } from './route-patch.js';

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
export function readTarget(objects: CustomObjects, namespace: string, name: string): Promise<VirtualService> {
  return readOwned<VirtualService>(objects, VIRTUAL_SERVICE, namespace, name, 'target.virtualService');
}

/** The DestinationRules of `namespace`, as the subset checks read them. */
export async function readDestinationRules(objects: CustomObjects, namespace: string): Promise<DestinationRule[]> {
  return (await objects.list(DESTINATION_RULE, namespace)).map((o) => ({
    apiVersion: o.apiVersion ?? 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: o.metadata.name, namespace },
    spec: o.spec,
  })) as DestinationRule[];
}

/** Runs every check; resolves the VirtualService as it is now. */
export async function istioPreflight(input: IstioPreflightInput): Promise<VirtualService> {
  const { objects, target } = input;
  await checkServed(objects);
  const vs = await readTarget(objects, target.namespace, target.virtualService);
  refuseHeld(vs);
  checkPlannedStates(vs, target, input.plannedStates, await readDestinationRules(objects, target.namespace));

  // The server's validation (OpenAPI schema and Istio's CEL rules) judges exactly the patch each step will send.
  const from = regionOf(vs, target, {});
  await dryRunStates({
    objects,
    type: VIRTUAL_SERVICE,
    namespace: target.namespace,
    name: target.virtualService,
    states: input.plannedStates,
    opsFor: (state) => regionPatch(from.start, from.items, regionOf(vs, target, state).items, '/spec/http'),
    judge: 'Istio',
    canary: target.canary,
  });
  return vs;
}
