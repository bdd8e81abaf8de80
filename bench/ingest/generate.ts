/**
 * Synthesizes a k6 `--out json` file as k6 writes it for the script `mesh-exp export-k6` makes:
 * per request the http_req_* points, data_sent/received, iteration_duration, iterations and our
 * mesh_exp_latency / mesh_exp_failed (/ mesh_exp_errors) tagged by version, vus and vus_max each
 * second, and a `{"type":"Metric"}` declaration before a metric's first point. Layout as k6's
 * JSON output: `{"type":..,"data":{"time":..,"value":..,"tags":{..}},"metric":..}`, RFC 3339 times
 * with trailing zeros of the nanoseconds trimmed (Go's RFC3339Nano), tag values as strings.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';

/** What was written. */
export interface GeneratedFile {
  /** Lines written. */
  lines: number;
  /** Requests simulated. */
  requests: number;
  /** Bytes written. */
  bytes: number;
  /** Seconds of simulated test (requests / rate). */
  seconds: number;
}

/** Options of {@link generateK6JsonFile}. */
export interface GenerateOptions {
  /** Write at least this many lines (the last request is written whole). */
  lines: number;
  /** Simulated arrival rate, requests per second. @default 2000 */
  rate?: number;
  /** Simulated test start, epoch ms. @default 2026-03-01T10:00:00Z */
  startMs?: number;
}

const URL = 'http://127.0.0.1:8080/reviews';
const HTTP_TAGS = (status: string) =>
  `{"expected_response":"${status === '200' ? 'true' : 'false'}","group":"","method":"GET","name":"${URL}","proto":"HTTP/1.1","scenario":"mesh_exp","status":"${status}","url":"${URL}"}`;
const BASE_TAGS = '{"group":"","scenario":"mesh_exp"}';
const OUR_TAGS = (status: string, version: string) => `{"group":"","scenario":"mesh_exp","status":"${status}","version":"${version}"}`;

/** k6 metric types, for the declaration lines. */
const TYPES: Record<string, [string, string]> = {
  http_reqs: ['counter', 'default'],
  http_req_failed: ['rate', 'default'],
  data_sent: ['counter', 'data'],
  data_received: ['counter', 'data'],
  iterations: ['counter', 'default'],
  vus: ['gauge', 'default'],
  vus_max: ['gauge', 'default'],
  mesh_exp_failed: ['rate', 'default'],
  mesh_exp_errors: ['counter', 'default'],
};

/** A deterministic PRNG (xorshift32), so two runs write the same file. */
function xorshift(seed: number) {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

/** Writes the file; resolves when it is flushed. */
export async function generateK6JsonFile(file: string, options: GenerateOptions): Promise<GeneratedFile> {
  const rate = options.rate ?? 2000;
  const startMs = options.startMs ?? Date.parse('2026-03-01T10:00:00Z');
  const rand = xorshift(7);
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  const declared = new Set<string>();
  let buffer: string[] = [];
  let pending = 0;
  let lines = 0;
  let bytes = 0;
  let secondPrefix = '';
  let second = -1;

  const stamp = (ms: number) => {
    const s = Math.floor(ms / 1000);
    if (s !== second) [second, secondPrefix] = [s, new Date(s * 1000).toISOString().slice(0, 19)];
    const nanos = String(Math.round((ms - s * 1000) * 1e6)).padStart(9, '0').replace(/0+$/, '');
    return nanos ? `${secondPrefix}.${nanos}Z` : `${secondPrefix}Z`;
  };
  const push = (text: string) => {
    buffer.push(text);
    pending += text.length + 1;
    lines++;
  };
  const point = (metric: string, time: string, value: number, tags: string) => {
    if (!declared.has(metric)) {
      declared.add(metric);
      const [type, contains] = TYPES[metric] ?? ['trend', 'time'];
      push(`{"type":"Metric","data":{"name":"${metric}","type":"${type}","contains":"${contains}","thresholds":[],"submetrics":null},"metric":"${metric}"}`);
    }
    push(`{"type":"Point","data":{"time":"${time}","value":${value},"tags":${tags}},"metric":"${metric}"}`);
  };
  // k6 measures in ns and writes ms: at most 6 decimals.
  const atNs = (x: number) => Math.round(x * 1e6) / 1e6;

  let requests = 0;
  while (lines < options.lines) {
    const sentMs = startMs + (requests * 1000) / rate;
    if (Math.floor(sentMs / 1000) !== Math.floor((sentMs - 1000 / rate) / 1000)) {
      const t = stamp(sentMs);
      point('vus', t, 3 + Math.floor(rand() * 5), 'null');
      point('vus_max', t, 50, 'null');
    }
    const version = rand() < 0.9 ? 'v1' : 'v2';
    const r = rand();
    const status = r < 0.0005 ? '0' : r < 0.005 ? '503' : '200';
    // Log-normal-ish latency around 5 ms with a tail; microsecond-rounded like k6's ns/1e6.
    const waiting = atNs(2 + 3 * Math.exp(rand() * 2.5) * rand());
    const [sending, receiving, blocked] = [atNs(rand() * 0.05), atNs(rand() * 0.2), atNs(rand() * 0.01)];
    const duration = atNs(sending + waiting + receiving);
    const t = stamp(sentMs + duration);
    const http = HTTP_TAGS(status);
    const bad = status !== '200' ? 1 : 0;
    point('http_reqs', t, 1, http);
    point('http_req_duration', t, duration, http);
    point('http_req_blocked', t, blocked, http);
    point('http_req_connecting', t, 0, http);
    point('http_req_tls_handshaking', t, 0, http);
    point('http_req_sending', t, sending, http);
    point('http_req_waiting', t, waiting, http);
    point('http_req_receiving', t, receiving, http);
    point('http_req_failed', t, bad, http);
    const ours = OUR_TAGS(status, status === '0' ? 'unknown' : version);
    point('mesh_exp_latency', t, atNs(blocked + duration), status === '0' ? ours.replace('}', ',"error_code":"1050"}') : ours);
    point('mesh_exp_failed', t, bad, ours);
    if (bad) point('mesh_exp_errors', t, 1, ours);
    point('data_sent', t, 98, BASE_TAGS);
    point('data_received', t, 187, BASE_TAGS);
    point('iteration_duration', t, atNs(duration + 0.05), BASE_TAGS);
    point('iterations', t, 1, BASE_TAGS);
    requests++;
    if (pending >= 1 << 20) {
      const chunk = `${buffer.join('\n')}\n`;
      [buffer, pending, bytes] = [[], 0, bytes + Buffer.byteLength(chunk)];
      if (!out.write(chunk)) await once(out, 'drain');
    }
  }
  const chunk = buffer.length > 0 ? `${buffer.join('\n')}\n` : '';
  bytes += Buffer.byteLength(chunk);
  out.end(chunk);
  await once(out, 'finish');
  return { lines, requests, bytes, seconds: requests / rate };
}

// `node --import tsx bench/ingest/generate.ts FILE LINES`: one file by hand, e.g. to profile
// `npm run build && node --cpu-prof bench/ingest/ingest-child.mjs FILE` (the compiled ingest).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file, lines] = process.argv.slice(2);
  if (file === undefined || !(Number(lines) > 0)) throw new Error('usage: generate.ts FILE LINES');
  process.stdout.write(`${JSON.stringify(await generateK6JsonFile(file, { lines: Number(lines) }))}\n`);
}
