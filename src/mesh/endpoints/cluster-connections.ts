/**
 * The upstream connections of one cluster. Envoy keeps connection pools per cluster (and host), so
 * two clusters over the same endpoints — a subset's and the whole service's — never share a
 * connection; the upstream client keys its pools by this object, and the pools count here what
 * Envoy reports as `upstream_cx_active` (connections open: connecting, in use or idle) and
 * `upstream_cx_total` (connections ever opened), and the requests that waited for a new connection
 * (part of `upstream_rq_pending_total`). It lives in endpoints/ with the cluster stats so
 * config/ (which builds clusters) and proxy/ (which opens connections) can both use it.
 */
export class ClusterConnections {
  /** Connections open now (Envoy's gauge `upstream_cx_active`). */
  active = 0;
  /** Connections opened so far (Envoy's counter `upstream_cx_total`). */
  total = 0;
  /**
   * Requests that found no idle connection and waited for a new one to be established: Envoy
   * counts such a request in `upstream_rq_pending_total` (its pool makes it a pending stream).
   */
  waitedForConnection = 0;

  /** A connection was opened. */
  opened(): void {
    this.active++;
    this.total++;
  }

  /** A connection opened by {@link opened} is gone (closed, reset or never connected). */
  closed(): void {
    this.active--;
  }
}
