/**
 * Ejections SLO: the outlier ejections the mesh enforced in the step on the subject's cluster
 * (Envoy's outlier_detection.ejections_enforced_total) against min and/or max.
 */
import type { EjectionsSlo } from '../../metrics/mesh-view.js';
import { plural } from '../format.js';
import type { SloEvaluator } from '../types.js';
import { judgeMeshView } from './mesh-view-judge.js';

const formatCount = (v: number) => String(Number(v.toPrecision(6)));

/** Evaluator for `kind: ejections`. */
export const ejectionsEvaluator: SloEvaluator<EjectionsSlo> = {
  kind: 'ejections',
  defaultName: (slo) => `${slo.subject}-ejections`,
  formatValue: formatCount,
  evaluate(slo, input) {
    return judgeMeshView(slo, input, {
      name: slo.name ?? ejectionsEvaluator.defaultName(slo),
      what: `${slo.subject} outlier ejections`,
      format: formatCount,
      detail: (part) => `${plural(part, 'ejection')} enforced in the step`,
      minCounts: 0,
    });
  },
};
