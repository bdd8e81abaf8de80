/**
 * Istio's standard TCP metrics (https://istio.io/latest/docs/reference/config/metrics/):
 * `istio_tcp_connections_opened_total`, `istio_tcp_connections_closed_total`,
 * `istio_tcp_received_bytes_total` (client → server) and `istio_tcp_sent_bytes_total`
 * (server → client), with the same labels as the HTTP families up to `request_protocol="tcp"`,
 * then `response_flags` and `connection_security_policy`. One series per (labels, flags); a
 * connection adds to it when it opens and when it closes.
 */
import { labelString, writeCounter } from './prom-text.js';

/** Counters of one series. */
export interface TcpSeries {
  /** Label string without braces. */
  readonly labels: string;
  /** Connections opened. */
  opened: number;
  /** Connections closed. */
  closed: number;
  /** Bytes from the client. */
  received: number;
  /** Bytes to the client. */
  sent: number;
}

/** The TCP families of one registry, with one source's labels (`R` reporter, `D` destination as metrics.ts types them). */
export interface TcpMetrics<R, D> {
  /** The series of a reporter, destination and response flags ("-" for none); created on first use. */
  series(reporter: R, dest: D, flags: string): TcpSeries;
}

/** The registry-wide store: views per label maker, one rendering. */
export interface TcpMetricsStore {
  /**
   * A view whose series get the labels `pairs` makes; `idOf` names a (reporter, destination) pair
   * so its label string is built once.
   */
  forLabels<R, D>(pairs: (reporter: R, dest: D) => Array<[string, string]>, idOf: (reporter: R, dest: D) => string): TcpMetrics<R, D>;
  /** Appends the four families (nothing before the first connection). */
  render(out: string[]): void;
}

/** Creates an empty store. */
export function createTcpMetricsStore(): TcpMetricsStore {
  const all: TcpSeries[] = [];
  const byLabels = new Map<string, TcpSeries>();
  return {
    forLabels(pairs, idOf) {
      const prefixes = new Map<string, string>();
      return {
        series(reporter, dest, flags) {
          const id = idOf(reporter, dest);
          let prefix = prefixes.get(id);
          if (prefix === undefined) prefixes.set(id, (prefix = labelString(pairs(reporter, dest))));
          const labels = `${prefix},response_flags="${flags}",connection_security_policy="unknown"`;
          let s = byLabels.get(labels);
          if (!s) {
            s = { labels, opened: 0, closed: 0, received: 0, sent: 0 };
            byLabels.set(labels, s);
            all.push(s);
          }
          return s;
        },
      };
    },
    render(out) {
      if (all.length === 0) return;
      writeCounter(out, 'istio_tcp_connections_opened_total', 'TCP connections opened.', all.map((s) => ({ labels: s.labels, value: s.opened })));
      writeCounter(out, 'istio_tcp_connections_closed_total', 'TCP connections closed.', all.map((s) => ({ labels: s.labels, value: s.closed })));
      writeCounter(out, 'istio_tcp_received_bytes_total', 'Bytes received from the client on TCP connections.', all.map((s) => ({ labels: s.labels, value: s.received })));
      writeCounter(out, 'istio_tcp_sent_bytes_total', 'Bytes sent to the client on TCP connections.', all.map((s) => ({ labels: s.labels, value: s.sent })));
    },
  };
}
