/**
 * Latency at a moderate fixed rate (open model), measured with the project's builtin generator
 * (`createBuiltinGenerator()`: constant arrival rate, latency from the intended send time).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoadGenerator, Sample } from '../../src/load/types.js';

/** Loads `createBuiltinGenerator()` from src/load/builtin (dynamically, so a missing file is a clear error). */
export async function loadBuiltinGenerator(repoRoot: string): Promise<LoadGenerator> {
  const file = join(repoRoot, 'src', 'load', 'builtin', 'builtin-generator.ts');
  if (!existsSync(file)) throw new Error(`${file} not found: the fixed-rate latency runs need the builtin generator`);
  const mod = (await import(pathToFileURL(file).href)) as { createBuiltinGenerator?: () => LoadGenerator };
  if (typeof mod.createBuiltinGenerator !== 'function') throw new Error(`${file} does not export createBuiltinGenerator`);
  return mod.createBuiltinGenerator();
}

/** What one fixed-rate run measured. */
export interface FixedRateResult {
  /** Requests scheduled. */
  scheduled: number;
  /** Responses with status 2xx. */
  ok: number;
  /** Everything else: non-2xx, errors, dropped. */
  bad: number;
  /** Median latency from intended send time, ms (responses only). */
  p50Ms: number;
  /** 99th percentile, ms. */
  p99Ms: number;
  /** Count of responses per x-version value. */
  versions: Record<string, number>;
  /** Every response latency, sorted ascending, ms (kept so rounds can be pooled). */
  latencies: number[];
}

/** Options for {@link runFixedRate}. */
export interface FixedRateOptions {
  /** Target URL. */
  url: string;
  /** Host header. */
  host: string;
  /** Requests per second. */
  rate: number;
  /** Duration, ms. */
  durationMs: number;
  /** Aborts the run. */
  signal: AbortSignal;
}

/** Runs the generator once against `url` and summarises the samples. */
export async function runFixedRate(generator: LoadGenerator, o: FixedRateOptions): Promise<FixedRateResult> {
  const latencies: number[] = [];
  const versions: Record<string, number> = {};
  let ok = 0;
  let bad = 0;
  const onSample = (s: Sample) => {
    if (s.status >= 200 && s.status < 300) ok++;
    else bad++;
    if (s.status > 0) latencies.push(s.latencyMs);
    if (s.version !== undefined) versions[s.version] = (versions[s.version] ?? 0) + 1;
  };
  const summary = await generator.run(
    {
      url: `${o.url}/`,
      hostHeader: o.host,
      method: 'GET',
      headers: {},
      rate: o.rate,
      durationMs: o.durationMs,
      timeoutMs: 5000,
      maxInFlight: 512,
      versionHeader: 'x-version',
    },
    onSample,
    o.signal,
  );
  latencies.sort((a, b) => a - b);
  return { scheduled: summary.scheduled, ok, bad, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99), versions, latencies };
}

/** Nearest-rank percentile of sorted values; NaN when empty. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
