/**
 * What the runner and a game day call: the targets of `spec.notify` resolved (their URLs read,
 * a problem being a usage error before anything changes), and one call per moment. Every call
 * but `close` returns at once; `close` waits for outstanding sends only up to the grace time
 * (shorter once the user pressed Ctrl-C), so a hanging receiver delays the end by that at most.
 */
import type { Context } from '../context.js';
import type { Experiment } from '../experiment/schema.js';
import type { NotifyTargetSpec } from '../experiment/notify-schema.js';
import type { RunResult, StepResult } from '../model/result.js';
import { decisionEvent, experimentStartEvent, gameDayDecisionEvent, gameDayStartEvent, gameDayVerdictEvent, verdictEvent, type GameDayDecision, type GameDayStart, type GameDayVerdict } from './events.js';
import { createNotifier, type Notifier } from './notifier.js';
import { requireNotifyTargets } from './resolve-url.js';

/** What notifications need from the context. */
export type NotifyContext = Pick<Context, 'env' | 'clock' | 'logger' | 'signal'>;

/** An experiment run's notifications. */
export interface RunNotifications {
  /** The run began: its snapshot is journaled. */
  start(experiment: Experiment, plannedSteps: number): void;
  /** A step was judged. */
  decision(name: string, step: StepResult, plannedSteps: number): void;
  /** The run ended; `report` relative to the cwd. */
  verdict(result: RunResult, report?: string): void;
  /** Waits for outstanding sends (bounded), then warns once per failed target. */
  close(): Promise<void>;
}

/** A game day's notifications (kind "game-day"). */
export interface GameDayNotifications {
  /** The day began. */
  start(day: Omit<GameDayStart, 'time'>): void;
  /** One of its experiments ended (event "decision"). */
  decision(day: Omit<GameDayDecision, 'time'>): void;
  /** The day ended. */
  verdict(day: Omit<GameDayVerdict, 'time'>): void;
  /** Waits for outstanding sends (bounded), then warns once per failed target. */
  close(): Promise<void>;
}

/** Resolves the targets and builds their notifier; a missing variable or unreadable file throws a UsageError (exit 2). */
async function openNotifier(specs: readonly NotifyTargetSpec[] | undefined, ctx: NotifyContext, dir: string): Promise<{ notifier: Notifier; close(): Promise<void> }> {
  const targets = await requireNotifyTargets(specs ?? [], { env: ctx.env, dir });
  const notifier = createNotifier(targets, { logger: ctx.logger });
  return { notifier, close: () => notifier.close({ signal: ctx.signal }) };
}

/**
 * The notifications of an experiment run (`spec.notify`). Call it in preflight.
 * @param dir the experiment file's directory (a `urlFrom.file` is relative to it)
 */
export async function createRunNotifications(specs: readonly NotifyTargetSpec[] | undefined, ctx: NotifyContext, dir: string): Promise<RunNotifications> {
  const { notifier, close } = await openNotifier(specs, ctx, dir);
  const now = () => ctx.clock.now();
  return {
    start: (experiment, plannedSteps) => notifier.send(experimentStartEvent(experiment, plannedSteps, now())),
    decision: (name, step, plannedSteps) => notifier.send(decisionEvent(name, step, plannedSteps, now())),
    verdict: (result, report) => notifier.send(verdictEvent(result, now(), report)),
    close,
  };
}

/**
 * The notifications of a game day: its start, each experiment's end (a decision of the day) and
 * the day's verdict, with the same targets, secrets and delivery as a run's (`kind: "game-day"` in the payload).
 * @param dir the game day file's directory (a `urlFrom.file` is relative to it)
 */
export async function createGameDayNotifications(specs: readonly NotifyTargetSpec[] | undefined, ctx: NotifyContext, dir: string): Promise<GameDayNotifications> {
  const { notifier, close } = await openNotifier(specs, ctx, dir);
  return {
    start: (day) => notifier.send(gameDayStartEvent({ ...day, time: ctx.clock.now() })),
    decision: (day) => notifier.send(gameDayDecisionEvent({ ...day, time: ctx.clock.now() })),
    verdict: (day) => notifier.send(gameDayVerdictEvent({ ...day, time: ctx.clock.now() })),
    close,
  };
}
