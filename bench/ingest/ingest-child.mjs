// @ts-check
/**
 * One measured ingest on the BUILT mesh-exp (`dist/`, what `bin/mesh-exp.js` runs; no tsx in the
 * measured process), in its own process so its peak RSS is its own:
 * `node bench/ingest/ingest-child.mjs FILE` folds the k6 JSON file into the sample recorder
 * (per-version, per-second HDR histograms) as the k6 generator folds k6's stdout, and prints one
 * JSON line of figures (`IngestChildResult` in report.ts). On an empty FILE it measures the fixed
 * cost: Node's start-up and loading the ingest and the recorder.
 */
import { createReadStream } from 'node:fs';
import { ingestK6Json } from '../../dist/load/k6/json-ingest.js';
import { createSampleRecorder } from '../../dist/load/recorder.js';

const file = process.argv[2];
if (!file) throw new Error('usage: ingest-child.mjs FILE');
const recorder = createSampleRecorder();
const started = performance.now();
const stats = await ingestK6Json(createReadStream(file, { highWaterMark: 1 << 20 }), { onSample: (s) => recorder.record(s) });
const elapsedMs = performance.now() - started;
const result = {
  stats,
  elapsedMs,
  maxRssKiB: process.resourceUsage().maxRSS,
  recorder: recorder.size(),
  versions: recorder.stats(0, Number.MAX_SAFE_INTEGER).map((v) => ({ version: v.version, count: v.count, p99: v.latency.p99 })),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
