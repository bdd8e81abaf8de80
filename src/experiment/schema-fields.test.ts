import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, parseDuration } from '../input/units.js';
import { DURATION_BOUNDS, duration, STEP_DURATION, withRange } from './schema-fields.js';

describe('duration bounds', () => {
  it('no maximum exceeds what a Node timer holds, and every minimum is below its maximum', () => {
    for (const b of DURATION_BOUNDS) {
      expect(parseDuration(b.max)!).toBeLessThanOrEqual(MAX_TIMER_MS);
      expect(parseDuration(b.min)!).toBeLessThan(parseDuration(b.max)!);
    }
  });

  it('refuses values outside the bounds, however many digits, and only the regex speaks for non-durations', () => {
    const step = duration('A step.', STEP_DURATION);
    expect(step.parse('24h')).toBe(86_400_000);
    expect(step.parse('100ms')).toBe(100);
    const messages = (text: string) => step.safeParse(text).error?.issues.map((i) => i.message);
    expect(messages('24h1ms')).toEqual(['must be at most 24h']);
    expect(messages('99999999999999999999h')).toEqual(['must be at most 24h']);
    expect(messages(`${'9'.repeat(400)}h`)).toEqual(['must be at most 24h']);
    expect(messages('99ms')).toEqual(['must be at least 100ms']);
    expect(messages('ten seconds')).toEqual(['expected a duration such as "500ms", "10s" or "1m30s"']);
  });

  it('states the range in the description, before @default', () => {
    expect(withRange('How long. @default "10s"', 'From 1s to 2s.')).toBe('How long. From 1s to 2s. @default "10s"');
    expect(withRange('How long.', 'From 1s to 2s.')).toBe('How long. From 1s to 2s.');
    expect(duration('A step. @default "10s"', STEP_DURATION).description).toBe('A step. From 100ms to 24h. @default "10s"');
  });
});
