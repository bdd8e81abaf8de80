import { describe, expect, it } from 'vitest';
import { createDiagnostics } from './diagnostics.js';
import { type AttemptOutcome, backoffMs, compileRetry, DEFAULT_RETRY, isRetriable } from './retry.js';

const resp = (status: number, grpcStatus?: number): AttemptOutcome => (grpcStatus === undefined ? { kind: 'response', status } : { kind: 'response', status, grpcStatus });

describe('compileRetry', () => {
  it('no retries field → Istio default: 2 retries on connect-failure, refused-stream, unavailable, cancelled, 503', () => {
    const p = compileRetry(undefined, 'r', createDiagnostics());
    expect(p).toBe(DEFAULT_RETRY);
    expect(p!.numRetries).toBe(2);
    expect(isRetriable(p!, resp(503))).toBe(true);
    expect(isRetriable(p!, resp(500))).toBe(false);
    expect(isRetriable(p!, resp(502))).toBe(false);
    expect(isRetriable(p!, { kind: 'connect-failure' })).toBe(true);
    expect(isRetriable(p!, { kind: 'reset' })).toBe(false);
    expect(isRetriable(p!, resp(200, 14))).toBe(true);
    expect(isRetriable(p!, resp(200, 1))).toBe(true);
    expect(isRetriable(p!, resp(200, 13))).toBe(false);
  });

  it('attempts: 0 disables retries', () => {
    expect(compileRetry({ attempts: 0 }, 'r', createDiagnostics())).toBeNull();
  });

  it('attempts without retryOn keeps the default conditions', () => {
    const p = compileRetry({ attempts: 5, perTryTimeout: '2s' }, 'r', createDiagnostics())!;
    expect(p.numRetries).toBe(5);
    expect(p.perTryTimeoutMs).toBe(2000);
    expect(isRetriable(p, resp(503))).toBe(true);
  });

  it('retryOn replaces the conditions; integers are retriable status codes', () => {
    const d = createDiagnostics();
    const p = compileRetry({ attempts: 3, retryOn: '5xx' }, 'r', d)!;
    expect([500, 502, 503, 504, 599].every((s) => isRetriable(p, resp(s)))).toBe(true);
    expect(isRetriable(p, resp(409))).toBe(false);
    expect(isRetriable(p, { kind: 'reset' })).toBe(true);
    expect(isRetriable(p, { kind: 'connect-failure' })).toBe(true);
    expect(isRetriable(p, { kind: 'per-try-timeout' })).toBe(true);
    const gw = compileRetry({ attempts: 3, retryOn: 'gateway-error' }, 'r', d)!;
    expect([502, 503, 504].every((s) => isRetriable(gw, resp(s)))).toBe(true);
    expect(isRetriable(gw, resp(500))).toBe(false);
    const codes = compileRetry({ attempts: 1, retryOn: 'retriable-4xx,429, 500' }, 'r', d)!;
    expect([409, 429, 500].map((s) => isRetriable(codes, resp(s)))).toEqual([true, true, true]);
    expect(isRetriable(codes, resp(503))).toBe(false);
    const cf = compileRetry({ attempts: 1, retryOn: 'connect-failure' }, 'r', d)!;
    expect(isRetriable(cf, { kind: 'connect-failure' })).toBe(true);
    expect(isRetriable(cf, { kind: 'reset' })).toBe(false);
    expect(isRetriable(cf, { kind: 'per-try-timeout' })).toBe(false);
    expect(d.errors).toEqual([]);
  });

  it('unknown retryOn values and bad durations are errors; unusable ones are warnings', () => {
    const d = createDiagnostics();
    compileRetry({ attempts: 2, retryOn: '5xx,sometimes' }, 'spec.http[0].retries', d);
    compileRetry({ attempts: 2, perTryTimeout: 'fast' }, 'x', d);
    compileRetry({ attempts: -1 }, 'y', d);
    compileRetry({ attempts: 2, retryOn: 'refused-stream' }, 'z', d);
    compileRetry({ attempts: 2, retryRemoteLocalities: true }, 'w', d);
    expect(d.errors.map((e) => e.path)).toEqual(['spec.http[0].retries.retryOn', 'x.perTryTimeout', 'y.attempts']);
    expect(d.warnings.map((e) => e.path)).toEqual(['z.retryOn', 'w.retryRemoteLocalities']);
  });
});

describe('backoffMs', () => {
  it("is Envoy's full-jitter exponential backoff: [0, base·(2^n−1)) capped at 10·base", () => {
    const p = DEFAULT_RETRY;
    expect(backoffMs(p, 1, () => 0)).toBe(0);
    expect(backoffMs(p, 1, () => 0.999)).toBe(24);
    expect(backoffMs(p, 2, () => 0.999)).toBe(74);
    expect(backoffMs(p, 3, () => 0.999)).toBe(174);
    expect(backoffMs(p, 10, () => 0.999)).toBe(249);
  });
});
