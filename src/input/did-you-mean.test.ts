import { describe, expect, it } from 'vitest';
import { closest, closestAll, didYouMean, editDistance, suggestionHint } from './did-you-mean.js';

describe('editDistance', () => {
  it('counts inserts, deletes and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('counts a swap of adjacent letters as one edit', () => {
    expect(editDistance('stepWieght', 'stepWeight')).toBe(1);
    expect(editDistance('ab', 'ba')).toBe(1);
  });

  it('ignores case', () => {
    expect(editDistance('StepWeight', 'stepweight')).toBe(0);
  });
});

describe('closest', () => {
  const keys = ['steps', 'stepWeight', 'maxWeight', 'interval', 'promote'];

  it('finds the likely typo', () => {
    expect(closest('stepWieght', keys)).toBe('stepWeight');
    expect(closest('intervall', keys)).toBe('interval');
    expect(closest('Promote', keys)).toBe('promote');
  });

  it('gives no guess for far words or words under three letters', () => {
    expect(closest('duration', keys)).toBeUndefined();
    expect(closest('v5', ['v1', 'v2'])).toBeUndefined();
  });

  it('returns every candidate at the best distance, and none when one ties', () => {
    expect(closestAll('p98', ['p50', 'p90', 'p95', 'p99', 'max'])).toEqual(['p90', 'p95', 'p99']);
    expect(closest('p98', ['p50', 'p90', 'p95', 'p99'])).toBeUndefined();
  });

  it('prefers the nearer candidate over an earlier, farther one', () => {
    expect(closestAll('latncy', ['lateness', 'latency'])).toEqual(['latency']);
  });
});

describe('didYouMean / suggestionHint', () => {
  it('formats one or several guesses', () => {
    expect(didYouMean('stepWieght', ['steps', 'stepWeight'])).toBe('did you mean "stepWeight"?');
    expect(didYouMean('p98', ['p90', 'p99'])).toBe('did you mean "p90" or "p99"?');
    expect(didYouMean('p98', ['p90', 'p95', 'p99'])).toBe('did you mean "p90", "p95" or "p99"?');
    expect(didYouMean('zzzzzz', ['p90'])).toBeUndefined();
  });

  it('falls back to the allowed list', () => {
    expect(suggestionHint('zzzzzz', ['a', 'b'], 'allowed fields')).toBe('allowed fields: a, b');
    expect(suggestionHint('zzzzzz', [])).toBeUndefined();
  });
});
