/**
 * Response-flag SLO: the share of the subject's requests the mesh's source reporter counted with
 * an Envoy response flag (e.g. UO, the circuit breaker's overflow) against min and/or max.
 */
import type { ResponseFlagSlo } from '../../metrics/mesh-view.js';
import { formatPercent, plural } from '../format.js';
import type { SloEvaluator } from '../types.js';
import { judgeMeshView } from './mesh-view-judge.js';

/** Evaluator for `kind: response-flag`. */
export const responseFlagEvaluator: SloEvaluator<ResponseFlagSlo> = {
  kind: 'response-flag',
  defaultName: (slo) => `${slo.subject}-response-flag-${slo.flag}`,
  formatValue: formatPercent,
  evaluate(slo, input) {
    return judgeMeshView(slo, input, {
      name: slo.name ?? responseFlagEvaluator.defaultName(slo),
      what: `${slo.subject} ${slo.flag} share`,
      format: formatPercent,
      detail: (part, whole) => `${part} of ${plural(whole ?? 0, 'request')} flagged ${slo.flag}`,
      // A share of a handful of requests says little: the same minimum as the client's checks.
      minCounts: input.options.minSamples,
    });
  },
};
