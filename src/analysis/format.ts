/**
 * Number formatting shared by check messages, the run summary and the reports, so the same value
 * reads the same everywhere ("412ms", "4.10%").
 */

/** Drops trailing zeros of a fixed-point string: "12.50" → "12.5", "3.00" → "3". */
function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/**
 * Formats a latency in milliseconds with about three significant digits:
 * 0.42 → "0.42ms", 12.34 → "12.3ms", 412.4 → "412ms", 2412 → "2.41s".
 */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return `${ms}ms`;
  const abs = Math.abs(ms);
  if (abs >= 1000) return `${trimZeros((ms / 1000).toFixed(abs >= 10_000 ? 1 : 2))}s`;
  if (abs >= 100) return `${Math.round(ms)}ms`;
  if (abs >= 10) return `${trimZeros(ms.toFixed(1))}ms`;
  return `${trimZeros(ms.toFixed(2))}ms`;
}

/** Formats a latency in milliseconds with up to three decimals, for when rounding would hide a difference. */
export function formatMsPrecise(ms: number): string {
  return `${trimZeros(ms.toFixed(3))}ms`;
}

/** Formats a fraction as a percentage with two decimals: 0.041 → "4.10%". */
export function formatPercent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}

/** Formats a fraction as a percentage with up to four decimals, for when two decimals would hide a difference. */
export function formatPercentPrecise(fraction: number): string {
  return `${trimZeros((fraction * 100).toFixed(4))}%`;
}

/**
 * Formats `value` and `threshold` with `coarse`, unless that makes two different numbers look
 * equal ("250ms > 250ms"), in which case both use `precise`.
 */
export function formatPair(
  value: number,
  threshold: number,
  coarse: (n: number) => string,
  precise: (n: number) => string,
): [string, string] {
  const v = coarse(value);
  const t = coarse(threshold);
  return v === t && value !== threshold ? [precise(value), precise(threshold)] : [v, t];
}

/** "1 request" / "512 requests": a count with its noun, pluralised by appending "s". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** A signed relative change with one decimal: 0.112 → "+11.2%", −0.01 → "−1.0%"; tiny values get more. */
export function formatSignedPercent(fraction: number): string {
  const pct = fraction * 100;
  const digits = Math.abs(pct) < 0.1 && pct !== 0 ? 3 : 1;
  return `${pct < 0 ? '−' : '+'}${Math.abs(pct).toFixed(digits)}%`;
}

/** A signed difference of two rates in percentage points: 0.051 → "+5.10pp". */
export function formatPoints(fraction: number): string {
  const pts = fraction * 100;
  return `${pts < 0 ? '−' : '+'}${Math.abs(pts).toFixed(2)}pp`;
}

/** A confidence level for people: 0.98 → "98%", 0.975 → "97.5%". */
export function formatConfidence(confidence: number): string {
  return `${Math.round(confidence * 1000) / 10}%`;
}

/** A p-value for people: "p=0.21", "p=0.0031", "p<0.0001". */
export function formatP(p: number): string {
  return p < 0.0001 ? 'p<0.0001' : `p=${Number(p.toPrecision(2))}`;
}

/** "132", "2.31", "1.2e+9": an e-value for people. */
export function formatEValue(e: number): string {
  if (!Number.isFinite(e)) return String(e);
  if (e >= 1e6) return e.toPrecision(3);
  if (e >= 100) return Math.round(e).toLocaleString('en-US');
  return Number(e.toPrecision(3)).toString();
}
