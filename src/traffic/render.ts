/**
 * Rendering a TrafficState onto the user's VirtualService. The user owns the object: the result is a
 * deep copy in which ONLY the managed parts differ (never a rewritten `spec.http`; Flagger does that
 * and its users lose their faults, flagger#703). Rendering always starts from the original, so
 * "restore" is simply applying the original again, and an empty state renders an identical copy.
 *
 * What changes, on the target route only:
 * - `canaryWeight` w: the host/stable destination gets weight 100 − w and host/canary gets w (added,
 *   copied from the stable destination, when missing). Nothing is removed. A route with any other
 *   destination is rejected: its share would silently change.
 * - `fault` without match: `fault.delay` / `fault.abort` are set; any other fault key the user wrote
 *   stays, and a user fault kind the experiment does not set stays too.
 * - `retries`: replaces the route's `retries` whole.
 * - `mirror`: appended to `mirrors` (the user's mirrors stay). A route using the legacy single
 *   `mirror` field is rejected (Istio forbids `mirror` and `mirrors` together).
 * Inserted before the target route (in this order), each a copy of the target route (so timeouts,
 * retries, rewrites and headers still apply) with its own name, match and destinations:
 * - `mesh-exp-fault` (fault with a match or a subset): match = route match AND fault match, the
 *   fault, and the target route's destinations (or host/fault.subset 100%).
 * - `mesh-exp-ab` (abMatch): match = route match AND abMatch, destination host/canary 100%.
 */
import type { FaultState, MirrorState, TrafficState } from './types.js';
import type { Destination, HTTPFaultInjection, HTTPRoute, HTTPRouteDestination, VirtualService } from '../istio/types.js';
import { intersectMatches } from './match.js';
import {
  MANAGED_ROUTE_NAMES,
  type TargetRef,
  describeRoute,
  findTargetRoute,
  isDestination,
  targetError,
} from './target-route.js';

/** Formats ms as an Istio/protobuf duration in seconds ("0.08s"), which Istio, CEL and Go all parse. */
export function toIstioDuration(ms: number): string {
  return `${Number((ms / 1000).toFixed(6))}s`;
}

/** The Istio fault for a FaultState, merged over the user's existing fault (only delay/abort we set change). */
export function renderFault(user: HTTPFaultInjection | undefined, fault: FaultState): HTTPFaultInjection {
  const out: HTTPFaultInjection = structuredClone(user ?? {});
  if (fault.delayMs !== undefined) {
    out.delay = { fixedDelay: toIstioDuration(fault.delayMs), percentage: { value: fault.delayPercent ?? 100 } };
  }
  if (fault.abortStatus !== undefined) {
    out.abort = { httpStatus: fault.abortStatus, percentage: { value: fault.abortPercent ?? 100 } };
  }
  return out;
}

/** A destination of the target host with `subset`, spelled like the route's existing one (host form, port). */
function destinationFor(route: HTTPRoute, target: TargetRef, subset: string): Destination {
  const like = (route.route ?? []).find((d) => isDestination(d.destination, target, target.stable))
    ?? (route.route ?? []).find((d) => isDestination(d.destination, target, target.canary));
  const base: Destination = like ? structuredClone(like.destination) : { host: target.host };
  return { ...base, subset };
}

function applyWeights(vs: VirtualService, route: HTTPRoute, index: number, target: TargetRef, w: number): void {
  const dests = route.route ?? [];
  const others = dests.filter(
    (d) => !isDestination(d.destination, target, target.stable) && !isDestination(d.destination, target, target.canary),
  );
  if (others.length) {
    throw targetError(
      vs,
      `target route ${describeRoute(route, index)} has destinations other than ${target.host}/${target.stable} and /${target.canary}`,
      'shifting weights would silently change their share; move them to another route or split the route',
    );
  }
  const next: HTTPRouteDestination[] = dests;
  if (!dests.some((d) => isDestination(d.destination, target, target.stable))) {
    next.unshift({ destination: destinationFor(route, target, target.stable) });
  }
  if (!dests.some((d) => isDestination(d.destination, target, target.canary))) {
    next.push({ destination: destinationFor(route, target, target.canary) });
  }
  for (const d of next) {
    d.weight = isDestination(d.destination, target, target.canary) ? w : 100 - w;
  }
  route.route = next;
}

function applyMirror(vs: VirtualService, route: HTTPRoute, index: number, target: TargetRef, mirror: MirrorState): void {
  if (route.mirror !== undefined) {
    throw targetError(
      vs,
      `target route ${describeRoute(route, index)} uses the legacy \`mirror\` field`,
      'Istio does not allow `mirror` and `mirrors` together; rewrite it as `mirrors: [{destination: ..., percentage: ...}]`',
    );
  }
  route.mirrors = [
    ...(route.mirrors ?? []),
    { destination: destinationFor(route, target, mirror.subset), percentage: { value: mirror.percentage } },
  ];
}

/** A copy of the target route with a new name, a narrowed match, an optional fault and its own destinations. */
function insertedRoute(
  vs: VirtualService,
  base: HTTPRoute,
  name: string,
  match: HTTPRoute['match'],
  route: HTTPRouteDestination[],
  fault?: HTTPFaultInjection,
): HTTPRoute {
  // No extra match (an unscoped fault sent to a subset): the copy catches what the target route catches.
  const merged = match ? intersectMatches(base.match, match) : { ok: true as const, match: structuredClone(base.match) };
  if (!merged.ok) {
    throw targetError(
      vs,
      `cannot combine the experiment's match with the target route's match: both constrain \`${merged.key}\``,
      'put that condition in one place (the route or the experiment), not both',
    );
  }
  const { name: _name, match: _match, route: _route, fault: baseFault, ...rest } = structuredClone(base);
  // Key order chosen for readable diffs in `mesh-exp plan`: name, match, fault, the rest, route.
  const out: HTTPRoute = { name };
  if (merged.match) out.match = merged.match;
  const f = fault ?? baseFault;
  if (f) out.fault = f;
  return { ...out, ...rest, route };
}

/** Renders `state` onto a deep copy of `original`; see the module comment for exactly what changes. */
export function renderVirtualService(original: VirtualService, target: TargetRef, state: TrafficState): VirtualService {
  const vs: VirtualService = structuredClone(original);
  if (state.canaryWeight === undefined && !state.fault && !state.mirror && !state.abMatch && !state.retries) return vs;
  const http = vs.spec.http ?? [];
  const leftover = http.find((r) => r.name === MANAGED_ROUTE_NAMES.ab || r.name === MANAGED_ROUTE_NAMES.fault);
  if (leftover) {
    throw targetError(
      vs,
      `the VirtualService already has a route named "${leftover.name}", left over from an interrupted run`,
      'restore it first: `mesh-exp recover <run dir>` (the journal is in the run directory), or remove that route by hand',
    );
  }
  const { index } = findTargetRoute(vs, target);
  const route = http[index]!;

  // The user's fault (before ours) is what a match-scoped fault route starts from.
  if (state.fault && !state.fault.match && !state.fault.subset) route.fault = renderFault(route.fault, state.fault);
  if (state.mirror) applyMirror(vs, route, index, target, state.mirror);
  // Replaces the user's retry policy whole (an HTTPRetry is one setting); the routes inserted below
  // copy the target route, so they retry the same way.
  if (state.retries) route.retries = structuredClone(state.retries);
  if (state.canaryWeight !== undefined) applyWeights(vs, route, index, target, state.canaryWeight);

  const inserted: HTTPRoute[] = [];
  if (state.fault && (state.fault.match || state.fault.subset)) {
    const dests = state.fault.subset
      ? [{ destination: destinationFor(route, target, state.fault.subset), weight: 100 }]
      : structuredClone(route.route ?? []);
    inserted.push(insertedRoute(vs, route, MANAGED_ROUTE_NAMES.fault, state.fault.match, dests, renderFault(route.fault, state.fault)));
  }
  if (state.abMatch) {
    const dests = [{ destination: destinationFor(route, target, target.canary), weight: 100 }];
    inserted.push(insertedRoute(vs, route, MANAGED_ROUTE_NAMES.ab, state.abMatch, dests));
  }
  http.splice(index, 0, ...inserted);
  return vs;
}
