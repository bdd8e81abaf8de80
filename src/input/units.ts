/**
 * Parsers for the unit-bearing strings the experiment file uses: Go/Istio-style durations
 * ("500ms", "1.5s", "1m30s") and percentages ("1%", "0.5%").
 */

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration as written in Istio and Go: one or more `<number><unit>` parts, units ms, s, m, h. */
export const DURATION_PATTERN = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;

/**
 * The longest wait a Node timer holds: 2^31 − 1 ms (about 24.8 days). `setTimeout` with more
 * prints TimeoutOverflowWarning and fires after 1 ms, so no duration mesh-exp sleeps may exceed it.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Parses "1m30s" → 90000 (milliseconds). Returns undefined when the text is not a duration. Very
 * long numbers give very large (or infinite) results: callers bound them (see MAX_TIMER_MS).
 */
export function parseDuration(text: string): number | undefined {
  if (!DURATION_PATTERN.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(m[1]) * (DURATION_UNITS[m[2]!] ?? 0);
  }
  return total;
}

/** Parses a duration a timer will wait for: like {@link parseDuration}, but undefined past MAX_TIMER_MS. */
export function parseTimerDuration(text: string): number | undefined {
  const ms = parseDuration(text);
  return ms !== undefined && ms <= MAX_TIMER_MS ? ms : undefined;
}

/** Formats milliseconds compactly for humans: 1500 → "1.5s", 90000 → "1m30s", 12 → "12ms". */
export function formatDuration(ms: number): string {
  // Total over every number: Infinity or NaN (a value refused elsewhere) must not recurse forever.
  if (!Number.isFinite(ms) || ms < 0) return `${ms}ms`;
  if (ms < 1000) return `${Number(ms.toFixed(3))}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(3))}s`;
  const m = Math.floor(ms / 60_000);
  const rest = ms - m * 60_000;
  return rest === 0 ? `${m}m` : `${m}m${formatDuration(rest)}`;
}

/** A percentage written with a % sign, 0 to 100, e.g. "1%", "0.25%". */
export const PERCENT_PATTERN = /^\d+(?:\.\d+)?%$/;

/** Parses "1.5%" → 0.015 (a fraction). Returns undefined when the text is not a percentage. */
export function parsePercent(text: string): number | undefined {
  if (!PERCENT_PATTERN.test(text)) return undefined;
  return Number(text.slice(0, -1)) / 100;
}

const AGE_UNITS: Record<string, number> = { ...DURATION_UNITS, d: 86_400_000, w: 7 * 86_400_000 };

/** A span back in time, as `--since` takes it: durations with days and weeks too, e.g. "30d", "12h", "1w2d". */
export const AGE_PATTERN = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;

/** Parses "30d" → 2592000000 (ms); undefined when the text is not a span or is not finite. */
export function parseAge(text: string): number | undefined {
  if (!AGE_PATTERN.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) total += Number(m[1]) * (AGE_UNITS[m[2]!] ?? 0);
  return Number.isFinite(total) ? total : undefined;
}
