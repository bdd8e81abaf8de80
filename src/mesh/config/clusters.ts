/**
 * The runtime service registry: for each service an Envoy-style cluster per subset plus one for the
 * whole service (all endpoints of all subsets, like a Kubernetes Service), each with its load
 * balancer. Route tables reference clusters; clusters outlive route-table swaps, so load-balancer
 * state (round-robin position, requests in flight) carries over a live reconfiguration. A registry
 * rebuilt for changed DestinationRules or workloads makes new clusters; one that has the name of a
 * cluster of the registry it replaces carries that cluster's counters on and keeps its upstream
 * connections, as Envoy keeps a cluster's stats by name across a cluster update.
 */
import type { Endpoint } from '../endpoints/endpoint.js';
import { createLoadBalancer, type LoadBalancer } from '../endpoints/load-balancer.js';
import { ClusterConnections } from '../endpoints/cluster-connections.js';
import { ClusterStats } from '../endpoints/cluster-stats.js';
import { OutlierDetector, type OutlierEvent } from '../endpoints/outlier-detector.js';
import type { OutlierConfig } from '../endpoints/outlier-config.js';
import { CircuitBreaker } from './circuit-breaker.js';
import type { PoolLimits } from './connection-pool.js';
import type { ServicePlan, WorkloadPlan } from './workload-plan.js';

/** What outlier detectors need from the mesh. */
export interface OutlierDeps {
  /** Monotonic clock, ms. */
  now: () => number;
  /** Told about every ejection and return. */
  onEvent?: (e: OutlierEvent) => void;
}

/** A set of endpoints traffic can be sent to. */
export interface Cluster {
  /** Envoy-style name, e.g. "outbound|80|v2|reviews.default.svc.cluster.local". */
  name: string;
  /** The service it belongs to. */
  service: ServiceEntry;
  /** Subset name; undefined for the whole-service cluster. */
  subset: string | undefined;
  /** Endpoint selection. */
  lb: LoadBalancer;
  /** Envoy-style stats (GET /stats on the admin port); features add their own counters here. */
  stats: ClusterStats;
  /** connectionPool limits and the pending queue. */
  breaker: CircuitBreaker;
  /** Its upstream connections (the upstream client's pool key; `upstream_cx_active`, `upstream_cx_total`). */
  connections: ClusterConnections;
}

/** A service and its clusters. */
export interface ServiceEntry {
  /** FQDN. */
  fqdn: string;
  /** Short name. */
  name: string;
  /** Namespace. */
  namespace: string;
  /** All endpoints of the service. */
  all: Cluster;
  /** Clusters by DestinationRule subset name. */
  subsets: Map<string, Cluster>;
  /** The service as a metrics destination (when no endpoint was reached). */
  ref: { service: string; serviceName: string; namespace: string };
}

/** Lookup of clusters by (host FQDN, subset). */
export interface ServiceRegistry {
  /** Services by FQDN. */
  readonly services: ReadonlyMap<string, ServiceEntry>;
  /** The cluster for a destination, or a message saying why there is none. */
  resolve(fqdn: string, subset: string | undefined): Cluster | string;
}

/**
 * Builds the registry from the plan and the endpoints started for each workload; `previous` is the
 * registry it replaces, whose clusters of the same names pass on their counters and connections.
 */
export function createServiceRegistry(
  plans: ReadonlyMap<string, ServicePlan>,
  endpointsOf: (w: WorkloadPlan) => Endpoint[],
  outlierDeps: OutlierDeps = { now: () => performance.now() },
  previous?: ServiceRegistry,
): ServiceRegistry {
  const before = new Map<string, Cluster>();
  for (const svc of previous?.services.values() ?? []) for (const c of [...svc.subsets.values(), svc.all]) before.set(c.name, c);
  const cluster = (name: string, service: ServiceEntry, subset: string | undefined, lb: LoadBalancer, pool: PoolLimits | null) =>
    createCluster(name, service, subset, lb, pool, before.get(name));
  const balancer = (name: string, policy: WorkloadPlan['lb'], eps: Endpoint[], od: OutlierConfig | undefined, hash: WorkloadPlan['hash']) =>
    createLoadBalancer(policy, eps, od ? new OutlierDetector(name, od, eps, outlierDeps.now, outlierDeps.onEvent) : undefined, hash);
  const services = new Map<string, ServiceEntry>();
  for (const plan of plans.values()) {
    const subsets = new Map<string, Cluster>();
    const all: Endpoint[] = [];
    const ref = { service: plan.fqdn, serviceName: plan.name, namespace: plan.namespace };
    const entry = { fqdn: plan.fqdn, name: plan.name, namespace: plan.namespace, subsets, ref } as ServiceEntry;
    for (const [subset, w] of plan.workloads) {
      const eps = endpointsOf(w);
      all.push(...eps);
      if (subset) {
        const name = `outbound|80|${subset}|${plan.fqdn}`;
        subsets.set(subset, cluster(name, entry, subset, balancer(name, w.lb, eps, w.outlier, w.hash), w.pool));
      }
    }
    const allName = `outbound|80||${plan.fqdn}`;
    entry.all = cluster(allName, entry, undefined, balancer(allName, plan.lb, all, plan.outlier, plan.hash), plan.pool);
    services.set(plan.fqdn, entry);
  }
  return {
    services,
    resolve(fqdn, subset) {
      const svc = services.get(fqdn);
      if (!svc) return `unknown host ${fqdn}`;
      if (subset === undefined || subset === '') return svc.all;
      const c = svc.subsets.get(subset);
      if (c) return c;
      const known = [...svc.subsets.keys()];
      return `host ${fqdn} has no subset "${subset}" (${known.length ? `subsets: ${known.join(', ')}` : 'no DestinationRule subsets'})`;
    },
  };
}

function createCluster(name: string, service: ServiceEntry, subset: string | undefined, lb: LoadBalancer, pool: PoolLimits | null, previous: Cluster | undefined): Cluster {
  const stats = new ClusterStats();
  // The outlier detector keeps Envoy's counters itself: /stats reads them where they are.
  const od = lb.outlier;
  if (od) for (const stat of Object.keys(od.counters) as (keyof typeof od.counters)[]) stats.read(stat, () => od.counters[stat]);
  const connections = previous?.connections ?? new ClusterConnections();
  stats.read('upstream_cx_active', () => connections.active);
  // Connections kept from the previous cluster are counted there already (carried below).
  const opened = connections.total;
  stats.read('upstream_cx_total', () => connections.total - opened);
  const breaker = new CircuitBreaker(pool, stats);
  // Envoy's upstream_rq_pending_total: a request waits in the breaker's queue or for a new
  // connection (once: a queued request that then waits for a new connection is not counted again).
  const waited = connections.waitedForConnection;
  stats.read('upstream_rq_pending_total', () => breaker.queuedTotal + connections.waitedForConnection - waited);
  if (previous) stats.carry(previous.stats);
  return { name, service, subset, lb, stats, breaker, connections };
}
