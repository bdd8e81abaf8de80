import { describe, expect, it } from 'vitest';
import { findRegressions } from '../history/regression.js';
import { historyEntry, seededRun } from '../../test/support/history-entries.js';
import { historyTable, regressionCell } from './history-table.js';

describe('the history table', () => {
  const entries = [seededRun(1, 0), { ...seededRun(2, 86_400_000, { scale: 1.3 }), outcome: 'rolled-back' as const }, historyEntry('longer-experiment-name', 2 * 86_400_000, { partial: true, outcome: 'interrupted' })];
  const lines = historyTable({ color: false }, entries, findRegressions(entries));

  it('aligns every column (right-aligned figures) and leaves out the game-day column when no run has one', () => {
    expect(lines[0]).toMatch(/^STARTED \(UTC\)\s+EXPERIMENT\s+OUTCOME/);
    expect(lines[0]).not.toContain('GAME DAY');
    const at = (word: string) => lines[0]!.indexOf(word);
    expect(lines[1]!.slice(at('OUTCOME')).startsWith('promoted ')).toBe(true);
    expect(lines[3]!.slice(at('OUTCOME')).startsWith('interrupted (partial)')).toBe(true);
    const durationEnd = at('DURATION') + 'DURATION'.length;
    for (const l of lines.slice(1)) expect(l.slice(durationEnd - 5, durationEnd)).toBe('1m00s');
    expect(lines[1]).toMatch(/first run$/);
    expect(lines[2]).toMatch(/REGRESSION latency \+\d+\.\d% \(p<0\.0001\)$/);
  });

  it('adds the game-day column when a run has one, and colours only when allowed', () => {
    const withDay = [historyEntry('x', 0, { gameDay: { name: 'Q4 drill', dir: 'gd' } })];
    expect(historyTable({ color: false }, withDay, new Map())[1]).toContain('Q4 drill');
    const painted = historyTable({ color: true }, withDay, new Map())[0]!;
    expect(painted).not.toBe(historyTable({ color: false }, withDay, new Map())[0]);
  });

  it('says "no data" when neither test could run', () => {
    expect(regressionCell({ previousRunDir: 'x', latency: { verdict: 'no-data' }, errorRate: { verdict: 'no-data' }, regressed: false }).text).toBe('no data');
  });
});
