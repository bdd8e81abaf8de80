/**
 * Finding the one http route of a VirtualService an experiment acts on, and the small helpers the
 * renderer needs to talk about its destinations. Pure functions; errors are ValidationErrors with a
 * hint that lists the routes the user could name.
 */
import { ValidationError } from '../errors.js';
import type { Destination, HTTPRoute, VirtualService } from '../istio/types.js';

/** What the renderer needs to know about the experiment's target (a subset of the spec's `target`). */
export interface TargetRef {
  /** Destination host whose subsets are shifted, e.g. "reviews". */
  host: string;
  /** Subset serving production now. */
  stable: string;
  /** Subset under test. */
  canary: string;
  /** Name of the http route to act on. @default the unique route whose destinations include host/stable (else host/canary) */
  route?: string;
  /** Namespace of the VirtualService; used to compare short and fully-qualified host names. @default "default" */
  namespace?: string;
}

/** The route found, with its position in `spec.http`. */
export interface TargetRoute {
  /** Index in `spec.http`. */
  index: number;
  /** The route object (the one inside the VirtualService passed in, not a copy). */
  route: HTTPRoute;
}

/** Names of the routes mesh-exp inserts; a VirtualService that already has one is left over from a crashed run. */
export const MANAGED_ROUTE_NAMES = { ab: 'mesh-exp-ab', fault: 'mesh-exp-fault' } as const;

/**
 * True when two Istio host names denote the same service: "reviews", "reviews.<ns>",
 * "reviews.<ns>.svc" and "reviews.<ns>.svc.cluster.local" are all the same host within `namespace`.
 */
export function sameHost(a: string, b: string, namespace = 'default'): boolean {
  const canonical = (h: string) => {
    for (const suffix of [`.${namespace}.svc.cluster.local`, `.${namespace}.svc`, `.${namespace}`]) {
      if (h.endsWith(suffix)) return h.slice(0, -suffix.length);
    }
    return h;
  };
  return canonical(a) === canonical(b);
}

/** True when `dest` is `target.host` with the given subset. */
export function isDestination(dest: Destination | undefined, target: TargetRef, subset: string): boolean {
  return dest !== undefined && dest.subset === subset && sameHost(dest.host, target.host, target.namespace);
}

/** A short description of a route for hints: its name, or its index and destinations. */
export function describeRoute(route: HTTPRoute, index: number): string {
  const dests = (route.route ?? []).map((d) => `${d.destination.host}${d.destination.subset ? `/${d.destination.subset}` : ''}`);
  const name = route.name ? `"${route.name}"` : `#${index} (unnamed)`;
  return dests.length ? `${name} → ${dests.join(', ')}` : name;
}

function listRoutes(vs: VirtualService): string {
  const routes = vs.spec.http ?? [];
  return routes.length ? routes.map((r, i) => describeRoute(r, i)).join('; ') : '(none)';
}

function vsName(vs: VirtualService): string {
  return `${vs.metadata.namespace ?? 'default'}/${vs.metadata.name}`;
}

/** Raises the one kind of error this module produces: a located problem with a hint. */
export function targetError(vs: VirtualService, message: string, hint: string): ValidationError {
  return new ValidationError([{ path: `VirtualService ${vsName(vs)} spec.http`, message, hint }], { hint });
}

function routesWith(vs: VirtualService, target: TargetRef, subset: string): TargetRoute[] {
  const found: TargetRoute[] = [];
  (vs.spec.http ?? []).forEach((route, index) => {
    if ((route.route ?? []).some((d) => isDestination(d.destination, target, subset))) found.push({ index, route });
  });
  return found;
}

/**
 * Finds the route the experiment acts on: by `target.route` name when given, else the unique http
 * route whose destinations include host/stable, else the unique one including host/canary (a
 * VirtualService already promoted once). Throws a ValidationError when none or several qualify.
 */
export function findTargetRoute(vs: VirtualService, target: TargetRef): TargetRoute {
  const http = vs.spec.http ?? [];
  const names = `routes: ${listRoutes(vs)}`;
  if (target.route !== undefined) {
    const byName = http.map((route, index) => ({ index, route })).filter((r) => r.route.name === target.route);
    if (byName.length === 0) {
      throw targetError(vs, `no http route named "${target.route}"`, `set target.route to one of the ${names}`);
    }
    if (byName.length > 1) {
      throw targetError(vs, `${byName.length} http routes are named "${target.route}"`, 'give each route a unique name');
    }
    const found = byName[0]!;
    if (!found.route.route?.length) {
      throw targetError(
        vs,
        `route "${target.route}" has no destinations (redirect, directResponse or delegate)`,
        `mesh-exp acts on a route with \`route:\` destinations; ${names}`,
      );
    }
    return found;
  }
  for (const subset of [target.stable, target.canary]) {
    const found = routesWith(vs, target, subset);
    if (found.length === 1) return found[0]!;
    if (found.length > 1) {
      const which = found.map((r) => describeRoute(r.route, r.index)).join('; ');
      throw targetError(
        vs,
        `${found.length} http routes send to ${target.host}/${subset}; the target route is ambiguous`,
        `name the route with target.route (and give it a \`name:\` in the VirtualService): ${which}`,
      );
    }
  }
  throw targetError(
    vs,
    `no http route sends to ${target.host}/${target.stable} or ${target.host}/${target.canary}`,
    `check target.host/stable/canary, or name the route with target.route; ${names}`,
  );
}
