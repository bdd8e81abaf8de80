/**
 * Presentation helpers shared by the report formats, so HTML and Markdown say the same things
 * the same way. They return plain text: each format escapes it for itself.
 */
import { formatCheckValue } from '../analysis/registry.js';
import { formatMs, formatPercent } from '../analysis/format.js';
import type { CheckResult, Outcome, StepDecision, StepResult, Verdict, VersionStats } from '../model/result.js';

/** How an outcome is shown: its label and whether it is good news. */
export interface OutcomeLook {
  /** Upper-case label, e.g. "ROLLED BACK". */
  label: string;
  /** "good" (green), "bad" (red) or "warn" (amber). */
  tone: 'good' | 'bad' | 'warn';
}

const OUTCOMES: Record<Outcome, OutcomeLook> = {
  promoted: { label: 'PROMOTED', tone: 'good' },
  passed: { label: 'PASSED', tone: 'good' },
  'rolled-back': { label: 'ROLLED BACK', tone: 'bad' },
  error: { label: 'ERROR', tone: 'bad' },
  interrupted: { label: 'INTERRUPTED', tone: 'warn' },
};

/** Label and tone of an outcome; an unknown outcome (a newer result.json) reads as a warning. */
export function outcomeLook(outcome: Outcome): OutcomeLook {
  return OUTCOMES[outcome] ?? { label: String(outcome).toUpperCase(), tone: 'warn' };
}

/** Verdict as shown in tables: "pass", "FAIL", "no data". */
export function verdictLabel(verdict: Verdict): string {
  return verdict === 'fail' ? 'FAIL' : verdict === 'no-data' ? 'no data' : verdict;
}

/** Decision as shown in tables: "continue", "promote", "rollback", "complete (restore)". */
export function decisionLabel(decision: StepDecision): string {
  return decision === 'complete' ? 'complete (restore)' : decision;
}

/** Epoch ms as "2025-05-01 12:00:03 UTC": time-zone independent, so reports diff cleanly. */
export function formatTimestamp(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return `${new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')} UTC`;
}

/** A span of time for people: "850ms", "12.3s", "2m05s", "1h02m". */
export function formatSpan(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1).replace(/\.0$/, '')}s`;
  const totalS = Math.round(ms / 1000);
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(s).padStart(2, '0')}s`;
}

/** Canary weight of a step: "25%", or "—" when the experiment does not shift. */
export function weightLabel(step: Pick<StepResult, 'canaryWeight'>): string {
  return step.canaryWeight === null ? '—' : `${step.canaryWeight}%`;
}

/** A latency cell: "412ms" or "—". */
export function latencyCell(ms: number | null): string {
  return ms === null ? '—' : formatMs(ms);
}

/** An error-rate cell: "4.10%" or "—". */
export function errorRateCell(stats: Pick<VersionStats, 'errorRate'>): string {
  return stats.errorRate === null ? '—' : formatPercent(stats.errorRate);
}

/** A check's value: "412ms", "4.10%", or "—" when there was no data. */
export function checkValueCell(check: CheckResult): string {
  return check.value === null ? '—' : formatCheckValue(check.kind, check.value);
}

/** A check's threshold with its comparator: "≤ 250ms", "≥ 95.00%". */
export function thresholdCell(check: CheckResult): string {
  return `${check.comparator === 'min' ? '≥' : '≤'} ${formatCheckValue(check.kind, check.threshold)}`;
}

/**
 * A check's confidence interval: "[-1.2ms, 8.4ms] at 98%", or "" when the check has none
 * (threshold SLOs judge a point value).
 */
export function intervalCell(check: CheckResult): string {
  const i = check.interval;
  if (!i) return '';
  const confidence = Number((i.confidence * 100).toFixed(2));
  return `[${formatCheckValue(check.kind, i.low)}, ${formatCheckValue(check.kind, i.high)}] at ${confidence}%`;
}

/** Counts of a step's checks: "1 failed, 1 passed" or "no checks". */
export function checkCounts(checks: readonly CheckResult[]): string {
  const n = (v: Verdict) => checks.filter((c) => c.verdict === v).length;
  const parts = [
    n('fail') > 0 ? `${n('fail')} failed` : '',
    n('no-data') > 0 ? `${n('no-data')} no data` : '',
    n('pass') > 0 ? `${n('pass')} passed` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'no checks';
}

/** The experiment's description (metadata.description), when the experiment has one. */
export function experimentDescription(experiment: unknown): string | undefined {
  const metadata = (experiment as { metadata?: { description?: unknown } } | null)?.metadata;
  return typeof metadata?.description === 'string' && metadata.description.trim() ? metadata.description : undefined;
}
