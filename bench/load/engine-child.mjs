// @ts-check
/**
 * One engine as mesh-exp runs it, in its own process so that its CPU and memory are its own:
 * `node bench/load/engine-child.mjs --engine builtin|vegeta --url U --rate R --duration-ms D`.
 * Plain JavaScript on the BUILT mesh-exp (`dist/`, what `bin/mesh-exp.js` runs), so neither tsx
 * nor its transpiler is in the process measured. The generator comes from mesh-exp's registry and
 * every sample goes into mesh-exp's recorder: the cost measured is the whole engine path (for
 * vegeta: attack + encode + mesh-exp's ingest of vegeta's JSON lines).
 * Prints one JSON line at the end: the load summary and what the recorder counted.
 */
import { parseArgs } from 'node:util';
import { tuneV8 } from '../../dist/cli/v8-tuning.js';

// As bin/mesh-exp.js does, before the engines are loaded: the benchmark measures what the CLI runs.
tuneV8();
const { createDefaultLoadGeneratorRegistry } = await import('../../dist/load/registry.js');
const { createSampleRecorder } = await import('../../dist/load/recorder.js');

const { values } = parseArgs({
  options: { engine: { type: 'string' }, url: { type: 'string' }, rate: { type: 'string' }, 'duration-ms': { type: 'string' } },
});
const engine = values.engine ?? 'builtin';
const rate = Number(values.rate);
const durationMs = Number(values['duration-ms']);
if (!values.url || !(rate > 0) || !(durationMs > 0)) throw new Error('usage: --engine E --url U --rate R --duration-ms D');

/** @type {import('../../src/load/types.js').LoadPlan} */
const plan = { url: values.url, method: 'GET', headers: {}, rate, durationMs, timeoutMs: 5000, maxInFlight: 1000, versionHeader: 'x-version' };
const generator = createDefaultLoadGeneratorRegistry().create(engine, { env: process.env });
await generator.preflight?.();
const recorder = createSampleRecorder();
let recorded = 0;
const summary = await generator.run(
  plan,
  (s) => {
    recorded++;
    recorder.record(s);
  },
  new AbortController().signal,
);
// What the engine itself calls latency (see the README's "Load engines"), to set beside the server's clock.
const all = recorder.stats(0, Number.MAX_SAFE_INTEGER).find((s) => s.version === 'all');
process.stdout.write(`${JSON.stringify({ engine, ...summary, recorded, latencyP50Ms: all?.latency.p50 ?? null, latencyP99Ms: all?.latency.p99 ?? null })}\n`);
