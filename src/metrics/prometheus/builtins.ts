/**
 * Named built-in queries: Flagger's Istio queries (pkg/metrics/observers/istio.go), character for
 * character in their PromQL, so a team moving from Flagger gets the same numbers. Flagger judges
 * one workload (`{{ target }}`); mesh-exp renders `{{ target }}` once per version (the workload
 * serving that subset), which gives the same query per version.
 */

/** Names of the built-ins. */
export type BuiltinQueryName = 'request-success-rate' | 'request-duration';

/** The PromQL of each built-in, with `{{ namespace }}`, `{{ target }}` and `{{ interval }}`. */
export const BUILTIN_QUERIES: Record<BuiltinQueryName, string> = {
  'request-success-rate': `sum(
  rate(
    istio_requests_total{
      reporter="destination",
      destination_workload_namespace="{{ namespace }}",
      destination_workload=~"{{ target }}",
      response_code!~"5.*"
    }[{{ interval }}]
  )
)
/
sum(
  rate(
    istio_requests_total{
      reporter="destination",
      destination_workload_namespace="{{ namespace }}",
      destination_workload=~"{{ target }}"
    }[{{ interval }}]
  )
)
* 100`,
  'request-duration': `histogram_quantile(
  0.99,
  sum(
    rate(
      istio_request_duration_milliseconds_bucket{
        reporter="destination",
        destination_workload_namespace="{{ namespace }}",
        destination_workload=~"{{ target }}"
      }[{{ interval }}]
    )
  ) by (le)
)`,
};

/** What each built-in measures, and its unit, for messages. */
export const BUILTIN_INFO: Record<BuiltinQueryName, { what: string; unit: 'percent' | 'ms' }> = {
  'request-success-rate': { what: 'request success rate (Prometheus)', unit: 'percent' },
  'request-duration': { what: 'p99 request duration (Prometheus)', unit: 'ms' },
};
