/**
 * Retry-success-rate SLO: upstream_rq_retry_success / upstream_rq_retry on the subject's cluster
 * in the step, against min and/or max. Envoy counts a retry success per request whose retried try
 * was not retried again, and every retry made, so two retries of one request that then succeeds
 * read 50%. A step without retries has no data (never a pass).
 */
import type { RetrySuccessRateSlo } from '../../metrics/mesh-view.js';
import { formatPercent } from '../format.js';
import type { SloEvaluator } from '../types.js';
import { judgeMeshView } from './mesh-view-judge.js';

/** Evaluator for `kind: retry-success-rate`. */
export const retrySuccessRateEvaluator: SloEvaluator<RetrySuccessRateSlo> = {
  kind: 'retry-success-rate',
  defaultName: (slo) => `${slo.subject}-retry-success-rate`,
  formatValue: formatPercent,
  evaluate(slo, input) {
    return judgeMeshView(slo, input, {
      name: slo.name ?? retrySuccessRateEvaluator.defaultName(slo),
      what: `${slo.subject} retry success rate`,
      format: formatPercent,
      detail: (part, whole) => `${part} of ${whole ?? 0} ${whole === 1 ? 'retry' : 'retries'} succeeded`,
      minCounts: 1,
    });
  },
};
