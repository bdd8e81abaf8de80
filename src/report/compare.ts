/**
 * This run beside a previous one (`mesh-exp report --compare`), for game-day trends: per SLO
 * check (matched by step and check name) and per step and version (p50, p99, error rate). Steps
 * are matched by index, which is what repeated runs of one experiment share; a step or check only
 * one run has is listed with a blank on the other side. Plain text: each format escapes it.
 */
import { formatCheckValue } from '../analysis/registry.js';
import { formatMs } from '../analysis/format.js';
import type { CheckResult, RunResult, VersionStats } from '../model/result.js';

/** One SLO check in both runs. */
export interface CheckPair {
  /** 1-based step number. */
  step: number;
  /** The check's name. */
  name: string;
  /** This run's check. @default absent when only the previous run had it */
  now?: CheckResult;
  /** The previous run's check. @default absent when only this run has it */
  before?: CheckResult;
}

/** One version of one step in both runs. */
export interface VersionPair {
  /** 1-based step number. */
  step: number;
  /** Version name. */
  version: string;
  /** This run's figures. @default absent when only the previous run had the version */
  now?: VersionStats;
  /** The previous run's figures. @default absent when only this run has the version */
  before?: VersionStats;
}

/** The comparison of two runs. */
export interface RunComparison {
  /** The previous run as a whole. */
  previous: Pick<RunResult, 'name' | 'outcome' | 'summary' | 'startedAt'>;
  /** Checks, in this run's order, then those only the previous run had. */
  checks: CheckPair[];
  /** Versions per step, in this run's order, then those only the previous run had. */
  versions: VersionPair[];
}

/** A change from before to now, as text, and whether it is for the worse. */
export interface Delta {
  /** e.g. "+12.3ms", "-0.40 pp" (percentage points), "±0"; "" when either side is missing. */
  text: string;
  /** "worse", "better" or "same" (also when either side is missing). */
  direction: 'worse' | 'better' | 'same';
}

/** Pairs items of two lists by key, keeping the first list's order. */
function pair<T, P>(now: T[], before: T[], key: (t: T) => string, make: (k: string, a?: T, b?: T) => P): P[] {
  const old = new Map(before.map((t) => [key(t), t]));
  const seen = new Set<string>();
  const out = now.map((t) => {
    seen.add(key(t));
    return make(key(t), t, old.get(key(t)));
  });
  for (const t of before) if (!seen.has(key(t))) out.push(make(key(t), undefined, t));
  return out;
}

/** Compares `current` with `previous`. */
export function compareRuns(current: RunResult, previous: RunResult): RunComparison {
  const checksOf = (r: RunResult) => r.steps.flatMap((s) => s.checks.map((c) => ({ step: s.index + 1, c })));
  const versionsOf = (r: RunResult) => r.steps.flatMap((s) => s.stats.map((v) => ({ step: s.index + 1, v })));
  return {
    previous: { name: previous.name, outcome: previous.outcome, summary: previous.summary, startedAt: previous.startedAt },
    checks: pair(checksOf(current), checksOf(previous), (x) => `${x.step}\u0000${x.c.name}`, (_k, a, b) => ({
      step: (a ?? b)!.step,
      name: (a ?? b)!.c.name,
      ...(a ? { now: a.c } : {}),
      ...(b ? { before: b.c } : {}),
    })),
    versions: pair(versionsOf(current), versionsOf(previous), (x) => `${x.step}\u0000${x.v.version}`, (_k, a, b) => ({
      step: (a ?? b)!.step,
      version: (a ?? b)!.v.version,
      ...(a ? { now: a.v } : {}),
      ...(b ? { before: b.v } : {}),
    })),
  };
}

/**
 * The change of a figure: `kind` "error-rate" (fractions, shown in percentage points),
 * "latency" (ms) or an SLO kind; `higherIsWorse` says which way is bad.
 */
export function delta(kind: string, now: number | null | undefined, before: number | null | undefined, higherIsWorse: boolean): Delta {
  if (now === null || now === undefined || before === null || before === undefined) return { text: '', direction: 'same' };
  const diff = now - before;
  if (diff === 0) return { text: '±0', direction: 'same' };
  const sign = diff > 0 ? '+' : '-';
  const size = Math.abs(diff);
  const text = kind === 'error-rate' ? `${sign}${(size * 100).toFixed(2)} pp` : kind === 'latency' ? `${sign}${formatMs(size)}` : `${sign}${formatCheckValue(kind, size)}`;
  return { text, direction: diff > 0 === higherIsWorse ? 'worse' : 'better' };
}

/** The change of a check's value: worse is up for a max threshold, down for a min. */
export function checkDelta(p: CheckPair): Delta {
  const c = p.now ?? p.before!;
  return delta(c.kind, p.now?.value, p.before?.value, c.comparator === 'max');
}
