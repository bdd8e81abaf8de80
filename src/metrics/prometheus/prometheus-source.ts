/**
 * The Prometheus metric source: instant queries over the HTTP API (`/api/v1/query`), a readiness
 * ping (`/-/ready`), and the no-data diagnosis. Uses the runtime's fetch (undici in Node), with a
 * timeout per request.
 */
import { RuntimeError } from '../../errors.js';
import type { MetricSource, QueryResult } from '../types.js';
import { formatLabels, parseQueryResponse } from './api-response.js';
import { explainEmptyResult } from './explain-empty.js';

/** Options of {@link createPrometheusSource}. */
export interface PrometheusSourceOptions {
  /** Base URL, e.g. "http://127.0.0.1:9090" (a path prefix such as /prometheus is kept). */
  address: string;
  /** Per-request timeout, ms. @default 10000 */
  timeoutMs?: number;
  /** The fetch to use. @default globalThis.fetch */
  fetch?: typeof fetch;
}

const message = (err: unknown) => (err instanceof Error ? (err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message) : String(err));

/** Creates the source. Nothing is contacted until {@link MetricSource.ping} or a query. */
export function createPrometheusSource(options: PrometheusSourceOptions): MetricSource {
  const base = options.address.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? globalThis.fetch;
  const hint = `check that Prometheus runs at ${base} (spec.metrics.prometheus.address) and that this machine can reach it`;

  const get = async (path: string, signal?: AbortSignal): Promise<Response> => {
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      return await doFetch(`${base}${path}`, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw new RuntimeError(`Prometheus at ${base} is unreachable (${timeout.aborted ? `no answer within ${timeoutMs} ms` : message(err)})`, { hint, cause: err });
    }
  };

  const source: MetricSource = {
    name: 'prometheus',
    address: base,
    async ping(signal) {
      const res = await get('/-/ready', signal);
      const text = await res.text();
      if (!res.ok) throw new RuntimeError(`Prometheus at ${base} is not ready (HTTP ${res.status}: ${text.trim().slice(0, 200)})`, { hint });
    },
    async query(query, timeMs, signal): Promise<QueryResult> {
      const params = new URLSearchParams({ query, time: (timeMs / 1000).toFixed(3) });
      const res = await get(`/api/v1/query?${params}`, signal);
      let body: unknown;
      try {
        body = await res.json();
      } catch (err) {
        throw new RuntimeError(`Prometheus at ${base} answered HTTP ${res.status} with a body that is not JSON`, { hint, cause: err });
      }
      const parsed = parseQueryResponse(body);
      if (!parsed.ok) {
        throw new RuntimeError(`Prometheus rejected the query: ${parsed.error}`, {
          hint: `the query was: ${query.replace(/\s+/g, ' ').trim()}`,
        });
      }
      return { query, timeMs, series: parsed.series };
    },
    explainEmpty: (query, timeMs, signal) => explainEmptyResult(source, query, timeMs, signal).catch(() => undefined),
  };
  return source;
}

/** The series list in one line, for "several series" errors. */
export function describeSeries(result: QueryResult, max = 5): string {
  const shown = result.series.slice(0, max).map((s) => `${formatLabels(s.labels)} = ${s.value}`);
  return shown.join('; ') + (result.series.length > max ? `; … ${result.series.length - max} more` : '');
}
