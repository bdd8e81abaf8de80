import { describe, expect, it } from 'vitest';
import { historyEntry } from '../../test/support/history-entries.js';
import { experimentNames, filterHistory } from './filter.js';

describe('filterHistory', () => {
  const entries = [historyEntry('b', 30), historyEntry('a', 10), historyEntry('a', 20, { runDir: 'first-20' }), historyEntry('a', 20, { runDir: 'second-20' })];

  it('sorts newest last, keeping file order for equal starts', () => {
    expect(filterHistory(entries, {}).map((e) => e.runDir)).toEqual(['a-10', 'first-20', 'second-20', 'b-30']);
  });

  it('keeps one experiment, and runs started at or after `since`', () => {
    expect(filterHistory(entries, { experiment: 'a' }).map((e) => e.startedAt)).toEqual([10, 20, 20]);
    expect(filterHistory(entries, { since: 20 }).map((e) => e.runDir)).toEqual(['first-20', 'second-20', 'b-30']);
    expect(filterHistory(entries, { experiment: 'c' })).toEqual([]);
  });

  it('lists experiments in order of first appearance', () => {
    expect(experimentNames(filterHistory(entries, {}))).toEqual(['a', 'b']);
  });
});
