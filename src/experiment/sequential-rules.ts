/**
 * Rules of `analysis.mode: sequential` (sequential-schema.ts), so that validate refuses what run
 * would not do:
 * - `promoteEarly: true` and `nonInferiority` belong to mode sequential; with mode fixed they would
 *   be ignored, so they are refused, at their field.
 * - Mode sequential tests the relative SLOs (relative-error-rate, relative-latency) only: absolute
 *   limits keep their check at the step's end. With no relative SLO, nothing would be tested
 *   sequentially: an ERROR (a mode that silently does nothing reads as if it watched).
 * - The tests read the load generator's responses as they come: with live traffic (generator none)
 *   or in-cluster load (load.distributed) the run sees none during the step, so both are refused.
 */
import type { RuleInput, RuleProblem } from './rule-types.js';

/** Kinds of SLO that get a sequential test. */
export const SEQUENTIAL_SLO_KINDS: ReadonlySet<string> = new Set(['relative-error-rate', 'relative-latency']);

const at = (key: string) => ['spec', 'analysis', key];

/** The problems of the analysis mode of a spec. */
export function sequentialRules({ spec, valid }: RuleInput): RuleProblem[] {
  const analysis = valid.has('analysis') ? spec.analysis : undefined;
  if (!analysis) return [];
  const out: RuleProblem[] = [];
  if (analysis.mode === 'fixed') {
    const hint = 'set "mode: sequential" in spec.analysis, or remove it';
    if (analysis.promoteEarly) out.push({ path: at('promoteEarly'), message: 'only with mode sequential: a fixed analysis judges each step once at its end, so nothing can end it early', hint, pointAt: 'key' });
    if (analysis.nonInferiority) out.push({ path: at('nonInferiority'), message: 'only with mode sequential: the margins are those of the sequential tests', hint, pointAt: 'key' });
    return out;
  }
  if (valid.has('slos') && spec.slos && !spec.slos.some((s) => SEQUENTIAL_SLO_KINDS.has(s.kind))) {
    out.push({
      path: at('mode'),
      message: 'mode sequential tests the relative SLOs (relative-error-rate, relative-latency), and there is none: nothing would be tested sequentially',
      hint: 'add e.g. "- kind: relative-error-rate" to spec.slos (absolute SLOs keep their check at the step\'s end), or use mode fixed',
    });
  }
  const load = valid.has('load') ? spec.load : undefined;
  if (load?.generator === 'none') {
    out.push({ path: at('mode'), message: 'mode sequential reads the load generator\'s responses as they come, and generator none (live traffic) sends none', hint: 'use generator builtin, vegeta or k6, or mode fixed' });
  } else if (load?.distributed) {
    out.push({ path: at('mode'), message: 'mode sequential reads the load generator\'s responses as they come, and the in-cluster load (load.distributed) reports none to the run', hint: 'remove load.distributed, or use mode fixed' });
  }
  return out;
}
