/**
 * Workloads and endpoints of the local mesh: a workload is what serves one (service, subset) —
 * like a Kubernetes Deployment "reviews-v2" — and has `replicas` endpoints (127.0.0.1 ports).
 */

/** Identity of a workload, as Istio's telemetry labels describe it. */
export interface Workload {
  /** Service FQDN, e.g. "reviews.default.svc.cluster.local". */
  service: string;
  /** Service short name, e.g. "reviews". */
  serviceName: string;
  /** Namespace of the service. */
  namespace: string;
  /** DestinationRule subset name, or undefined for a service without subsets. */
  subset: string | undefined;
  /** Workload name, e.g. "reviews-v2" (the service name when there is no subset). */
  name: string;
  /** `version` label (the subset's `labels.version`, else the subset name, else "unknown"). */
  version: string;
  /** `app` label (the subset's `labels.app`, else the service name). */
  app: string;
  /** The subset's labels. */
  labels: Readonly<Record<string, string>>;
}

/** One replica of a workload. */
export interface Endpoint {
  /** e.g. "reviews-v2-0". */
  id: string;
  /** Always 127.0.0.1. */
  host: string;
  /** TCP port it listens on. */
  port: number;
  /** What it serves. */
  workload: Workload;
  /** Requests in flight (LEAST_REQUEST reads it; the proxy maintains it). */
  active: number;
}
