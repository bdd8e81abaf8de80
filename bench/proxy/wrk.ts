/**
 * Closed-model saturation runs with wrk (Debian's wrk 4.1: no fixed-rate mode) and a parser for
 * its text output.
 */
import { runToEnd, type ProcessGroup } from './process-group.js';

/** What one wrk run measured. */
export interface WrkResult {
  /** Requests per second over the run. */
  rps: number;
  /** Requests completed. */
  requests: number;
  /** Latency percentiles, ms (closed model: latency at saturation, not added latency). */
  p50Ms: number;
  /** 99th percentile, ms. */
  p99Ms: number;
  /** Responses that were not 2xx/3xx. */
  non2xx: number;
  /** Connect + read + write + timeout socket errors. */
  socketErrors: number;
}

/** Options for {@link runWrk}. */
export interface WrkOptions {
  /** Process group. */
  group: ProcessGroup;
  /** wrk binary. */
  wrkPath: string;
  /** argv prefix pinning wrk to the load CPU. */
  pinPrefix: string[];
  /** Target URL. */
  url: string;
  /** Host header. */
  host: string;
  /** Seconds. */
  durationS: number;
  /** Connections. @default 64 */
  connections?: number;
  /** Threads. @default 1 */
  threads?: number;
}

/** Runs wrk once and parses its report. */
export async function runWrk(o: WrkOptions): Promise<WrkResult> {
  const argv = [
    ...o.pinPrefix,
    o.wrkPath,
    `-t${o.threads ?? 1}`,
    `-c${o.connections ?? 64}`,
    `-d${o.durationS}s`,
    '--latency',
    '-H',
    `Host: ${o.host}`,
    `${o.url}/`,
  ];
  return parseWrkOutput(await runToEnd(o.group, argv, { name: 'wrk' }));
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function toMs(value: string, unit: string): number {
  const f = UNIT_MS[unit];
  if (f === undefined) throw new Error(`unknown wrk time unit "${unit}"`);
  return Number(value) * f;
}

/** Parses wrk's `--latency` text report. */
export function parseWrkOutput(text: string): WrkResult {
  const num = (re: RegExp, what: string): RegExpMatchArray => {
    const m = text.match(re);
    if (!m) throw new Error(`could not find ${what} in wrk output:\n${text}`);
    return m;
  };
  const pct = (p: number) => {
    const m = num(new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm'), `the ${p}% latency`);
    return toMs(m[1]!, m[2]!);
  };
  const sock = text.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  return {
    rps: Number(num(/^Requests\/sec:\s+([\d.]+)/m, 'Requests/sec')[1]),
    requests: Number(num(/^\s*(\d+) requests in /m, 'the request count')[1]),
    p50Ms: pct(50),
    p99Ms: pct(99),
    non2xx: Number(text.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0),
    socketErrors: sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
  };
}
