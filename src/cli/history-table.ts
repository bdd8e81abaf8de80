/**
 * The `history` table: one row per run, columns padded to their widest cell (colour codes are
 * added after padding, so they never count towards a width).
 */
import type { Context } from '../context.js';
import { formatMs, formatP, formatPercent, formatPoints, formatSignedPercent } from '../analysis/format.js';
import type { HistoryEntry } from '../history/entry-schema.js';
import type { RegressionCheck } from '../history/regression.js';
import { formatSpan } from '../report/present.js';
import { paint } from './style.js';

type Tone = 'red' | 'green' | 'yellow' | undefined;

interface Cell {
  text: string;
  tone?: Tone;
}

const TONES: Record<HistoryEntry['outcome'], Tone> = { promoted: 'green', passed: 'green', 'rolled-back': 'red', error: 'red', interrupted: 'yellow' };

/** "2026-12-07 12:01" (UTC). */
function started(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/** "2/3": checks whose verdict in the last step judged was a pass, of all; red when any failed in some step. */
function checksCell(e: HistoryEntry): Cell {
  if (e.checks.length === 0) return { text: '—' };
  const passed = e.checks.filter((c) => c.verdict === 'pass').length;
  return { text: `${passed}/${e.checks.length}`, tone: e.checks.some((c) => c.failedSteps > 0) ? 'red' : undefined };
}

/** The regression column: what regressed, else ok / no data / "first run". */
export function regressionCell(check: RegressionCheck | undefined): Cell {
  if (!check) return { text: 'first run' };
  const parts: string[] = [];
  if (check.latency.verdict === 'regression') parts.push(`latency ${formatSignedPercent(check.latency.change!)} (${formatP(check.latency.p!)})`);
  if (check.errorRate.verdict === 'regression') parts.push(`errors ${formatPoints(check.errorRate.change!)}`);
  if (parts.length) return { text: `REGRESSION ${parts.join(', ')}`, tone: 'red' };
  if (check.latency.verdict === 'no-data' && check.errorRate.verdict === 'no-data') return { text: 'no data', tone: 'yellow' };
  return { text: check.latency.verdict === 'no-data' || check.errorRate.verdict === 'no-data' ? 'ok (partly no data)' : 'ok' };
}

function row(e: HistoryEntry, check: RegressionCheck | undefined): Cell[] {
  const canary = e.lastStep?.canary;
  return [
    { text: started(e.startedAt) },
    { text: e.experiment },
    { text: e.gameDay?.name ?? '' },
    { text: `${e.outcome}${e.aa ? ' (A/A)' : ''}${e.partial ? ' (partial)' : ''}`, tone: TONES[e.outcome] },
    checksCell(e),
    { text: canary ? canary.version : '—' },
    { text: canary?.p99 !== null && canary?.p99 !== undefined ? formatMs(canary.p99) : '—' },
    { text: canary?.errorRate !== null && canary?.errorRate !== undefined ? formatPercent(canary.errorRate) : '—' },
    { text: formatSpan(e.durationMs) },
    regressionCell(check),
  ];
}

const HEADER = ['STARTED (UTC)', 'EXPERIMENT', 'GAME DAY', 'OUTCOME', 'CHECKS PASSED', 'CANARY', 'P99', 'ERRORS', 'DURATION', 'REGRESSION'];
const RIGHT = new Set([6, 7, 8]);

/** The table's lines (header first); the game-day column only when a run has one. */
export function historyTable(ctx: Pick<Context, 'color'>, entries: readonly HistoryEntry[], regressions: ReadonlyMap<HistoryEntry, RegressionCheck>): string[] {
  const withGameDay = entries.some((e) => e.gameDay);
  const keep = (_: unknown, i: number) => withGameDay || i !== 2;
  const rows: Cell[][] = [HEADER.map((text) => ({ text })), ...entries.map((e) => row(e, regressions.get(e)))].map((r) => r.filter(keep));
  const right = new Set([...RIGHT].map((i) => (withGameDay ? i : i - 1)));
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!.text].length)));
  return rows.map((r, ri) =>
    r
      .map((c, i) => {
        const pad = ' '.repeat(widths[i]! - [...c.text].length);
        const text = right.has(i) ? pad + c.text : i === r.length - 1 ? c.text : c.text + pad;
        const toned = c.tone ? paint(ctx, c.tone, text) : text;
        return ri === 0 ? paint(ctx, 'bold', toned) : toned;
      })
      .join('  '),
  );
}
