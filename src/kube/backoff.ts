/**
 * Capped exponential backoff with jitter, shared by everything that waits for the API server to
 * come back: {@link withKubeRetry} (one-shot requests) and the local mesh's reflectors and config
 * applies (`src/mesh/kube/`). Pure: the caller brings the random source and does the waiting.
 */

/** How far a wait strays from its exponential base: the wait is `base × (from + span × random())`. */
export interface Jitter {
  /** Smallest factor. */
  from: number;
  /** Width of the factor's range (`from + span` is the largest, never reached). */
  span: number;
}

/** Between half and all of the base ("equal jitter"): many clients restarting together spread out. */
export const HALF_JITTER: Jitter = { from: 0.5, span: 0.5 };

/** Within ±20% of the base: keeps the schedule readable in logs while still spreading clients. */
export const TWENTY_PERCENT_JITTER: Jitter = { from: 0.8, span: 0.4 };

/** Options for {@link backoffMs}. */
export interface BackoffOptions {
  /** Base of the first wait (attempt 0), ms; doubles with each attempt. */
  initialMs: number;
  /** Largest base, ms; the jitter applies after the cap. */
  maxMs: number;
  /** Spread of each wait around its base. */
  jitter: Jitter;
  /** Random source in [0,1). */
  random: () => number;
}

/**
 * The wait after `attempt` failures in a row (0 for the first): `min(maxMs, initialMs × 2^attempt)`
 * times the jitter factor. Not rounded.
 */
export function backoffMs(attempt: number, o: BackoffOptions): number {
  // The exponent is capped so that a long outage cannot overflow to Infinity (and 0 × Infinity to NaN).
  const base = Math.min(o.maxMs, o.initialMs * 2 ** Math.min(attempt, 30));
  return base * (o.jitter.from + o.jitter.span * o.random());
}
