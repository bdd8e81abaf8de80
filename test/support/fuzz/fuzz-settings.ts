/**
 * The fuzz suite's knobs, read from the environment once: the seed (`MESH_EXP_FUZZ_SEED`), the
 * number of generated files (`MESH_EXP_FUZZ_RUNS`), and the bounds every case is held to.
 */

/** The bounds a case must stay within, and why each is what it is. */
export const FUZZ_BOUNDS = {
  /**
   * One `validate` of one file, in-process. A valid experiment validates in ~10 ms; the largest
   * generated file (1 MiB, the read limit) in well under a second on a quiet machine. This is a
   * hang detector, not a speed test (speed is measured in bench/input-scale): a 2-CPU machine with
   * other work on it (load average 8) took 2.6–3.0 s for a legal case, so 3 s flagged a case that
   * passed when replayed. 15 s still catches anything stuck, or super-linear on a 1 MiB file.
   */
  validateMs: 15_000,
  /**
   * How long `run` may take to end once its context was aborted (Ctrl-C): load stops at once and
   * the restore of the in-process mesh takes milliseconds, so 5 s means "it did not stop".
   */
  runAfterAbortMs: 5_000,
  /** The latest the context's signal is aborted after `run` starts (each case draws 0 to this). */
  maxAbortDelayMs: 400,
  /**
   * Peak V8 heap in use while a case runs (sampled; a case starts after a full collection when more
   * than 192 MB is in use, so it is not charged with earlier garbage). The CLI in a vitest worker uses ~100-150 MB; a 1 MiB file
   * parsed into a YAML document with node ranges costs some tens of MB more. 512 MB is ~3x that:
   * reaching it means something grows with the input far beyond linear (an alias bomb expanded,
   * a quadratic copy), while staying clear of the worker's default old-space limit (~2-4 GB).
   */
  heapBytes: 512 * 1024 * 1024,
  /** The worker's peak resident set (kernel getrusage, misses nothing that sampling could). */
  rssBytes: 1536 * 1024 * 1024,
  /** How long leaked-looking handles (sockets, servers, timers) get to close after a case. */
  settleMs: 2_000,
} as const;

/** What the suite runs with. */
export interface FuzzSettings {
  /** The seed every property starts from (fast-check's `seed`). */
  seed: number;
  /** Files generated in all, across the suite's properties. */
  runs: number;
  /** Where the seed came from, for the tally line. */
  seedFrom: 'MESH_EXP_FUZZ_SEED' | 'date';
}

/** The default seed: the UTC date as YYYYMMDD, so a day's CI runs agree and each day explores anew. */
export function dateSeed(now: Date = new Date()): number {
  return now.getUTCFullYear() * 10_000 + (now.getUTCMonth() + 1) * 100 + now.getUTCDate();
}

function wholeNumber(name: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min) throw new Error(`${name} must be a whole number ≥ ${min}, got "${text}"`);
  return n;
}

/** Reads the settings from `env` (the test passes `process.env`). */
export function fuzzSettings(env: Readonly<Record<string, string | undefined>>, now: Date = new Date()): FuzzSettings {
  const seedText = env['MESH_EXP_FUZZ_SEED'];
  const runsText = env['MESH_EXP_FUZZ_RUNS'];
  return {
    seed: seedText ? wholeNumber('MESH_EXP_FUZZ_SEED', seedText, -(2 ** 31)) : dateSeed(now),
    runs: runsText ? wholeNumber('MESH_EXP_FUZZ_RUNS', runsText, 1) : 1000,
    seedFrom: seedText ? 'MESH_EXP_FUZZ_SEED' : 'date',
  };
}

/**
 * Splits `total` runs over properties by weight, each getting at least one; the parts add up to
 * `total` (or to the number of properties when `total` is smaller).
 */
export function splitRuns(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((w) => Math.max(1, Math.floor((total * w) / sum)));
  let rest = total - parts.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % parts.length, rest--) parts[i]! += 1;
  return parts;
}
