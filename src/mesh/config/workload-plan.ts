/**
 * Which services and workloads the local mesh runs, derived from the manifests (pure; no sockets):
 * every DestinationRule subset is a workload ("reviews-v2"); a service that has no subsets (a host
 * only named by a VirtualService destination or mirror, or a DestinationRule without subsets) gets one
 * workload named after the service. `backends` options say how each (host, subset) is served.
 */
import type { DestinationRule, VirtualService } from '../../istio/types.js';
import type { BackendSpec, DemoBackendSpec } from '../../experiment/schema.js';
import type { Diagnostics } from './diagnostics.js';
import { objectLabel } from './diagnostics.js';
import type { Workload } from '../endpoints/endpoint.js';
import { parseServiceFqdn, resolveHost } from './host-names.js';
import { type LbPolicy, lbPolicyOf } from '../endpoints/load-balancer.js';
import { type PoolLimits, poolLimits } from './connection-pool.js';
import { type OutlierConfig, outlierConfigOf, type OutlierProblem } from '../endpoints/outlier-config.js';
import { type ConsistentHashConfig, consistentHashConfigOf } from '../endpoints/consistent-hash.js';

/** Demo parameters used when `backends` says nothing for a workload (the experiment schema's defaults). */
export const DEFAULT_DEMO: DemoBackendSpec = { latency: { median: 5, p99: 20 }, errorRate: 0 };

/** How one workload is served. */
export interface WorkloadPlan {
  /** Its identity. */
  workload: Workload;
  /** Endpoints to start. */
  replicas: number;
  /** Demo parameters (when not a command). */
  demo: DemoBackendSpec;
  /** Process argv, when served by a command. */
  command?: string[];
  /** A built-in TCP echo server (Istio's tcp-echo sample) instead of the HTTP demo. */
  tcpEcho?: { prefix: string };
  /** Path polled until the command answers. */
  readyPath: string;
  /** Load-balancing policy inside the subset. */
  lb: LbPolicy;
  /** Circuit-breaking limits of the subset's cluster (null: no connectionPool applies). @default null */
  pool: PoolLimits | null;
  /** Outlier detection of the subset's cluster (its own `outlierDetection`, else the rule's). */
  outlier?: OutlierConfig;
  /** Consistent hashing of the subset's cluster (its own `loadBalancer`, else the rule's). */
  hash?: ConsistentHashConfig;
}

/** One service: its workloads and its own load-balancing policy (for destinations without subset). */
export interface ServicePlan {
  /** FQDN, e.g. "reviews.default.svc.cluster.local". */
  fqdn: string;
  /** Short name. */
  name: string;
  /** Namespace. */
  namespace: string;
  /** The DestinationRule in force for it, if any. */
  destinationRule?: DestinationRule;
  /** Policy of the DestinationRule's top-level trafficPolicy. @default ROUND_ROBIN */
  lb: LbPolicy;
  /** Circuit-breaking limits of the top-level trafficPolicy (the whole-service cluster). @default null */
  pool: PoolLimits | null;
  /** Outlier detection of the whole-service cluster (the top-level trafficPolicy's). */
  outlier?: OutlierConfig;
  /** Consistent hashing of the whole-service cluster (the top-level trafficPolicy's). */
  hash?: ConsistentHashConfig;
  /** Workloads by subset name ('' for the implicit one of a service without subsets). */
  workloads: Map<string, WorkloadPlan>;
}

/** Inputs of {@link planWorkloads}. */
export interface PlanInput {
  /** VirtualServices (their destination hosts become services). */
  virtualServices: readonly VirtualService[];
  /** DestinationRules (their subsets become workloads). */
  destinationRules: readonly DestinationRule[];
  /** How (host, subset) pairs are served. */
  backends: readonly BackendSpec[];
  /** Namespace for objects without one. */
  namespace: string;
  /**
   * What a backend override naming a host or subset the objects do not define is: an error (a
   * typo in a static setup), or nothing yet (a live configuration, where the subset may come later).
   * @default "error"
   */
  unmatchedBackends?: 'error' | 'ignore';
}

/** Derives every service and workload; problems go to `diag`. */
export function planWorkloads(input: PlanInput, diag: Diagnostics): Map<string, ServicePlan> {
  const services = new Map<string, ServicePlan>();
  const drOwner = new Map<string, string>();
  for (const dr of input.destinationRules) {
    const ns = dr.metadata?.namespace ?? input.namespace;
    const label = objectLabel('DestinationRule', ns, dr.metadata?.name ?? '?');
    const d = diag.forObject(label);
    if (typeof dr.spec?.host !== 'string' || !dr.spec.host) {
      d.error('spec.host', 'a DestinationRule needs spec.host');
      continue;
    }
    const fqdn = resolveHost(dr.spec.host, ns);
    const owner = drOwner.get(fqdn);
    if (owner !== undefined && owner !== label) {
      d.warn('spec.host', `${owner} already applies to ${fqdn}; this one is ignored (Istio uses one DestinationRule per host)`);
      continue;
    }
    drOwner.set(fqdn, label);
    const svc = ensureService(services, fqdn, ns);
    svc.destinationRule = dr;
    svc.workloads.clear();
    svc.lb = policy(dr.spec.trafficPolicy?.loadBalancer?.simple, 'spec.trafficPolicy.loadBalancer.simple', d) ?? 'ROUND_ROBIN';
    svc.pool = poolLimits(dr.spec.trafficPolicy, undefined, d, 'spec');
    const top = outlier(dr.spec.trafficPolicy?.outlierDetection, 'spec.trafficPolicy.outlierDetection', d);
    if (top) svc.outlier = top;
    else delete svc.outlier;
    const topHash = hashOf(dr.spec.trafficPolicy?.loadBalancer?.consistentHash, 'spec.trafficPolicy.loadBalancer.consistentHash', d);
    if (topHash) svc.hash = topHash;
    else delete svc.hash;
    (dr.spec.subsets ?? []).forEach((s, i) => {
      const path = `spec.subsets[${i}]`;
      if (!s || typeof s.name !== 'string' || !s.name) return d.error(`${path}.name`, 'a subset needs a name');
      if (svc.workloads.has(s.name)) return d.error(`${path}.name`, `duplicate subset "${s.name}"`);
      const lb = policy(s.trafficPolicy?.loadBalancer?.simple, `${path}.trafficPolicy.loadBalancer.simple`, d) ?? svc.lb;
      const w = newWorkload(svc, s.name, s.labels ?? {}, lb);
      w.pool = poolLimits(dr.spec.trafficPolicy, s.trafficPolicy, d, path);
      const own = outlier(s.trafficPolicy?.outlierDetection, `${path}.trafficPolicy.outlierDetection`, d) ?? top;
      if (own) w.outlier = own;
      // A subset's loadBalancer replaces the rule's as a whole.
      const ownLb = s.trafficPolicy?.loadBalancer;
      const hash = ownLb ? hashOf(ownLb.consistentHash, `${path}.trafficPolicy.loadBalancer.consistentHash`, d) : svc.hash;
      if (hash) w.hash = hash;
      svc.workloads.set(s.name, w);
    });
  }
  for (const vs of input.virtualServices) {
    const ns = vs.metadata?.namespace ?? input.namespace;
    for (const host of destinationHosts(vs)) {
      const fqdn = resolveHost(host, ns);
      if (!fqdn.includes('*')) ensureService(services, fqdn, ns);
    }
  }
  for (const svc of services.values()) {
    if (svc.workloads.size === 0) {
      const w = { ...newWorkload(svc, undefined, {}, svc.lb), pool: svc.pool };
      if (svc.outlier) w.outlier = svc.outlier;
      if (svc.hash) w.hash = svc.hash;
      svc.workloads.set('', w);
    }
  }
  const lenient = input.unmatchedBackends === 'ignore';
  input.backends.forEach((b, i) => applyBackend(b, `backends[${i}]`, services, input.namespace, diag, lenient));
  return services;
}

/** Hosts named as route or mirror destinations of a VirtualService (HTTP and TCP routes). */
export function destinationHosts(vs: VirtualService): string[] {
  const out: string[] = [];
  for (const r of Array.isArray(vs.spec?.tcp) ? vs.spec.tcp : []) {
    for (const d of Array.isArray(r?.route) ? r.route : []) if (typeof d?.destination?.host === 'string') out.push(d.destination.host);
  }
  for (const r of vs.spec?.http ?? []) {
    for (const d of r?.route ?? []) if (typeof d?.destination?.host === 'string') out.push(d.destination.host);
    if (typeof r?.mirror?.host === 'string') out.push(r.mirror.host);
    for (const m of r?.mirrors ?? []) if (typeof m?.destination?.host === 'string') out.push(m.destination.host);
  }
  return out;
}

function applyBackend(b: BackendSpec, path: string, services: Map<string, ServicePlan>, ns: string, diag: Diagnostics, lenient: boolean): void {
  const fqdn = resolveHost(b.host, ns);
  const svc = services.get(fqdn);
  if (lenient && !svc?.workloads.has(b.subset)) return;
  if (!svc) {
    diag.error(`${path}.host`, `no DestinationRule or VirtualService mentions host "${b.host}" (${fqdn})`,
      `known hosts: ${[...services.keys()].join(', ') || 'none'}`);
    return;
  }
  const w = svc.workloads.get(b.subset);
  if (!w) {
    const known = [...svc.workloads.keys()].filter(Boolean);
    diag.error(`${path}.subset`, `host ${fqdn} has no subset "${b.subset}"`,
      known.length ? `subsets: ${known.join(', ')}` : 'define the subset in a DestinationRule for this host');
    return;
  }
  if ([b.demo, b.command, b.tcpEcho].filter((x) => x !== undefined).length > 1) diag.error(path, 'a backend is one of demo, command or tcpEcho');
  w.replicas = b.replicas ?? 1;
  if (b.demo) w.demo = b.demo;
  if (b.command) w.command = b.command;
  if (b.tcpEcho) w.tcpEcho = { prefix: b.tcpEcho.prefix ?? w.workload.subset ?? w.workload.name };
  w.readyPath = b.readyPath ?? '/';
  if (w.demo.latency.p99 < w.demo.latency.median) {
    diag.error(`${path}.demo.latency`, 'p99 must not be below the median');
  }
}

function ensureService(services: Map<string, ServicePlan>, fqdn: string, ns: string): ServicePlan {
  let svc = services.get(fqdn);
  if (!svc) {
    const parsed = parseServiceFqdn(fqdn);
    svc = { fqdn, name: parsed?.name ?? fqdn, namespace: parsed?.namespace ?? ns, lb: 'ROUND_ROBIN', pool: null, workloads: new Map() };
    services.set(fqdn, svc);
  }
  return svc;
}

function newWorkload(svc: ServicePlan, subset: string | undefined, labels: Record<string, string>, lb: LbPolicy): WorkloadPlan {
  const workload: Workload = {
    service: svc.fqdn,
    serviceName: svc.name,
    namespace: svc.namespace,
    subset,
    name: subset ? `${svc.name}-${subset}` : svc.name,
    version: labels['version'] ?? subset ?? 'unknown',
    app: labels['app'] ?? svc.name,
    labels,
  };
  return { workload, replicas: 1, demo: DEFAULT_DEMO, readyPath: '/', lb, pool: null };
}

function policy(simple: unknown, path: string, d: Diagnostics): LbPolicy | undefined {
  const p = lbPolicyOf(simple);
  if (p === 'unsupported') {
    d.warn(path, `load balancer ${String(simple)} is not supported locally; ROUND_ROBIN is used`);
    return 'ROUND_ROBIN';
  }
  return p;
}

function outlier(raw: unknown, path: string, d: Diagnostics): OutlierConfig | undefined {
  const problems: OutlierProblem[] = [];
  const c = outlierConfigOf(raw, problems);
  for (const p of problems) d.warn(p.path ? `${path}.${p.path}` : path, p.message);
  return c;
}

function hashOf(raw: unknown, path: string, d: Diagnostics): ConsistentHashConfig | undefined {
  const problems: OutlierProblem[] = [];
  const c = consistentHashConfigOf(raw, problems);
  for (const p of problems) d.warn(p.path ? `${path}.${p.path}` : path, p.message);
  return c;
}
