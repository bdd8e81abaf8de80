/**
 * The suite's tally: how many files went through validate and run, how they ended, and the worst
 * of what was measured. Printed as one line whatever the outcome (the README's Reliability table is
 * filled from it).
 */

/** Counters over every case a property ran (shrinking included). */
export interface FuzzTally {
  files: number;
  hangs: number;
  stackTraces: number;
  unhandled: number;
  /** Cases with at least one violation. */
  failed: number;
  /** How often `run` ended with each exit code ("none": it did not end, or was not reached). */
  runCodes: Record<string, number>;
  /** The same for `validate`. */
  validateCodes: Record<string, number>;
  /** The same for `schedule` (printing its objects), when the case has a schedule part. @default {} */
  scheduleCodes: Record<string, number>;
  peakHeapBytes: number;
  slowestValidateMs: number;
  slowestRunMs: number;
}

/** An empty tally. */
export function newTally(): FuzzTally {
  return { files: 0, hangs: 0, stackTraces: 0, unhandled: 0, failed: 0, runCodes: {}, validateCodes: {}, scheduleCodes: {}, peakHeapBytes: 0, slowestValidateMs: 0, slowestRunMs: 0 };
}

/** What one case contributes. */
export interface CaseFigures {
  validateCode?: number;
  runCode?: number;
  /** Set when the case ran `schedule`. */
  scheduleCode?: number | 'none';
  validateMs: number;
  runMs?: number;
  peakHeapBytes: number;
  violations: readonly string[];
}

const bump = (m: Record<string, number>, code: number | undefined) => {
  const k = code === undefined ? 'none' : String(code);
  m[k] = (m[k] ?? 0) + 1;
};

/** Adds one case to `t`. */
export function countCase(t: FuzzTally, c: CaseFigures): void {
  t.files += 1;
  bump(t.validateCodes, c.validateCode);
  if (c.runMs !== undefined) bump(t.runCodes, c.runCode);
  if (c.scheduleCode !== undefined) bump(t.scheduleCodes, c.scheduleCode === 'none' ? undefined : c.scheduleCode);
  t.peakHeapBytes = Math.max(t.peakHeapBytes, c.peakHeapBytes);
  t.slowestValidateMs = Math.max(t.slowestValidateMs, c.validateMs);
  t.slowestRunMs = Math.max(t.slowestRunMs, c.runMs ?? 0);
  if (c.violations.some((v) => v.includes('(hang)'))) t.hangs += 1;
  if (c.violations.some((v) => /stack trace|raw JavaScript error|rejected instead/.test(v))) t.stackTraces += 1;
  if (c.violations.some((v) => /unhandledRejection|uncaughtException/.test(v))) t.unhandled += 1;
  if (c.violations.length > 0) t.failed += 1;
}

/** Sums tallies (one per property) into one. */
export function mergeTallies(ts: readonly FuzzTally[]): FuzzTally {
  const out = newTally();
  for (const t of ts) {
    for (const k of ['files', 'hangs', 'stackTraces', 'unhandled', 'failed'] as const) out[k] += t[k];
    for (const [code, n] of Object.entries(t.runCodes)) out.runCodes[code] = (out.runCodes[code] ?? 0) + n;
    for (const [code, n] of Object.entries(t.validateCodes)) out.validateCodes[code] = (out.validateCodes[code] ?? 0) + n;
    for (const [code, n] of Object.entries(t.scheduleCodes)) out.scheduleCodes[code] = (out.scheduleCodes[code] ?? 0) + n;
    out.peakHeapBytes = Math.max(out.peakHeapBytes, t.peakHeapBytes);
    out.slowestValidateMs = Math.max(out.slowestValidateMs, t.slowestValidateMs);
    out.slowestRunMs = Math.max(out.slowestRunMs, t.slowestRunMs);
  }
  return out;
}

const codes = (m: Record<string, number>) =>
  `{${Object.entries(m)
    .sort(([a], [b]) => (a === 'none' ? 1 : b === 'none' ? -1 : Number(a) - Number(b)))
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ')}}`;

/** The tally line, e.g. `fuzz: 1000 files, validate+run, 0 hangs, 0 stack traces, … seed 20261207`. */
export function formatTally(label: string, t: FuzzTally, seed: number, extra = ''): string {
  const mb = (b: number) => Math.round(b / (1024 * 1024));
  return (
    `${label}: ${t.files} files, validate+run, ${t.hangs} hangs, ${t.stackTraces} stack traces, ${t.unhandled} unhandled rejections, ` +
    `${t.failed} failing, validate exit codes ${codes(t.validateCodes)}, run exit codes ${codes(t.runCodes)}, schedule exit codes ${codes(t.scheduleCodes)}, ` +
    `peak heap ${mb(t.peakHeapBytes)} MB, slowest validate ${Math.round(t.slowestValidateMs)} ms, slowest run ${Math.round(t.slowestRunMs)} ms, seed ${seed}${extra}`
  );
}
