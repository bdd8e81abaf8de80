/**
 * The figures of an A/A run (false alarms of SLO checks judged between two halves of the same
 * version), as result.json records them; computed by analysis/aa-summary.ts.
 */

/** One SLO's false alarms over the windows. */
export interface AaCheckFigures {
  /** Check name. */
  name: string;
  /** Windows in which it was judged (pass or fail; no-data excluded). */
  judged: number;
  /** Windows in which it failed. */
  falseAlarms: number;
  /** Windows in which it had no data. */
  noData: number;
}

/** The A/A figures of a run. */
export interface AaFigures {
  /** Windows run. */
  windows: number;
  /** Seed of the A/B assignment. */
  seed: number;
  /** Checks judged over all windows (no-data excluded). */
  judged: number;
  /** Checks that failed. */
  falseAlarms: number;
  /** falseAlarms / judged, or null when nothing was judged. */
  rate: number | null;
  /** Per SLO, in spec order. */
  byCheck: AaCheckFigures[];
}
