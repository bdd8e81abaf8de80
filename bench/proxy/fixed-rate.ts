/**
 * Latency at a moderate fixed rate (open model), measured with one of the project's generators:
 * vegeta (the default here: a Go process, latency from its actual send, so a stall of the generator
 * does not count as the proxy's) or the builtin one (`createBuiltinGenerator()`: latency from the
 * intended send time, so every pause of the harness's event loop lands in the tail).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoadGenerator, Sample } from '../../src/load/types.js';

/** The generators the latency rounds can use. */
export const LATENCY_GENERATORS = ['vegeta', 'builtin'] as const;
/** One of {@link LATENCY_GENERATORS}. */
export type LatencyGeneratorName = (typeof LATENCY_GENERATORS)[number];

/** A generator with the words the report describes it with. */
export interface LatencyGenerator {
  /** The generator. */
  generator: LoadGenerator;
  /** e.g. "vegeta v12.13.0 (latency from the actual send)". */
  description: string;
}

// Loaded dynamically from src/, so a missing file is a clear error rather than a failed import.
async function factory<T>(repoRoot: string, parts: string[], name: string): Promise<T> {
  const file = join(repoRoot, 'src', 'load', ...parts);
  if (!existsSync(file)) throw new Error(`${file} not found: the fixed-rate latency runs need it`);
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  if (typeof mod[name] !== 'function') throw new Error(`${file} does not export ${name}`);
  return mod[name] as T;
}

/** Loads the named generator from src/load; vegeta is the pinned binary `findVegeta` finds (env's PATH). */
export async function loadLatencyGenerator(repoRoot: string, name: LatencyGeneratorName, env: Record<string, string | undefined>): Promise<LatencyGenerator> {
  if (name === 'builtin') {
    const create = await factory<() => LoadGenerator>(repoRoot, ['builtin', 'builtin-generator.ts'], 'createBuiltinGenerator');
    return { generator: create(), description: 'builtin (createBuiltinGenerator, default options; latency from the intended send time)' };
  }
  const find = await factory<(o: { env: Record<string, string | undefined> }) => Promise<string>>(repoRoot, ['vegeta', 'find-vegeta.ts'], 'findVegeta');
  const create = await factory<(o: { binary: string }) => LoadGenerator>(repoRoot, ['vegeta', 'vegeta-generator.ts'], 'createVegetaGenerator');
  const version = await factory<(file: string) => Promise<string | undefined>>(repoRoot, ['vegeta', 'find-vegeta.ts'], 'vegetaVersion');
  const binary = await find({ env });
  return { generator: create({ binary }), description: `vegeta ${String(await version(binary))} (latency from its actual send; one process per window)` };
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
