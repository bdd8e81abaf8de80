/**
 * What k6's exit code means for a run (k6's `errext/exitcodes`, as of v2.2.0; numbers checked
 * against k6's source): 0 and 99 are measurements, everything else is an error of the load.
 */

/** k6's exit codes by name (`errext/exitcodes`). */
export const K6_EXIT = {
  OK: 0,
  CloudTestRunFailed: 97,
  CloudFailedToGetProgress: 98,
  ThresholdsHaveFailed: 99,
  SetupTimeout: 100,
  TeardownTimeout: 101,
  GenericTimeout: 102,
  ScriptStoppedFromRESTAPI: 103,
  InvalidConfig: 104,
  ExternalAbort: 105,
  CannotStartRESTAPI: 106,
  ScriptException: 107,
  ScriptAborted: 108,
  GoPanic: 109,
} as const;

/** What the step makes of k6's exit. */
export type K6ExitMeaning =
  /** The load ran; `note` (exit 99) is recorded in the step's events, and mesh-exp's SLOs judge. */
  | { kind: 'measured'; note?: string }
  /** The load failed: a RuntimeError quoting k6's stderr, and the mesh is restored. */
  | { kind: 'error'; reason: string };

const WHY: Record<number, string> = {
  [K6_EXIT.SetupTimeout]: 'the script\'s setup() timed out',
  [K6_EXIT.TeardownTimeout]: 'the script\'s teardown() timed out',
  [K6_EXIT.GenericTimeout]: 'a k6 timeout',
  [K6_EXIT.ScriptStoppedFromRESTAPI]: 'stopped through k6\'s REST API',
  [K6_EXIT.InvalidConfig]: 'invalid k6 configuration (options, flags or environment)',
  [K6_EXIT.ExternalAbort]: 'aborted by a signal mesh-exp did not send',
  [K6_EXIT.CannotStartRESTAPI]: 'k6 could not start its REST API',
  [K6_EXIT.ScriptException]: 'the script threw an exception',
  [K6_EXIT.ScriptAborted]: 'the script called test.abort()',
  [K6_EXIT.GoPanic]: 'k6 crashed (Go panic)',
};

/** Maps a finished k6's exit code (null: killed by `signal`). */
export function k6ExitMeaning(code: number | null, signal?: string | null): K6ExitMeaning {
  if (code === K6_EXIT.OK) return { kind: 'measured' };
  if (code === K6_EXIT.ThresholdsHaveFailed) {
    return { kind: 'measured', note: 'k6 reports thresholds crossed (exit 99); the measurement stands and mesh-exp\'s SLOs judge it' };
  }
  if (code === null) return { kind: 'error', reason: `k6 was killed by ${signal ?? 'a signal'}` };
  const why = WHY[code];
  return { kind: 'error', reason: `k6 exited with code ${code}${why ? ` (${why})` : ''}` };
}
