// @ts-check
/**
 * mesh-exp's ingest of vegeta's JSON lines, alone, on the BUILT mesh-exp (`dist/`):
 * `node bench/load/ingest-child.mjs FILE` reads FILE line by line exactly as the vegeta generator
 * reads `vegeta encode --to json` (forEachLine), turns each line into a sample (the scanner's fast
 * path, else `parseVegetaResult`)
 * and folds it into the recorder. Prints one JSON line: lines read and the time the loop took
 * (without Node's start-up, which the harness measures around it).
 */
import { createReadStream } from 'node:fs';
import { forEachLine } from '../../dist/load/line-reader.js';
import { createSampleRecorder } from '../../dist/load/recorder.js';
import { parseVegetaResult } from '../../dist/load/vegeta/vegeta-result.js';
import { createVegetaScanner } from '../../dist/load/vegeta/vegeta-scan.js';

const file = process.argv[2];
if (!file) throw new Error('usage: ingest-child.mjs FILE');
const recorder = createSampleRecorder();
const scan = createVegetaScanner('x-version');
let lines = 0;
const started = performance.now();
await forEachLine(createReadStream(file), (line) => {
  if (line === '') return;
  recorder.record(scan(line) ?? parseVegetaResult(line, 'x-version'));
  lines++;
});
const loopMs = performance.now() - started;
const all = recorder.stats(0, Number.MAX_SAFE_INTEGER).find((s) => s.version === 'all');
process.stdout.write(`${JSON.stringify({ lines, loopMs, recorded: all?.count ?? 0 })}\n`);
