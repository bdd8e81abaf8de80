import { describe, expect, it } from 'vitest';
import { createDiagnostics } from './diagnostics.js';
import { compileFault, decideFault } from './fault.js';
import { createSeededRandom } from '../../seeded-random.js';

describe('compileFault', () => {
  it('reads fixedDelay, float percentage.value and httpStatus', () => {
    const d = createDiagnostics();
    const f = compileFault({ delay: { fixedDelay: '7s', percentage: { value: 100 } }, abort: { httpStatus: 503, percentage: { value: 12.5 } } }, 'f', d);
    expect(f).toEqual({ delayMs: 7000, delayFraction: 1, abortStatus: 503, abortFraction: 0.125 });
    expect(d.errors).toEqual([]);
  });

  it('refuses a fixedDelay no timer can hold (over 24.8 days) instead of firing it at once', () => {
    const d = createDiagnostics();
    compileFault({ delay: { fixedDelay: '99999999999999999999h', percentage: { value: 100 } } }, 'f', d);
    expect(d.errors).toMatchObject([{ path: 'f.delay.fixedDelay', message: 'invalid duration "99999999999999999999h"' }]);
  });

  it('accepts the deprecated integer percent', () => {
    expect(compileFault({ delay: { fixedDelay: '500ms', percent: 20 } }, 'f', createDiagnostics())?.delayFraction).toBe(0.2);
  });

  it('without any percentage Istio injects nothing — and the user is warned', () => {
    const d = createDiagnostics();
    expect(compileFault({ abort: { httpStatus: 500 } }, 'spec.http[0].fault', d)).toBeUndefined();
    expect(d.warnings[0]).toMatchObject({ path: 'spec.http[0].fault.abort.percentage', message: expect.stringMatching(/injects nothing/) });
  });

  it('gRPC and HTTP/2 aborts are warnings, not silently dropped', () => {
    const d = createDiagnostics();
    compileFault({ abort: { grpcStatus: 'UNAVAILABLE', percentage: { value: 100 } } }, 'f', d);
    compileFault({ abort: { http2Error: 'REFUSED_STREAM', percentage: { value: 100 } } }, 'g', d);
    expect(d.warnings.map((w) => w.path)).toEqual(['f.abort.grpcStatus', 'g.abort.http2Error']);
  });

  it('reports invalid values with their paths', () => {
    const d = createDiagnostics();
    compileFault({ delay: { fixedDelay: 'soon', percentage: { value: 10 } } }, 'a', d);
    compileFault({ abort: { httpStatus: 99, percentage: { value: 10 } } }, 'b', d);
    compileFault({ abort: { httpStatus: 500, percentage: { value: 120 } } }, 'c', d);
    compileFault({ delay: { percentage: { value: 10 } } }, 'e', d);
    expect(d.errors.map((p) => p.path)).toEqual(['a.delay.fixedDelay', 'b.abort.httpStatus', 'c.abort.percentage.value', 'e.delay']);
  });
});

describe('decideFault', () => {
  it('delay and abort are independent draws at their own rates', () => {
    const f = { delayMs: 10, delayFraction: 0.3, abortStatus: 500, abortFraction: 0.2 };
    const random = createSeededRandom(42);
    const n = 100_000;
    let delayed = 0;
    let aborted = 0;
    let both = 0;
    for (let i = 0; i < n; i++) {
      const d = decideFault(f, random);
      if (d.delayMs) delayed++;
      if (d.abortStatus) aborted++;
      if (d.delayMs && d.abortStatus) both++;
    }
    // 5-sigma binomial bounds with n = 100 000: sd(0.3) = 0.00145, sd(0.2) = 0.00126, sd(0.06) = 0.00075.
    expect(Math.abs(delayed / n - 0.3)).toBeLessThan(0.0073);
    expect(Math.abs(aborted / n - 0.2)).toBeLessThan(0.0064);
    expect(Math.abs(both / n - 0.06)).toBeLessThan(0.0038);
  });

  it('0% never fires and 100% always fires', () => {
    const never = { delayMs: 10, delayFraction: 0, abortStatus: 500, abortFraction: 0 };
    const always = { delayMs: 10, delayFraction: 1, abortStatus: 500, abortFraction: 1 };
    const r = createSeededRandom(3);
    for (let i = 0; i < 1000; i++) {
      expect(decideFault(never, r)).toEqual({ delayMs: 0, abortStatus: 0 });
      expect(decideFault(always, r)).toEqual({ delayMs: 10, abortStatus: 500 });
    }
  });
});
