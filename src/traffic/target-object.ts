/**
 * The object an experiment's target names, whatever the provider: a VirtualService (local,
 * local-attach, istio) or an HTTPRoute (gateway-api), and how the gateway-api provider finds the
 * Services of the two versions.
 */
import { RuntimeError } from '../errors.js';
import type { HTTPRouteTarget } from './gateway-api/types.js';
import type { TargetRef } from './target-route.js';

/** The target fields of an experiment (spec.target) that name the object acted on. */
export interface TargetFields extends TargetRef {
  /** Namespace of the object. @default "default" */
  namespace?: string;
  /** VirtualService name (local, local-attach, istio). */
  virtualService?: string;
  /** HTTPRoute name (gateway-api). */
  httpRoute?: string;
  /** Service of the stable version (gateway-api). @default "<host>-<stable>" */
  stableService?: string;
  /** Service of the canary version (gateway-api). @default "<host>-<canary>" */
  canaryService?: string;
}

/** The fields that name the object. */
export type TargetNames = Pick<TargetFields, 'namespace' | 'virtualService' | 'httpRoute'>;

/** Kind, namespace and name of the object acted on. */
export interface TargetObject {
  /** "VirtualService" or "HTTPRoute". */
  kind: 'VirtualService' | 'HTTPRoute';
  /** Its namespace. */
  namespace: string;
  /** Its name. */
  name: string;
}

/** The object `target` names (the schema's rules guarantee one of the two names is there). */
export function targetObjectOf(target: TargetNames): TargetObject {
  const namespace = target.namespace ?? 'default';
  if (target.httpRoute !== undefined) return { kind: 'HTTPRoute', namespace, name: target.httpRoute };
  return { kind: 'VirtualService', namespace, name: target.virtualService ?? '(unnamed)' };
}

/** "VirtualService default/reviews", for messages. */
export function describeTarget(target: TargetNames): string {
  const o = targetObjectOf(target);
  return `${o.kind} ${o.namespace}/${o.name}`;
}

/** The Service a version is served by under provider gateway-api: Istio's bookinfo convention "<host>-<version>". */
export function serviceOf(target: TargetFields, version: string): string {
  if (version === target.stable && target.stableService !== undefined) return target.stableService;
  if (version === target.canary && target.canaryService !== undefined) return target.canaryService;
  // "reviews.bookinfo.svc.cluster.local" names the Service "reviews".
  return `${target.host.split('.')[0]}-${version}`;
}

/** The gateway-api provider's target from the experiment's (needs `httpRoute`). */
export function httpRouteTargetOf(target: TargetFields & { httpRoute: string }): HTTPRouteTarget {
  return {
    namespace: target.namespace ?? 'default',
    httpRoute: target.httpRoute,
    host: target.host,
    ...(target.route !== undefined ? { rule: target.route } : {}),
    stable: serviceOf(target, target.stable),
    canary: serviceOf(target, target.canary),
    services: { [target.stable]: serviceOf(target, target.stable), [target.canary]: serviceOf(target, target.canary) },
  };
}

/** The target of a VirtualService provider, whose name the spec rules require. */
export function requireVirtualService(target: TargetFields): TargetFields & { virtualService: string } {
  if (target.virtualService === undefined) throw new RuntimeError('this traffic provider needs target.virtualService (internal: the spec rules require it)');
  return { ...target, virtualService: target.virtualService };
}
