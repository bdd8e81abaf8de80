import { describe, expect, it } from 'vitest';
import { K6_EXIT, k6ExitMeaning } from './k6-exit.js';

describe('k6ExitMeaning', () => {
  it('uses k6 v2.2.0 numbering', () => {
    expect([K6_EXIT.ThresholdsHaveFailed, K6_EXIT.InvalidConfig, K6_EXIT.ExternalAbort, K6_EXIT.ScriptException, K6_EXIT.ScriptAborted]).toEqual([99, 104, 105, 107, 108]);
  });

  it('takes 0 as a measurement and 99 as a measurement with a note', () => {
    expect(k6ExitMeaning(0)).toEqual({ kind: 'measured' });
    const crossed = k6ExitMeaning(99);
    expect(crossed.kind).toBe('measured');
    expect(crossed.kind === 'measured' && crossed.note).toMatch(/thresholds crossed \(exit 99\).*SLOs judge/);
  });

  it.each([
    [105, 'k6 exited with code 105 (aborted by a signal mesh-exp did not send)'],
    [107, 'k6 exited with code 107 (the script threw an exception)'],
    [108, 'k6 exited with code 108 (the script called test.abort())'],
    [104, 'k6 exited with code 104 (invalid k6 configuration (options, flags or environment))'],
    [1, 'k6 exited with code 1'],
  ])('exit %i is an error: %s', (code, reason) => {
    expect(k6ExitMeaning(code)).toEqual({ kind: 'error', reason });
  });

  it('a k6 killed by a signal is an error', () => {
    expect(k6ExitMeaning(null, 'SIGKILL')).toEqual({ kind: 'error', reason: 'k6 was killed by SIGKILL' });
  });
});
