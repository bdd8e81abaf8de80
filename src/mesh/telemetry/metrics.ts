/**
 * Istio's standard metrics, recorded the way a real mesh's two sidecars would, so Flagger's and
 * Kiali's PromQL work unchanged:
 * - reporter="source": the client's sidecar view, one sample per client request with the code the
 *   client received (including local answers: NR, FI aborts, UT timeouts, UH) and the full duration
 *   (fault delay and retries included). Destination workload/version are those of the endpoint that
 *   answered, or "unknown" when no endpoint was reached (as Istio reports them).
 * - reporter="destination": the server's sidecar view, one sample per try that reached an endpoint
 *   (so retries count separately, as in Istio) and per mirrored copy; fault-injected aborts never
 *   reach a destination, exactly like Istio's client-side fault injection.
 * source_workload is "unknown": requests come from outside the mesh (the load generator). A view
 * made by `forSource` records with other source labels, e.g. Istio's ingress gateway for requests
 * that entered through a Gateway listener (both reporters, as the destination sidecar sees the
 * gateway as its client). TCP connections are counted in Istio's TCP families (`tcp-metrics.ts`).
 * Label strings are built once per (reporter, destination) and per (code, flags) series; recording
 * is two map lookups and a few additions.
 */
import type { Workload } from '../endpoints/endpoint.js';
import { createMirrorMetrics, type MirrorMetrics } from './mirror-metrics.js';
import { labelString, writeCounter, writeHistogram } from './prom-text.js';
import { createTcpMetricsStore, type TcpMetrics } from './tcp-metrics.js';

/** Istio's default buckets for istio_request_duration_milliseconds. */
export const DURATION_BUCKETS_MS: readonly number[] = Object.freeze([
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
]);

/** Which sidecar's view a sample is. */
export type Reporter = 'source' | 'destination';

/** A destination as far as it is known: a workload, a service only, or nothing. */
export type DestinationId = Workload | { service: string; serviceName: string; namespace: string } | undefined;

/** One (labels) series: the counter is `count`; the histogram is `buckets`, `sum`, `count`. */
interface Series {
  /** Full label string, without braces. */
  labels: string;
  /** Observations. */
  count: number;
  /** Sum of observed durations, ms. */
  sum: number;
  /** Per-bucket (non-cumulative) counts. */
  buckets: Float64Array;
}

/** The client side of a sample, as Istio's `source_*` labels describe it. */
export interface SourceId {
  /** `source_workload` (also `source_canonical_service` and `source_app`). */
  workload: string;
  /** `source_workload_namespace`. */
  namespace: string;
  /** `source_cluster`. */
  cluster: string;
}

/** Requests from outside the mesh (the load generator, curl): every source label "unknown". */
export const OUTSIDE: SourceId = Object.freeze({ workload: 'unknown', namespace: 'unknown', cluster: 'unknown' });

/**
 * Istio's default ingress gateway (the `istio-ingressgateway` Deployment in `istio-system`), the
 * client of requests that entered through a Gateway listener. Its principal stays "unknown":
 * the local mesh has no mTLS identities.
 */
export const INGRESS_GATEWAY: SourceId = Object.freeze({ workload: 'istio-ingressgateway', namespace: 'istio-system', cluster: 'Kubernetes' });

/** Precomputed labels of one (reporter, destination); obtain with {@link IstioMetrics.labelsFor}. */
export interface LabelSet {
  /** Internal: label string without response_code and what follows. */
  readonly prefix: string;
  /** Internal: series by code then flags. */
  readonly series: Map<number, Map<string, Series>>;
}

/** The metrics registry of one mesh. */
export interface IstioMetrics {
  /** The cached label set for a reporter and destination. */
  labelsFor(reporter: Reporter, dest: DestinationId): LabelSet;
  /** Records one request: status code (0 when none was sent), response flags ("-" for none), duration ms. */
  record(set: LabelSet, code: number, flags: string, durationMs: number): void;
  /** Mirrored copies, counted apart as well (`mirror-metrics.ts`): Istio's metrics cannot tell them from other requests. */
  readonly mirrors: MirrorMetrics;
  /** Istio's TCP families (connections opened/closed, bytes), with this view's source labels. */
  readonly tcp: TcpMetrics<Reporter, DestinationId>;
  /** The same registry recording with `source`'s labels (label sets cached per view). */
  forSource(source: SourceId): IstioMetrics;
  /** Prometheus text exposition of both families (and of the mirrored copies', once there are some). */
  render(): string;
}

/** Creates an empty registry. */
export function createIstioMetrics(): IstioMetrics {
  const all: Series[] = [];
  const bounds = DURATION_BUCKETS_MS;
  const nb = bounds.length;
  const mirrors = createMirrorMetrics(bounds);
  const tcpAll = createTcpMetricsStore();
  const views = new Map<SourceId, IstioMetrics>();

  const record: IstioMetrics['record'] = (set, code, flags, ms) => {
      let byFlags = set.series.get(code);
      if (!byFlags) set.series.set(code, (byFlags = new Map()));
      let s = byFlags.get(flags);
      if (!s) {
        const labels = `${set.prefix},response_code="${code}",grpc_response_status="",response_flags="${flags}",connection_security_policy="unknown"`;
        s = { labels, count: 0, sum: 0, buckets: new Float64Array(nb) };
        byFlags.set(flags, s);
        all.push(s);
      }
      s.count++;
      s.sum += ms;
      for (let i = 0; i < nb; i++) {
        if (ms <= bounds[i]!) {
          s.buckets[i]!++;
          break;
        }
      }
  };
  const render = () => {
    const out: string[] = [];
    writeCounter(out, 'istio_requests_total', 'Total requests.', all.map((s) => ({ labels: s.labels, value: s.count })));
    writeHistogram(out, 'istio_request_duration_milliseconds', 'Request duration in milliseconds.', bounds, all);
    mirrors.render(out);
    tcpAll.render(out);
    return `${out.join('\n')}\n`;
  };
  const view = (source: SourceId): IstioMetrics => {
    const byWorkload = { source: new Map<object, LabelSet>(), destination: new Map<object, LabelSet>() };
    const byService = { source: new Map<string, LabelSet>(), destination: new Map<string, LabelSet>() };
    const unknown: Partial<Record<Reporter, LabelSet>> = {};
    const v: IstioMetrics = {
      mirrors,
      tcp: tcpAll.forLabels<Reporter, DestinationId>((reporter, dest) => labelPairs(reporter, dest, source, 'tcp'), destinationKey),
      labelsFor(reporter, dest) {
        if (dest === undefined) return (unknown[reporter] ??= makeSet(reporter, undefined, source));
        if ('version' in dest) {
          let s = byWorkload[reporter].get(dest);
          if (!s) byWorkload[reporter].set(dest, (s = makeSet(reporter, dest, source)));
          return s;
        }
        let s = byService[reporter].get(dest.service);
        if (!s) byService[reporter].set(dest.service, (s = makeSet(reporter, dest, source)));
        return s;
      },
      record,
      forSource(other) {
        let w = views.get(other);
        if (!w) views.set(other, (w = view(other)));
        return w;
      },
      render,
    };
    return v;
  };
  const root = view(OUTSIDE);
  views.set(OUTSIDE, root);
  return root;
}

/** Identity of a (reporter, destination) pair for label caches. */
function destinationKey(reporter: Reporter, dest: DestinationId): string {
  return `${reporter}|${dest === undefined ? '' : 'version' in dest ? `${dest.service}|${dest.name}` : dest.service}`;
}

function makeSet(reporter: Reporter, dest: DestinationId, source: SourceId): LabelSet {
  return { prefix: labelString(labelPairs(reporter, dest, source, 'http')), series: new Map() };
}

/** Istio's standard labels up to `request_protocol`, in Istio's order. */
export function labelPairs(reporter: Reporter, dest: DestinationId, source: SourceId, protocol: 'http' | 'tcp'): Array<[string, string]> {
  const w = dest && 'version' in dest ? dest : undefined;
  const unknown = 'unknown';
  return [
    ['reporter', reporter],
    ['source_workload', source.workload],
    ['source_workload_namespace', source.namespace],
    ['source_principal', unknown],
    ['source_app', source.workload],
    ['source_version', unknown],
    ['source_canonical_service', source.workload],
    ['source_canonical_revision', 'latest'],
    ['source_cluster', source.cluster],
    ['destination_workload', w?.name ?? unknown],
    ['destination_workload_namespace', w?.namespace ?? unknown],
    ['destination_principal', unknown],
    ['destination_app', w?.app ?? unknown],
    ['destination_version', w?.version ?? unknown],
    ['destination_service', dest?.service ?? unknown],
    ['destination_canonical_service', w?.app ?? unknown],
    ['destination_canonical_revision', w?.version ?? 'latest'],
    ['destination_service_name', dest?.serviceName ?? unknown],
    ['destination_service_namespace', dest?.namespace ?? unknown],
    ['destination_cluster', w ? 'Kubernetes' : unknown],
    ['request_protocol', protocol],
  ];
}
