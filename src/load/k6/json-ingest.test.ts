import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createSampleRecorder } from '../recorder.js';
import type { Sample } from '../types.js';
import { ingestK6Json, type K6IngestOptions } from './json-ingest.js';
import { LineKind, type K6PointFields } from './point-fields.js';
import { parsePointJson } from './point-json.js';
import { scanPointLine } from './point-scan.js';

/** A small deterministic PRNG (mulberry32), so a failure replays. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const METRICS = ['mesh_exp_latency', 'dropped_iterations', 'http_req_duration', 'http_reqs', 'iterations', 'mesh_exp_failed'];
const TIMES = ['2026-03-01T10:00:00Z', '2026-03-01T10:59:59.5Z', '2026-03-01T11:00:00.123456789Z', '2026-03-01T12:30:00.000001+02:00', '2026-12-31T23:59:59.999-05:30'];
const VALUES = [12.345678, 0, 1, 250, 3.1e-7, 1234567.891, 0.30000000000000004, 17, 2.5e3, 99.99];
const ODD = ['a"b', 'back\\slash', 'tab\there', 'amp&lt<gt>', 'ünï', 'line\nbreak', '{"version":"v9"}'];

/** A random k6 line: mostly as k6 writes it, often not (orders, escapes, spaces, broken). */
function randomLine(rand: () => number): string {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const tags: Record<string, string> = { group: '', scenario: 'mesh_exp' };
  if (rand() < 0.9) tags.status = pick(['200', '503', '0', '404', 'oops', '2000000']);
  if (rand() < 0.9) tags.version = pick(['v1', 'v2', 'unknown', 'v1', pick(ODD)]);
  if (rand() < 0.1) tags.error_code = pick(['1050', '1212', '1503']);
  if (rand() < 0.3) tags.request = pick(['read-reviews', 'rate-product', 'default', pick(ODD)]);
  if (rand() < 0.3) tags.url = `http://reviews/?a=1&b=${pick(ODD)}`;
  if (rand() < 0.2) tags.name = pick(ODD);
  const tagOrder = Object.entries(tags).sort(() => rand() - 0.5);
  const data: Record<string, unknown> = { time: pick(TIMES), value: pick(VALUES), tags: rand() < 0.05 ? null : Object.fromEntries(tagOrder) };
  if (rand() < 0.1) data.metadata = { vu: '1', iter: '7' };
  const metric = pick(METRICS);
  const r = rand();
  let text: string;
  if (r < 0.6) text = JSON.stringify({ type: 'Point', data, metric });
  else if (r < 0.7) text = JSON.stringify({ type: 'Point', metric, data });
  else if (r < 0.75) text = JSON.stringify({ metric, type: 'Point', data: { tags: data.tags, value: data.value, time: data.time } });
  else if (r < 0.8) text = JSON.stringify({ type: 'Point', data, metric }, null, 1).replace(/\n/g, ' ');
  else if (r < 0.88) text = JSON.stringify({ type: 'Metric', data: { name: metric, type: 'trend', contains: 'time', thresholds: ['p(99)<50'], submetrics: null }, metric });
  else if (r < 0.94) text = JSON.stringify({ type: 'Point', data, metric }).slice(0, Math.floor(rand() * 60));
  else text = JSON.stringify({ type: 'Point', data: { ...data, time: pick(['yesterday', '2026-13-01T00:00:00Z', 7]) }, metric });
  // A raw control character inside a wanted point's string: not JSON (JSON.parse refuses it), though
  // no escape. (A point of a metric nobody reads is not looked into: see point-scan.test.ts.)
  if (rand() < 0.1 && METRICS.indexOf(metric) < 2) text = text.replace('"scenario":"mesh_exp"', '"scenario":"mesh\texp"');
  // Go escapes &, < and > in strings; JSON.stringify does not.
  return rand() < 0.5 ? text.replace(/&/g, '\\u0026').replace(/</g, '\\u003c') : text;
}

async function ingest(chunks: Iterable<Buffer | string>, options: Omit<K6IngestOptions, 'onSample'> = {}) {
  const samples: Sample[] = [];
  const stats = await ingestK6Json(Readable.from(chunks), { ...options, onSample: (s) => samples.push({ ...s }) });
  return { samples, stats };
}

/** `text` cut into pieces of 1..max bytes, so lines (and UTF-8 characters) straddle chunks. */
function cut(text: string, rand: () => number, max: number): Buffer[] {
  const all = Buffer.from(text);
  const out: Buffer[] = [];
  for (let i = 0; i < all.length; ) {
    const n = 1 + Math.floor(rand() * max);
    out.push(all.subarray(i, i + n));
    i += n;
  }
  return out;
}

describe('ingestK6Json', () => {
  const rand = prng(42);
  const lines = Array.from({ length: 6000 }, () => randomLine(rand));
  const text = `${lines.join('\n')}\n`;

  it('the fast path reads every line exactly as JSON.parse does', async () => {
    const reference = await ingest([text], { fastPath: false });
    expect(reference.stats.slowPath).toBe(reference.stats.lines);
    const fast = await ingest(cut(text, rand, 4096));
    expect(fast.samples).toEqual(reference.samples);
    expect({ ...fast.stats, slowPath: 0 }).toEqual({ ...reference.stats, slowPath: 0 });
    // Most lines are in k6's own layout: the fast path takes them.
    expect(fast.stats.slowPath).toBeLessThan(fast.stats.lines * 0.75);
    expect(reference.stats.malformed).toBeGreaterThan(300);
    expect(reference.stats.declarations).toBeGreaterThan(300);
  });

  it('line by line, whatever the fast scanner vouches for, JSON.parse reads the same', () => {
    const names = ['mesh_exp_latency', 'dropped_iterations'];
    const wanted = names.map((n) => Buffer.from(n));
    const blank = (): K6PointFields => ({ metric: -1, time: 0, value: 0, version: undefined, status: undefined, errorCode: undefined, request: undefined });
    let vouched = 0;
    for (const l of lines) {
      const buf = Buffer.from(l);
      const fast = blank();
      const kind = scanPointLine(buf, 0, buf.length, wanted, fast);
      if (kind === LineKind.FALLBACK) continue;
      vouched++;
      const slow = blank();
      expect([l, parsePointJson(l, names, slow)]).toEqual([l, kind]);
      if (kind === LineKind.WANTED) expect([l, fast]).toEqual([l, slow]);
    }
    expect(vouched).toBeGreaterThan(2000);
  });

  it('reads times to the nanosecond with their offsets, and the request start is time - latency', async () => {
    const point = (time: string, value: number) => JSON.stringify({ type: 'Point', data: { time, value, tags: { status: '200', version: 'v2' } }, metric: 'mesh_exp_latency' });
    const { samples } = await ingest([`${point('2026-03-01T10:00:00.123456789Z', 2)}\n${point('2026-03-01T12:00:00+02:00', 0.5)}\n`]);
    expect(samples[0]!.time).toBeCloseTo(Date.parse('2026-03-01T10:00:00.123Z') + 0.456789 - 2, 3);
    expect(samples[1]).toEqual({ time: Date.parse('2026-03-01T10:00:00Z') - 0.5, latencyMs: 0.5, status: 200, version: 'v2', error: undefined });
  });

  it('folds into the recorder per version; dropped iterations and missing responses are errors', async () => {
    const t = '2026-03-01T10:00:00.5Z';
    const point = (metric: string, value: number, tags: Record<string, string> | null) => JSON.stringify({ type: 'Point', data: { time: t, value, tags }, metric });
    const input = [
      point('mesh_exp_latency', 10, { status: '200', version: 'v1' }),
      point('mesh_exp_latency', 20, { status: '503', version: 'v2', error_code: '1503' }),
      point('mesh_exp_latency', 5000, { status: '0', version: 'unknown', error_code: '1050' }),
      point('dropped_iterations', 2, { scenario: 'mesh_exp' }),
      point('http_req_duration', 10, { status: '200' }),
      'not json',
      '',
    ].join('\r\n');
    const recorder = createSampleRecorder();
    const stats = await ingestK6Json(Readable.from([input]), { onSample: (s) => recorder.record(s) });
    expect(stats).toMatchObject({ lines: 6, points: 5, samples: 5, dropped: 2, malformed: 1, withoutStatus: 0 });
    const byVersion = Object.fromEntries(recorder.stats(0, Date.parse(t) + 1000).map((v) => [v.version, [v.count, v.errors]]));
    expect(byVersion).toEqual({ v1: [1, 0], v2: [1, 1], unknown: [3, 3], all: [5, 4] });
    recorder.close();
  });

  it('a request tag names the sample\'s request: figures per request, fast path and JSON.parse alike', async () => {
    const point = (value: number, tags: Record<string, string>) => JSON.stringify({ type: 'Point', data: { time: '2026-03-01T10:00:00Z', value, tags }, metric: 'mesh_exp_latency' });
    const input = [
      point(10, { request: 'read-reviews', status: '200', version: 'v1' }),
      point(20, { status: '200', version: 'v2', request: 'rate-product' }),
      // An escape sends the line to JSON.parse: the same name comes out.
      point(30, { request: 'read-reviews', status: '200', version: 'v"2' }),
      point(40, { status: '200', version: 'v1' }),
      JSON.stringify({ type: 'Point', data: { time: '2026-03-01T10:00:00Z', value: 1, tags: { request: 'read-reviews' } }, metric: 'dropped_iterations' }),
    ].join('\n');
    for (const fastPath of [true, false]) {
      const { samples } = await ingest([input], { fastPath });
      expect(samples.map((x) => [x.request, x.error])).toEqual([
        ['read-reviews', undefined],
        ['rate-product', undefined],
        ['read-reviews', undefined],
        [undefined, undefined],
        [undefined, 'dropped'],
      ]);
    }
  });

  it('skips an oversize line (counted malformed) and goes on with the next', async () => {
    const ok = JSON.stringify({ type: 'Point', data: { time: '2026-03-01T10:00:00Z', value: 1, tags: { status: '200' } }, metric: 'mesh_exp_latency' });
    const huge = `{"type":"Point","data":{"x":"${'y'.repeat(5000)}"}}`;
    const { samples, stats } = await ingest(cut(`${ok}\n${huge}\n${ok}\n${huge}`, prng(1), 700), { maxLineBytes: 1024 });
    expect(samples).toHaveLength(2);
    expect(stats.malformed).toBe(2);
    expect(stats.withoutStatus).toBe(0);
  });

  it('reads a file through a Readable with small chunks', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-ingest-'));
    try {
      const file = path.join(dir, 'k6.json');
      await writeFile(file, text);
      const fromFile = await ingestK6Json(createReadStream(file, { highWaterMark: 333 }), { onSample: () => {} });
      const reference = await ingest([text], { fastPath: false });
      expect(fromFile.samples).toBe(reference.stats.samples);
      expect(fromFile.bytes).toBe(Buffer.byteLength(text));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
