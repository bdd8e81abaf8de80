/**
 * The contract of the cross-field rules (rules.ts, target-rules.ts): what a rule sees and what it
 * returns, apart from the rules themselves so that the rule files need not import each other.
 */
import type { PathSegment, PointAt } from '../input/locate.js';
import type { Experiment } from './schema.js';

/** A rule's finding, not yet located in the file. */
export interface RuleProblem {
  /** Data path of the field the problem is about, e.g. `['spec', 'target', 'canary']`. */
  path: PathSegment[];
  /** What is wrong, in plain words. */
  message: string;
  /** What to do about it. */
  hint?: string;
  /** Point at the key rather than the value. @default "value" */
  pointAt?: PointAt;
}

/** The parts of `spec` the rules look at. */
export type SpecSections = Partial<Experiment['spec']>;

/** Input of the rules: the sections that parsed, and which ones did (absent optional ones count). */
export interface RuleInput {
  /** Parsed, defaulted sections. */
  spec: SpecSections;
  /** Names of the sections that parsed cleanly (a valid absent `local` is in here too). */
  valid: ReadonlySet<string>;
  /** The spec as written, before defaults (tells a written field from a defaulted one). @default absent: no field counts as written */
  written?: unknown;
}
