import { describe, expect, it } from 'vitest';
import { backoffMs, BASE_BACKOFF_MS, MAX_BACKOFF_MS, retryableStatus, retryAfterMs } from './deliver.js';

describe('backoffMs', () => {
  it('doubles per retry within the upper half of its ceiling, and stops growing at the cap', () => {
    expect(backoffMs(1, () => 0)).toBe(BASE_BACKOFF_MS / 2);
    expect(backoffMs(1, () => 0.999999)).toBe(BASE_BACKOFF_MS);
    expect(backoffMs(3, () => 0)).toBe((BASE_BACKOFF_MS * 4) / 2);
    expect(backoffMs(30, () => 0.999999)).toBe(MAX_BACKOFF_MS);
  });
});

describe('retryAfterMs', () => {
  const now = Date.parse('2026-12-07T12:00:00Z');
  it('reads delay-seconds and HTTP-dates, capped, never negative', () => {
    expect(retryAfterMs('2', now)).toBe(2000);
    expect(retryAfterMs(['1', '9'], now)).toBe(1000);
    expect(retryAfterMs('Mon, 07 Dec 2026 12:00:03 GMT', now)).toBe(3000);
    expect(retryAfterMs('Mon, 07 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('86400', now)).toBe(MAX_BACKOFF_MS);
  });

  it('ignores what it cannot read', () => {
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryAfterMs('', now)).toBeUndefined();
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs('-5', now)).toBeUndefined();
  });
});

describe('retryableStatus', () => {
  it('retries 429 and 5xx, never another 4xx', () => {
    expect([429, 500, 502, 503, 504].every(retryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 410, 413].some(retryableStatus)).toBe(false);
  });
});
