/**
 * The notification events, built from what the run (or a game day) already has: the experiment,
 * a judged step, the result. `kind` tells an experiment's events from a game day's. Nothing here
 * reads the target's URL: an event holds no secret.
 */
import type { Experiment } from '../experiment/schema.js';
import type { RunResult, StepResult } from '../model/result.js';
import type { GameDayExperimentResult } from '../model/gameday-result.js';
import type { DecisionEvent, GameDayDecisionEvent, StartEvent, VerdictEvent } from './payload-schema.js';

const iso = (epochMs: number) => new Date(epochMs).toISOString();
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The start of an experiment run: the snapshot is journaled, the first change comes next. */
export function experimentStartEvent(experiment: Experiment, plannedSteps: number, time: number): StartEvent {
  const { target } = experiment.spec;
  const description = experiment.metadata.description;
  return {
    schemaVersion: 1,
    kind: 'experiment',
    event: 'start',
    name: experiment.metadata.name,
    time: iso(time),
    text: `experiment ${experiment.metadata.name} started: ${plural(plannedSteps, 'step')} on ${target.host} (${target.stable} → ${target.canary}, provider ${target.provider})`,
    ...(description !== undefined ? { description } : {}),
    planned: plannedSteps,
    target: { provider: target.provider, namespace: target.namespace, host: target.host, stable: target.stable, canary: target.canary },
  };
}

/** A judged step and its decision, with the step's key figures. */
export function decisionEvent(name: string, step: StepResult, plannedSteps: number, time: number): DecisionEvent {
  const failed = step.checks.filter((c) => c.verdict !== 'pass').length;
  return {
    schemaVersion: 1,
    kind: 'experiment',
    event: 'decision',
    name,
    time: iso(time),
    text: `experiment ${name} step ${step.index + 1}/${plannedSteps} (${step.label}): ${step.decision}; ${step.checks.length - failed} of ${plural(step.checks.length, 'check')} passed`,
    step: step.index + 1,
    steps: Math.max(plannedSteps, step.index + 1),
    label: step.label,
    canaryWeight: step.canaryWeight,
    decision: step.decision,
    failedChecksTotal: step.failedChecksTotal,
    figures: step.stats.map((s) => ({ version: s.version, count: s.count, errorRate: s.errorRate, p99Ms: s.latency.p99 })),
    checks: step.checks.map((c) => ({ name: c.name, verdict: c.verdict, message: c.message })),
  };
}

/** The verdict of a run; `report` is relative to the directory mesh-exp ran in. */
export function verdictEvent(result: RunResult, time: number, report?: string): VerdictEvent {
  return {
    schemaVersion: 1,
    kind: 'experiment',
    event: 'verdict',
    name: result.name,
    time: iso(time),
    text: `experiment ${result.name} ${result.outcome}: ${result.summary}`,
    outcome: result.outcome,
    summary: result.summary,
    exitCode: result.exitCode,
    restored: result.restored,
    ...(report !== undefined ? { report } : {}),
  };
}

/** What a game day says when it starts. */
export interface GameDayStart {
  /** The game day's name. */
  name: string;
  /** Its description. @default absent */
  description?: string;
  /** Experiments planned. */
  experiments: number;
  /** When it started, epoch ms. */
  time: number;
}

/** The start of a game day (kind "game-day"). */
export function gameDayStartEvent(day: GameDayStart): StartEvent {
  return {
    schemaVersion: 1,
    kind: 'game-day',
    event: 'start',
    name: day.name,
    time: iso(day.time),
    text: `game day ${day.name} started: ${plural(day.experiments, 'experiment')}`,
    ...(day.description !== undefined ? { description: day.description } : {}),
    planned: day.experiments,
  };
}

/** What a game day says when it ends. */
export interface GameDayVerdict {
  /** The game day's name. */
  name: string;
  /** How it ended, in the game day's own words (e.g. "passed", "failed"). */
  outcome: string;
  /** One sentence: the verdict and why. */
  summary: string;
  /** The exit code the game day ends with. */
  exitCode: number;
  /** Whether every experiment left the mesh as intended. */
  restored: boolean;
  /** Its report, relative to the directory mesh-exp ran in. @default absent */
  report?: string;
  /** When it ended, epoch ms. */
  time: number;
}

/** The verdict of a game day (kind "game-day"). */
export function gameDayVerdictEvent(day: GameDayVerdict): VerdictEvent {
  return {
    schemaVersion: 1,
    kind: 'game-day',
    event: 'verdict',
    name: day.name,
    time: iso(day.time),
    text: `game day ${day.name} ${day.outcome}: ${day.summary}`,
    outcome: day.outcome,
    summary: day.summary,
    exitCode: day.exitCode,
    restored: day.restored,
    ...(day.report !== undefined ? { report: day.report } : {}),
  };
}

/** What a game day says when one of its experiments ended. */
export interface GameDayDecision {
  /** The game day's name. */
  name: string;
  /** Experiments planned for the day. */
  experiments: number;
  /** The experiment's entry in the day's result. */
  entry: GameDayExperimentResult;
  /** Its report.html, relative to the directory mesh-exp ran in. @default absent */
  report?: string;
  /** Whether the day goes on with the next experiment. */
  next: 'continue' | 'stop';
  /** When it ended, epoch ms. */
  time: number;
}

/** An experiment of a game day ended: its verdict as a decision of the day (kind "game-day"). */
export function gameDayDecisionEvent(day: GameDayDecision): GameDayDecisionEvent {
  const { entry } = day;
  return {
    schemaVersion: 1,
    kind: 'game-day',
    event: 'decision',
    name: day.name,
    time: iso(day.time),
    text: `game day ${day.name} experiment ${entry.index + 1}/${day.experiments} (${entry.name}): ${entry.status}; ${day.next === 'continue' ? 'going on' : 'the day stops here'}`,
    experiment: entry.index + 1,
    experiments: Math.max(day.experiments, entry.index + 1),
    experimentName: entry.name,
    status: entry.status,
    ...(entry.outcome !== undefined ? { outcome: entry.outcome } : {}),
    summary: entry.summary,
    ...(entry.exitCode !== undefined ? { exitCode: entry.exitCode } : {}),
    ...(entry.restored !== undefined ? { restored: entry.restored } : {}),
    ...(day.report !== undefined ? { report: day.report } : {}),
    next: day.next,
  };
}
