/** Wording shared by the evaluators of per-subject SLOs. */
import type { CheckOptions } from '../types.js';
import type { Subject } from '../subject.js';

/**
 * Says which subset a subject's requests came from, for no-data messages:
 * "served by v2" for canary/stable, "" for all.
 */
export function servedBy(subject: Subject, options: Pick<CheckOptions, 'stable' | 'canary'>): string {
  if (subject === 'canary') return `served by ${options.canary}`;
  if (subject === 'stable') return `served by ${options.stable}`;
  return '';
}
