/**
 * A step's window on counters someone else keeps (the local mesh's metrics and stats): read when
 * the step's load starts and again when it ends, so the difference is the step's own. Mirrored
 * traffic (mirror-side.ts) and the mesh-view SLOs (mesh-view-side.ts) both read the mesh this way.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** The two readings of a window. */
export interface WindowReadings<T> {
  /** Read when the step's load started. */
  before: T;
  /** Read when it ended (after the settle wait). */
  after: T;
}

/** Options of {@link startCounterWindow}. */
export interface CounterWindowOptions<T> {
  /** Takes one reading. */
  read(): Promise<T>;
  /** Waited before the second reading, for work still in flight when the load ends, ms. @default 0 */
  settleMs?: number;
  /** Stops the settle wait. */
  signal: AbortSignal;
}

/** Reads now; `end()` waits `settleMs`, reads again and returns both readings. */
export async function startCounterWindow<T>(o: CounterWindowOptions<T>): Promise<{ end(): Promise<WindowReadings<T>> }> {
  const before = await o.read();
  return {
    async end() {
      if (o.settleMs) await sleep(o.settleMs, undefined, { signal: o.signal });
      return { before, after: await o.read() };
    },
  };
}

/**
 * How much a counter grew between two readings. A counter that went down was reset between them
 * (an attached mesh restarted, a cluster removed and added again; a cluster rebuilt under the same
 * name carries its counters on), so what it counted since the reset is all that is known: `after`,
 * as Prometheus's `increase` treats a reset.
 */
export function counterIncrease(before: number, after: number): number {
  return after >= before ? after - before : after;
}
