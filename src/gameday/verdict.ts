/**
 * A game day's verdict and exit code from its experiments' outcomes, and each experiment's status
 * from its run's result. Pure: the run and `mesh-exp recover` build the day's result the same way.
 *
 * The verdict: the day passes when at most `maxFailures` experiments did not pass ("allPass": 0);
 * skipped and never-run experiments count as not passed. The exit code: 0 when it passes, 1 when
 * it fails, unless an experiment ended with another code of the table (an error, a failed restore,
 * a busy target, a signal): then the worst of those, by `EXIT_CODE_SEVERITY` (src/errors.ts).
 */
import { EXIT_CODE_SEVERITY, ExitCode, type ExitCodeValue } from '../errors.js';
import type { GameDayExperimentResult, GameDayResult, GameDayStatus } from '../model/gameday-result.js';
import type { RunResult } from '../model/result.js';

/** An experiment's status from its run's outcome. */
export function statusOfRun(run: Pick<RunResult, 'outcome' | 'restored'>): GameDayStatus {
  if (!run.restored) return 'error';
  switch (run.outcome) {
    case 'promoted':
    case 'passed':
      return 'passed';
    case 'rolled-back':
      return 'failed';
    case 'interrupted':
      return 'interrupted';
    case 'error':
      return 'error';
  }
}

/** The day's fields that follow from its experiments. */
export type DayVerdict = Pick<GameDayResult, 'verdict' | 'failures' | 'summary' | 'exitCode'>;

/** The verdict, the failures counted, the summary and the exit code of a day (`stoppedBy`: the signal's code, when one stopped it). */
export function judgeGameDay(experiments: readonly GameDayExperimentResult[], maxFailures: number, stoppedBy?: ExitCodeValue): DayVerdict {
  const failures = experiments.filter((e) => e.status !== 'passed').length;
  const verdict = failures <= maxFailures ? 'pass' : 'fail';
  const codes = new Set(experiments.flatMap((e) => (e.exitCode === undefined ? [] : [e.exitCode])));
  // A signal between two experiments stops the day although no run saw it.
  if (stoppedBy !== undefined) codes.add(stoppedBy);
  const worst = EXIT_CODE_SEVERITY.find((c) => codes.has(c));
  const exitCode = worst ?? (verdict === 'pass' ? ExitCode.OK : ExitCode.SLO_FAILED);
  const count = (s: GameDayStatus) => experiments.filter((e) => e.status === s).length;
  const parts = (['passed', 'failed', 'error', 'interrupted', 'skipped', 'not-run'] as const).filter((s) => count(s) > 0).map((s) => `${count(s)} ${s === 'not-run' ? 'not run' : s}`);
  const rule = maxFailures === 0 ? 'every experiment must pass' : `at most ${maxFailures} may fail`;
  const summary = `${experiments.length - failures} of ${experiments.length} experiment${experiments.length === 1 ? '' : 's'} passed (${parts.join(', ')}); ${rule}.`;
  return { verdict, failures, summary, exitCode };
}
