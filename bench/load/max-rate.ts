/**
 * The highest open-model rate an engine holds on one core: double the rate while it holds, then
 * bisect between the last rate that held and the first that did not. A failed probe is retried
 * once (a 2-CPU machine has noisy seconds); the rate fails only when both fail.
 */
import { holdsRate, runProbe, type ProbeOptions, type ProbeResult } from './probe.js';

/** The search's outcome. */
export interface MaxRateResult {
  /** Engine name. */
  engine: string;
  /** Highest rate that held, req/s (0 when even the first failed). */
  maxRate: number;
  /** The probe at `maxRate`. */
  atMax?: ProbeResult;
  /** Every probe, in order. */
  probes: ProbeResult[];
}

/** Options: a probe's, without the rate, plus the search bounds. */
export interface MaxRateOptions extends Omit<ProbeOptions, 'rate'> {
  /** First rate tried. @default 1000 */
  startRate?: number;
  /** Never above. @default 64000 */
  ceiling?: number;
  /** Bisection stops when the bracket is narrower than this share of the low end. @default 0.05 */
  precision?: number;
  /** Progress. */
  log(message: string): void;
}

/** Searches the highest rate that {@link holdsRate}. */
export async function findMaxRate(o: MaxRateOptions): Promise<MaxRateResult> {
  const probes: ProbeResult[] = [];
  const attempt = async (rate: number): Promise<ProbeResult | undefined> => {
    for (let tries = 0; tries < 2; tries++) {
      const p = await runProbe({ ...o, rate });
      probes.push(p);
      const held = holdsRate(p);
      o.log(`  ${o.engine} @ ${rate} req/s: ${(p.schedule.shareOver1Ms * 100).toFixed(2)}% > 1 ms behind, p99 ${p.schedule.behindP99Ms.toFixed(2)} ms, ${p.completed} done, ${p.schedule.connections} conns → ${held ? 'holds' : 'misses'}`);
      if (held) return p;
    }
    return undefined;
  };
  let low = 0;
  let atMax: ProbeResult | undefined;
  let high = o.ceiling ?? 64_000;
  for (let rate = o.startRate ?? 1000; rate <= (o.ceiling ?? 64_000); rate *= 2) {
    const p = await attempt(rate);
    if (!p) {
      high = rate;
      break;
    }
    [low, atMax] = [rate, p];
  }
  while (high - low > (o.precision ?? 0.05) * Math.max(low, 1) && low > 0) {
    const mid = Math.round((low + high) / 2 / 50) * 50;
    if (mid <= low || mid >= high) break;
    const p = await attempt(mid);
    if (p) [low, atMax] = [mid, p];
    else high = mid;
  }
  return { engine: o.engine, maxRate: low, ...(atMax ? { atMax } : {}), probes };
}
