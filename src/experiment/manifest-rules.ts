/**
 * Rules that check the experiment against its Istio manifests (provider local): the named
 * VirtualService and route exist, every subset the experiment names is defined by a
 * DestinationRule of target.host, every backend serves a defined (host, subset), and the
 * DestinationRule `traffic.policy` changes is there once (with its subset) as the run finds it.
 */
import type { ManifestOrigin, ManifestSet } from '../istio/manifests.js';
import type { DestinationRule, IstioObject, VirtualService } from '../istio/types.js';
import { didYouMean } from '../input/did-you-mean.js';
import type { PathSegment } from '../input/locate.js';
import type { RuleProblem } from './rule-types.js';
import type { LocalSpec, TargetSpec, TrafficSpec } from './schema.js';

/** What the manifest rules look at. */
export interface ManifestRuleInput {
  /** The target section (parsed). */
  target: TargetSpec;
  /** The traffic section, when it parsed. */
  traffic?: TrafficSpec;
  /** The local section (parsed). */
  local: LocalSpec;
  /** The objects read from `local.manifests`. */
  manifests: ManifestSet;
  /** Where each object came from, for hints. */
  origins?: ReadonlyMap<IstioObject, ManifestOrigin>;
}

/**
 * The fully qualified name of a service host as Istio resolves it: a short name ("reviews") or
 * "name.namespace" is completed with the namespace of the object that names it; other hosts
 * (external names, already qualified ones) stay as they are.
 */
export function qualifiedHost(host: string, namespace: string): string {
  if (host.endsWith('.svc.cluster.local')) return host;
  const parts = host.split('.');
  if (parts.length === 1) return `${host}.${namespace}.svc.cluster.local`;
  if (parts.length === 2) return `${host}.svc.cluster.local`;
  return host;
}

/** Whether two hosts, each named in its own namespace, are the same service. */
export function sameHost(a: string, aNamespace: string, b: string, bNamespace: string): boolean {
  return qualifiedHost(a, aNamespace) === qualifiedHost(b, bNamespace);
}

/** The DestinationRule for a host (named in `namespace`), if the manifests hold one. */
export function destinationRuleFor(manifests: ManifestSet, host: string, namespace: string): DestinationRule | undefined {
  return manifests.destinationRules.find((r) => sameHost(r.spec.host, r.metadata.namespace ?? 'default', host, namespace));
}

/** The VirtualService the experiment targets, if the manifests hold it. */
export function targetVirtualService(manifests: ManifestSet, target: TargetSpec): VirtualService | undefined {
  return manifests.virtualServices.find((v) => v.metadata.name === target.virtualService && v.metadata.namespace === target.namespace);
}

const P = (...rest: PathSegment[]): PathSegment[] => ['spec', ...rest];

function where(obj: IstioObject, origins?: ReadonlyMap<IstioObject, ManifestOrigin>): string {
  const o = origins?.get(obj);
  return o ? ` (${o.file}:${o.line})` : '';
}

/** Names for a hint, quoted as in the "did you mean" part: `"v1", "v2"`. */
function list(words: readonly string[]): string {
  return words.length > 0 ? words.map((w) => `"${w}"`).join(', ') : 'none';
}

function subsetProblem(rule: DestinationRule, subset: string, path: PathSegment[], input: ManifestRuleInput): RuleProblem | undefined {
  const names = (rule.spec.subsets ?? []).map((s) => s.name);
  if (names.includes(subset)) return undefined;
  const guess = didYouMean(subset, names);
  return {
    path,
    message: `subset "${subset}" is not defined in DestinationRule ${rule.metadata.name} for host ${rule.spec.host}`,
    hint: `${guess ? `${guess} ` : ''}defined subsets: ${list(names)}${where(rule, input.origins)}`,
  };
}

function virtualServiceRules(input: ManifestRuleInput): RuleProblem[] {
  const { target, manifests } = input;
  // Unnamed: target-rules.ts reports it.
  if (target.virtualService === undefined) return [];
  const vs = targetVirtualService(manifests, target);
  if (!vs) {
    const found = manifests.virtualServices.map((v) => `${v.metadata.namespace}/${v.metadata.name}`);
    const guess = didYouMean(target.virtualService, manifests.virtualServices.map((v) => v.metadata.name));
    return [{
      path: P('target', 'virtualService'),
      message: `VirtualService "${target.virtualService}" in namespace "${target.namespace}" is not in the manifests`,
      hint: `${guess ? `${guess} ` : ''}VirtualServices in the manifests: ${list(found)}`,
    }];
  }
  const routes = vs.spec.http ?? [];
  if (target.route !== undefined) {
    if (routes.some((r) => r.name === target.route)) return [];
    const names = routes.map((r) => r.name).filter((n): n is string => n !== undefined);
    const guess = didYouMean(target.route, names);
    return [{
      path: P('target', 'route'),
      message: `VirtualService ${vs.metadata.name} has no http route named "${target.route}"`,
      hint: names.length === 0
        ? `its http routes have no names; add "name: ${target.route}" to the route to act on${where(vs, input.origins)}`
        : `${guess ? `${guess} ` : ''}its routes: ${list(names)}${where(vs, input.origins)}`,
    }];
  }
  const toStable = routes.some((r) =>
    (r.route ?? []).some((d) => d.destination.subset === target.stable && sameHost(d.destination.host, vs.metadata.namespace ?? 'default', target.host, target.namespace)),
  );
  if (toStable) return [];
  return [{
    path: P('target', 'stable'),
    message: `no http route of VirtualService ${vs.metadata.name} sends traffic to ${target.host} subset ${target.stable}`,
    hint: `set target.route to the route to act on, or route the stable subset in the VirtualService${where(vs, input.origins)}`,
  }];
}

function subsetRules(input: ManifestRuleInput): RuleProblem[] {
  const { target, traffic, manifests } = input;
  const rule = destinationRuleFor(manifests, target.host, target.namespace);
  if (!rule) {
    return [{
      path: P('target', 'host'),
      message: `no DestinationRule for host "${target.host}" in the manifests, so its subsets are not defined`,
      hint: `DestinationRule hosts in the manifests: ${list(manifests.destinationRules.map((r) => r.spec.host))}`,
    }];
  }
  const named: [string | undefined, PathSegment[]][] = [
    [target.stable, P('target', 'stable')],
    [target.canary, P('target', 'canary')],
    [traffic?.fault?.subset, P('traffic', 'fault', 'subset')],
    [traffic?.mirror?.subset, P('traffic', 'mirror', 'subset')],
  ];
  return named.flatMap(([subset, path]) => {
    const p = subset === undefined ? undefined : subsetProblem(rule, subset, path, input);
    return p ? [p] : [];
  });
}

function backendRules(input: ManifestRuleInput): RuleProblem[] {
  const { local, manifests, target } = input;
  const out: RuleProblem[] = [];
  const seen = new Map<string, number>();
  local.backends.forEach((b, i) => {
    const key = `${b.host} ${b.subset}`;
    const first = seen.get(key);
    if (first !== undefined) {
      out.push({ path: P('local', 'backends', i), message: `a second backend for ${b.host} subset ${b.subset} (first: spec.local.backends[${first}])`, hint: 'use replicas for more endpoints of one subset' });
      return;
    }
    seen.set(key, i);
    const rule = destinationRuleFor(manifests, b.host, target.namespace);
    if (!rule) {
      const hosts = manifests.destinationRules.map((r) => r.spec.host);
      // Guess among short service names too: "ratngs" is a typo of "ratings", not of "ratings.default".
      const guess = didYouMean(b.host, [...hosts, ...hosts.map((h) => h.split('.')[0]!)]);
      out.push({
        path: P('local', 'backends', i, 'host'),
        message: `no DestinationRule for host "${b.host}" in the manifests`,
        hint: `${guess ? `${guess} ` : ''}DestinationRule hosts: ${list(hosts)}`,
      });
      return;
    }
    const p = subsetProblem(rule, b.subset, P('local', 'backends', i, 'subset'), input);
    if (p) out.push(p);
  });
  return out;
}

// The same search as the run's (findPolicyRule, src/traffic/render-policy.ts), with each problem at its own field.
function policyRules(input: ManifestRuleInput): RuleProblem[] {
  const { target, traffic, manifests } = input;
  const policy = traffic?.policy;
  if (!policy) return [];
  const inNamespace = manifests.destinationRules.filter((r) => (r.metadata.namespace ?? 'default') === target.namespace);
  const names = inNamespace.map((r) => `${r.metadata.name} (host ${r.spec.host})`);
  let rule: DestinationRule | undefined;
  if (policy.destinationRule !== undefined) {
    rule = inNamespace.find((r) => r.metadata.name === policy.destinationRule);
    if (!rule) {
      const guess = didYouMean(policy.destinationRule, inNamespace.map((r) => r.metadata.name));
      return [{
        path: P('traffic', 'policy', 'destinationRule'),
        message: `DestinationRule "${policy.destinationRule}" in namespace "${target.namespace}" is not in the manifests`,
        hint: `${guess ? `${guess} ` : ''}DestinationRules there: ${list(names)}`,
      }];
    }
  } else {
    const forHost = inNamespace.filter((r) => sameHost(r.spec.host, target.namespace, target.host, target.namespace));
    // None: subsetRules already says so at target.host.
    if (forHost.length === 0) return [];
    if (forHost.length > 1) {
      return [{
        path: P('traffic', 'policy'),
        message: `${forHost.length} DestinationRules have host ${target.host} in namespace "${target.namespace}": ${list(forHost.map((r) => r.metadata.name))}`,
        hint: 'name the one to change with traffic.policy.destinationRule',
      }];
    }
    rule = forHost[0]!;
  }
  const p = policy.subset === undefined ? undefined : subsetProblem(rule, policy.subset, P('traffic', 'policy', 'subset'), input);
  return p ? [p] : [];
}

/** Runs every rule that needs the manifests. */
export function checkManifestRules(input: ManifestRuleInput): RuleProblem[] {
  return [...virtualServiceRules(input), ...subsetRules(input), ...backendRules(input), ...policyRules(input)];
}
