/**
 * Envoy's outlier detector for one cluster, with the consecutive-error detectors Istio enables.
 * Each try's outcome is reported (`report`); the N-th consecutive 5xx (or 502/503/504) ejects the
 * host at once if fewer than `maxEjectionPercent` of the cluster's hosts are ejected already
 * (Envoy: `100 * ejections_active / hosts < max_ejection_percent`). An ejected host leaves the
 * load balancer's set; the ejection sweep, every `interval` from the detector's creation, returns
 * hosts ejected for at least `baseEjectionTime × ejections` (capped at `max_ejection_time`) and
 * lowers that multiplier by one for hosts in service. When fewer than `minHealthPercent` of the
 * hosts are in service, the balancer uses all of them (Envoy's panic mode).
 *
 * The sweep runs lazily, on the clock, when the cluster picks or reports (no timer to own, and
 * deterministic under an injected clock): a host returns at the first sweep instant after its
 * ejection time, as with Envoy's interval timer, and the event carries that instant.
 */
import type { Endpoint } from './endpoint.js';
import type { OutlierConfig } from './outlier-config.js';

/** An ejection or a return to service. */
export interface OutlierEvent {
  /** When, on the detector's clock (ms). */
  at: number;
  /** "eject" or "uneject". */
  kind: 'eject' | 'uneject';
  /** Cluster name, e.g. "outbound|80|v2|reviews.default.svc.cluster.local". */
  cluster: string;
  /** The endpoint. */
  endpoint: Endpoint;
  /** Why: "consecutive_5xx" or "consecutive_gateway_failure" (ejections only). */
  reason?: 'consecutive_5xx' | 'consecutive_gateway_failure';
  /** Human-readable, e.g. "ejected 127.0.0.1:40123 of reviews v2 after 5 consecutive 5xx". */
  message: string;
}

/** Per-host state. */
class HostState {
  consecutive5xx = 0;
  consecutiveGateway = 0;
  /** Ejection multiplier (Envoy's eject-time backoff). */
  backoff = 0;
  /** When ejected; undefined when in service. */
  ejectedAt: number | undefined = undefined;
}

/** Envoy's per-cluster counters, by their stat names (without the `cluster.<name>.` prefix). */
export interface OutlierCounters {
  'outlier_detection.ejections_enforced_total': number;
  'outlier_detection.ejections_active': number;
  'outlier_detection.ejections_enforced_consecutive_5xx': number;
  'outlier_detection.ejections_enforced_consecutive_gateway_failure': number;
  'outlier_detection.ejections_overflow': number;
}

/** The detector of one cluster. */
export class OutlierDetector {
  /** Endpoints the balancer may use now. */
  available: readonly Endpoint[];
  /** Counters (see {@link OutlierCounters}). */
  readonly counters: OutlierCounters = {
    'outlier_detection.ejections_enforced_total': 0,
    'outlier_detection.ejections_active': 0,
    'outlier_detection.ejections_enforced_consecutive_5xx': 0,
    'outlier_detection.ejections_enforced_consecutive_gateway_failure': 0,
    'outlier_detection.ejections_overflow': 0,
  };
  private readonly hosts = new Map<Endpoint, HostState>();
  private nextSweep: number;

  /** A detector over `endpoints`; `now` is a monotonic clock in ms; `onEvent` hears ejections and returns. */
  constructor(
    readonly cluster: string,
    readonly config: OutlierConfig,
    readonly endpoints: readonly Endpoint[],
    private readonly now: () => number,
    private readonly onEvent: ((e: OutlierEvent) => void) | undefined,
  ) {
    for (const e of endpoints) this.hosts.set(e, new HostState());
    this.available = endpoints;
    this.nextSweep = now() + config.intervalMs;
  }

  /** Runs the sweeps due by now. Cheap when none is due (one clock read). */
  tick(): void {
    const t = this.now();
    if (t < this.nextSweep) return;
    // After a long idle period, sweeps that changed nothing need not be replayed one by one:
    // multipliers only fall, so replaying at most enough sweeps to clear them is equivalent.
    const due = Math.floor((t - this.nextSweep) / this.config.intervalMs) + 1;
    const replay = Math.min(due, 1 + Math.ceil(this.config.maxEjectionMs / this.config.intervalMs) + this.maxBackoff());
    const first = this.nextSweep + (due - replay) * this.config.intervalMs;
    for (let i = 0; i < replay; i++) this.sweep(first + i * this.config.intervalMs);
    this.nextSweep += due * this.config.intervalMs;
  }

  /** Records the status of a try to `ep` (local failures as Envoy maps them: 503 connect/reset, 504 timeout). */
  report(ep: Endpoint, status: number): void {
    const h = this.hosts.get(ep);
    if (!h) return;
    this.tick();
    if (status < 500 || status > 599) {
      h.consecutive5xx = 0;
      h.consecutiveGateway = 0;
      return;
    }
    const c = this.config;
    if (status >= 502 && status <= 504) {
      if (++h.consecutiveGateway === c.consecutiveGateway && c.consecutiveGateway > 0) {
        h.consecutiveGateway = 0;
        this.eject(ep, h, 'consecutive_gateway_failure');
      }
    } else h.consecutiveGateway = 0;
    if (++h.consecutive5xx === c.consecutive5xx && c.consecutive5xx > 0) {
      h.consecutive5xx = 0;
      this.eject(ep, h, 'consecutive_5xx');
    }
  }

  /** Whether `ep` is ejected now. */
  isEjected(ep: Endpoint): boolean {
    return this.hosts.get(ep)?.ejectedAt !== undefined;
  }

  private maxBackoff(): number {
    let m = 0;
    for (const h of this.hosts.values()) m = Math.max(m, h.backoff);
    return m;
  }

  private eject(ep: Endpoint, h: HostState, reason: 'consecutive_5xx' | 'consecutive_gateway_failure'): void {
    if (h.ejectedAt !== undefined) return;
    const k = this.counters;
    if ((100 * k['outlier_detection.ejections_active']) / this.endpoints.length >= this.config.maxEjectionPercent) {
      k['outlier_detection.ejections_overflow']++;
      return;
    }
    const at = this.now();
    h.ejectedAt = at;
    h.backoff++;
    k['outlier_detection.ejections_active']++;
    k['outlier_detection.ejections_enforced_total']++;
    k[`outlier_detection.ejections_enforced_${reason}`]++;
    this.refresh();
    const n = reason === 'consecutive_5xx' ? this.config.consecutive5xx : this.config.consecutiveGateway;
    const what = reason === 'consecutive_5xx' ? '5xx' : 'gateway errors (502/503/504)';
    this.onEvent?.({ at, kind: 'eject', cluster: this.cluster, endpoint: ep, reason, message: `ejected ${describe(ep)} after ${n} consecutive ${what}` });
  }

  private sweep(at: number): void {
    let changed = false;
    const c = this.config;
    for (const [ep, h] of this.hosts) {
      if (h.ejectedAt !== undefined) {
        const span = Math.min(c.baseEjectionMs * h.backoff, Math.max(c.baseEjectionMs, c.maxEjectionMs));
        const since = h.ejectedAt;
        if (at - since < span) continue;
        h.ejectedAt = undefined;
        h.consecutive5xx = 0;
        h.consecutiveGateway = 0;
        this.counters['outlier_detection.ejections_active']--;
        changed = true;
        this.onEvent?.({ at, kind: 'uneject', cluster: this.cluster, endpoint: ep, message: `returned ${describe(ep)} to service after ${Math.round(at - since)} ms ejected` });
      } else if (h.backoff > 0) h.backoff--;
    }
    if (changed) this.refresh();
  }

  /** Recomputes the set the balancer uses (all hosts in panic mode). */
  private refresh(): void {
    const healthy = this.endpoints.filter((e) => this.hosts.get(e)!.ejectedAt === undefined);
    const panic = this.endpoints.length > 0 && (100 * healthy.length) / this.endpoints.length < this.config.minHealthPercent;
    this.available = panic ? this.endpoints : healthy;
  }
}

function describe(ep: Endpoint): string {
  const w = ep.workload;
  return `${ep.host}:${ep.port} of ${w.serviceName}${w.subset ? ` ${w.subset}` : ''}`;
}
