/**
 * The metric-source extension point: a source answers instant queries about the mesh (Prometheus
 * now; Datadog-like sources later), so SLOs can be judged on the mesh-side view as well as on what
 * the load generator saw. One folder per implementation, a registry keyed by name (Flagger's
 * `pkg/metrics/providers`).
 */

/** One series of an instant-query result. */
export interface MetricSeries {
  /** The series' labels (`__name__` included when the query keeps it). */
  labels: Record<string, string>;
  /** Its value at the query time; NaN and ±Inf are kept as they came. */
  value: number;
}

/** The result of an instant query. */
export interface QueryResult {
  /** The query as sent (templates rendered). */
  query: string;
  /** Evaluation time, ms since the epoch. */
  timeMs: number;
  /** Zero or more series; a scalar result is one series with no labels. */
  series: MetricSeries[];
}

/** A place to ask about the mesh. */
export interface MetricSource {
  /** Registry name, e.g. "prometheus". */
  readonly name: string;
  /** Where it is, for messages, e.g. "http://127.0.0.1:9090". */
  readonly address: string;
  /**
   * Checks the source answers and is ready.
   * @throws RuntimeError with a hint when it is unreachable or not ready
   */
  ping(signal?: AbortSignal): Promise<void>;
  /**
   * Runs an instant query at `timeMs`.
   * @throws RuntimeError when the source is unreachable or rejects the query (its message shown)
   */
  query(query: string, timeMs: number, signal?: AbortSignal): Promise<QueryResult>;
  /**
   * When `query` returned nothing, says in one line which label matcher matched nothing and which
   * values that label does have ("destination_workload=~"reviews-v3" matched nothing; seen: …").
   * Never throws: a failed diagnosis returns undefined.
   */
  explainEmpty(query: string, timeMs: number, signal?: AbortSignal): Promise<string | undefined>;
}
