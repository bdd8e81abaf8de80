import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../context.js';
import { arrivalsBy } from '../rate-profile.js';
import type { RateProfile } from '../types.js';
import { arrivalCount, createArrivalSchedule } from './arrival-schedule.js';

// Fake timers make the schedule deterministic: time only moves when the test says so, and a
// "stalled event loop" is simulated by moving the clock without letting timers run.
let skew = 0;
const clock: Clock = { now: () => 1_700_000_000_000 + Date.now(), monotonic: () => Date.now() + skew };

beforeEach(() => {
  skew = 0;
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'Date'], now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

function run(rate: number, durationMs: number, yieldBelowMs?: number, profile?: RateProfile) {
  const fired: { index: number; dueOffsetMs: number; firedAt: number }[] = [];
  let done = 0;
  const schedule = createArrivalSchedule({
    rate,
    durationMs,
    clock,
    onDue: (index, dueOffsetMs) => fired.push({ index, dueOffsetMs, firedAt: clock.monotonic() - schedule.startedAt() }),
    onDone: () => done++,
    ...(yieldBelowMs === undefined ? {} : { yieldBelowMs }),
    ...(profile ? { profile } : {}),
  });
  schedule.start();
  return { schedule, fired, done: () => done };
}

describe('arrivalCount', () => {
  it.each([
    [200, 2000, 400],
    [2000, 300, 600],
    [3, 1000, 3],
    [0.5, 3000, 2],
    [100, 0, 0],
    [7, 999, 7],
  ])('rate %d over %d ms gives %d arrivals', (rate, durationMs, expected) => {
    expect(arrivalCount(rate, durationMs)).toBe(expected);
  });
});

describe('createArrivalSchedule', () => {
  it('fires request i at exactly i / rate when the loop is punctual, then calls onDone once', () => {
    const { fired, done, schedule } = run(100, 1000);
    expect(fired).toHaveLength(1); // arrival 0 fires on start
    vi.advanceTimersByTime(2000);
    expect(fired.map((f) => f.index)).toEqual([...Array(100).keys()]);
    for (const f of fired) {
      expect(f.dueOffsetMs).toBeCloseTo(f.index * 10, 9);
      expect(f.firedAt).toBeCloseTo(f.dueOffsetMs, 9);
    }
    expect(done()).toBe(1);
    expect(schedule.fired()).toBe(100);
  });

  it('follows a ramping profile: arrival k at Λ⁻¹(k), exactly ceil(Λ(D)) of them, the last rate held', () => {
    // 0 → 100/s over 1 s (Λ = 50 t²), then 100/s held: 50 + 100 arrivals in 2 s.
    const profile: RateProfile = { startRate: 0, stages: [{ rate: 100, durationMs: 1000 }] };
    const { fired, done } = run(0, 2000, undefined, profile);
    vi.advanceTimersByTime(3000);
    expect(fired).toHaveLength(150);
    expect(done()).toBe(1);
    for (const f of fired) {
      expect(arrivalsBy(profile, f.dueOffsetMs)).toBeCloseTo(f.index, 6);
      // Sleeping wakes up on whole milliseconds: never early, at most 1 ms late.
      expect(f.firedAt - f.dueOffsetMs).toBeGreaterThanOrEqual(0);
      expect(f.firedAt - f.dueOffsetMs).toBeLessThanOrEqual(1);
    }
    expect(fired.filter((f) => f.dueOffsetMs < 500)).toHaveLength(13); // Λ(0.5 s) = 12.5
  });

  it('catches up after a stall: every due arrival fires at once, none is skipped or repeated', () => {
    const { fired, done } = run(100, 1000);
    vi.advanceTimersByTime(100);
    expect(fired).toHaveLength(11); // 0, 10, ..., 100 ms
    // The event loop is blocked for 300 ms: the clock moves, no timer runs.
    skew = 300;
    vi.advanceTimersByTime(10);
    // At 410 ms every arrival due by then (i * 10 <= 410) has fired, late ones all at once.
    expect(fired).toHaveLength(42);
    const late = fired.slice(11);
    expect(late.every((f) => f.firedAt === 410)).toBe(true);
    expect(late[0]!.dueOffsetMs).toBeCloseTo(110, 9); // the intended time is kept, not the send time
    vi.advanceTimersByTime(1000);
    expect(fired.map((f) => f.index)).toEqual([...Array(100).keys()]);
    expect(done()).toBe(1);
  });

  it('sends in 1 ms batches without yielding when gaps are below yieldBelowMs = 0', () => {
    const { fired, done } = run(4000, 50, 0);
    vi.advanceTimersByTime(100);
    expect(fired.map((f) => f.index)).toEqual([...Array(200).keys()]);
    for (const f of fired) {
      expect(f.firedAt).toBeGreaterThanOrEqual(f.dueOffsetMs);
      expect(f.firedAt - f.dueOffsetMs).toBeLessThanOrEqual(1);
    }
    expect(done()).toBe(1);
  });

  it('stops firing after stop() and never calls onDone', () => {
    const { fired, done, schedule } = run(100, 1000);
    vi.advanceTimersByTime(55);
    schedule.stop();
    vi.advanceTimersByTime(2000);
    expect(fired).toHaveLength(6);
    expect(done()).toBe(0);
  });

  it('calls onDone at once for an empty schedule', () => {
    const { fired, done } = run(100, 0);
    expect(fired).toHaveLength(0);
    expect(done()).toBe(1);
  });
});
