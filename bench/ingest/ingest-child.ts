/**
 * One measured ingest, in its own process so its peak RSS is its own:
 * `node --import tsx bench/ingest/ingest-child.ts FILE` folds the k6 JSON file into the sample
 * recorder (per-version, per-second HDR histograms) and prints one JSON line of figures.
 */
import { createReadStream } from 'node:fs';
import { ingestK6Json } from '../../src/load/k6/json-ingest.js';
import { createSampleRecorder } from '../../src/load/recorder.js';

/** What the child prints. */
export interface IngestChildResult {
  /** The ingest's own counts. */
  stats: Awaited<ReturnType<typeof ingestK6Json>>;
  /** From the first byte read to the last sample folded, ms (no process start-up). */
  elapsedMs: number;
  /** Peak resident set size of this process, KiB (getrusage). */
  maxRssKiB: number;
  /** What the recorder holds at the end. */
  recorder: ReturnType<ReturnType<typeof createSampleRecorder>['size']>;
  /** Requests and p99 (ms) per version over the whole file: the fold did real work. */
  versions: { version: string; count: number; p99: number | null }[];
}

const file = process.argv[2];
if (!file) throw new Error('usage: ingest-child.ts FILE');
const recorder = createSampleRecorder();
const started = performance.now();
const stats = await ingestK6Json(createReadStream(file, { highWaterMark: 1 << 20 }), { onSample: (s) => recorder.record(s) });
const elapsedMs = performance.now() - started;
const result: IngestChildResult = {
  stats,
  elapsedMs,
  maxRssKiB: process.resourceUsage().maxRSS,
  recorder: recorder.size(),
  versions: recorder.stats(0, Number.MAX_SAFE_INTEGER).map((v) => ({ version: v.version, count: v.count, p99: v.latency.p99 })),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
