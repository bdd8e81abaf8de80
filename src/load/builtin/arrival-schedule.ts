/**
 * The open-model arrival process: request i is due at `i / rate` seconds after start (with a
 * ramping profile, at Λ⁻¹(i): `rate-profile.ts`), whatever happened to earlier requests. When the loop wakes up late it fires every request that is due
 * (catch-up), so a stalled event loop delays sends but never removes them from the schedule.
 */
import type { Clock } from '../../context.js';
import { arrivalCountOf, constantProfile, createArrivalTimes } from '../rate-profile.js';
import type { RateProfile } from '../types.js';

/** Options of {@link createArrivalSchedule}. */
export interface ArrivalScheduleOptions {
  /** Arrivals per second (> 0); ignored when `profile` is given. */
  rate: number;
  /** A ramping arrival rate (`load.stages`). @default the constant `rate` */
  profile?: RateProfile;
  /** Arrivals happen at offsets in `[0, durationMs)`. */
  durationMs: number;
  /** Monotonic time source; `clock.monotonic()` at `start()` is offset 0. */
  clock: Clock;
  /** Called once per arrival, in order; `dueOffsetMs` is its intended time after start. */
  onDue(index: number, dueOffsetMs: number): void;
  /** Called once after the last arrival fired (not after `stop()`). */
  onDone(): void;
  /**
   * Waits shorter than this are made by yielding to I/O (`setImmediate`) instead of sleeping
   * (`setTimeout`, whose granularity is 1 ms): larger is more punctual, smaller costs less CPU.
   * @default 0.25
   */
  yieldBelowMs?: number;
}

/** A running schedule. */
export interface ArrivalSchedule {
  /** Starts the schedule; arrival 0 fires synchronously. */
  start(): void;
  /** Stops firing; `onDone` is not called. */
  stop(): void;
  /** Arrivals fired so far. */
  fired(): number;
  /** Arrivals the whole schedule holds: `ceil(Λ(durationMs))`, e.g. `ceil(durationMs * rate / 1000)`. */
  readonly total: number;
  /** `clock.monotonic()` at start (NaN before). */
  startedAt(): number;
}

/** Number of arrivals `i` with `i / rate < durationMs / 1000`. */
export function arrivalCount(rate: number, durationMs: number): number {
  return arrivalCountOf(constantProfile(rate), durationMs);
}

/** Creates a schedule (not started). */
export function createArrivalSchedule(options: ArrivalScheduleOptions): ArrivalSchedule {
  const { clock, onDue, onDone } = options;
  const profile = options.profile ?? constantProfile(options.rate);
  const total = arrivalCountOf(profile, options.durationMs);
  const times = createArrivalTimes(profile);
  // Intended offset of arrival `next` (the cursor only moves forward, O(1) per arrival).
  let nextAt = times.next();
  const yieldBelowMs = options.yieldBelowMs ?? 0.25;
  let t0 = Number.NaN;
  let next = 0;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let immediate: ReturnType<typeof setImmediate> | undefined;

  function tick(): void {
    timer = undefined;
    immediate = undefined;
    if (stopped) return;
    const elapsed = clock.monotonic() - t0;
    // Every arrival due by now fires now, in order (catch-up).
    while (next < total && nextAt <= elapsed && !stopped) {
      const i = next++;
      const at = nextAt;
      nextAt = times.next();
      onDue(i, at);
    }
    if (stopped) return;
    if (next >= total) {
      stopped = true;
      onDone();
      return;
    }
    const wait = nextAt - (clock.monotonic() - t0);
    // Sleeping costs no CPU but wakes up to ~1 ms late (the lateness is part of the measured
    // latency, never hidden); yielding is punctual but spins. Rates above ~4000/s (gaps under
    // 0.25 ms) therefore spin, which is what it takes to send them on time anyway.
    if (wait > yieldBelowMs) timer = setTimeout(tick, Math.max(1, Math.ceil(wait)));
    else immediate = setImmediate(tick);
  }

  return {
    start() {
      t0 = clock.monotonic();
      if (total === 0) {
        stopped = true;
        onDone();
        return;
      }
      tick();
    },
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      if (immediate !== undefined) clearImmediate(immediate);
      timer = undefined;
      immediate = undefined;
    },
    fired: () => next,
    total,
    startedAt: () => t0,
  };
}
