import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Sample } from '../types.js';
import { ingestK6Json, type K6IngestOptions } from './json-ingest.js';
import { LineKind, type K6PointFields } from './point-fields.js';
import { scanPointLine } from './point-scan.js';

const TIME = '2026-03-01T10:00:00.123456Z';
const TAGS = '{"group":"","scenario":"mesh_exp","status":"200","version":"v1"}';
const point = (metric: string, tags = TAGS, value = '12.5') => `{"type":"Point","data":{"time":"${TIME}","value":${value},"tags":${tags}},"metric":"${metric}"}`;

async function ingest(chunks: Iterable<Buffer | string>, options: Omit<K6IngestOptions, 'onSample'> = {}) {
  const samples: Sample[] = [];
  const stats = await ingestK6Json(Readable.from(chunks), { ...options, onSample: (s) => samples.push({ ...s }) });
  return { samples, stats };
}

/** Fast path and JSON.parse agree on `text` (samples and counts); returns the fast run. */
async function sameAsReference(chunks: Iterable<Buffer | string>, text: string) {
  const reference = await ingest([text], { fastPath: false });
  const fast = await ingest(chunks);
  expect(fast.samples).toEqual(reference.samples);
  expect({ ...fast.stats, slowPath: 0 }).toEqual({ ...reference.stats, slowPath: 0 });
  return fast;
}

const blank = (): K6PointFields => ({ metric: -1, time: 0, value: 0, version: undefined, status: undefined, errorCode: undefined, request: undefined });
const WANTED = [Buffer.from('mesh_exp_latency'), Buffer.from('dropped_iterations')];
const scan = (line: string) => {
  const buf = Buffer.from(line);
  return scanPointLine(buf, 0, buf.length, WANTED, blank());
};

describe('the k6 fast path', () => {
  it('reads k6\'s own layout without JSON.parse: wanted points, other points, declarations, CRLF', async () => {
    const lines = [
      '{"type":"Metric","data":{"name":"mesh_exp_latency","type":"trend","contains":"time","thresholds":[],"submetrics":null},"metric":"mesh_exp_latency"}',
      point('http_req_duration', '{"expected_response":"true","url":"http://a/b?c=d"}'),
      point('mesh_exp_latency'),
      point('vus', 'null', '3'),
      point('mesh_exp_latency', '{"status":"0","version":"unknown","error_code":"1050"}', '5000'),
      point('dropped_iterations', '{"scenario":"mesh_exp"}', '1'),
    ];
    const text = `${lines.join('\r\n')}\r\n`;
    const fast = await sameAsReference([text], text);
    expect(fast.stats).toMatchObject({ lines: 6, points: 5, declarations: 1, samples: 3, dropped: 1, malformed: 0, slowPath: 0 });
    expect(fast.samples[0]).toMatchObject({ latencyMs: 12.5, status: 200, version: 'v1', error: undefined, request: undefined });
    expect(fast.samples[0]!.time).toBeCloseTo(Date.parse('2026-03-01T10:00:00.123Z') + 0.456 - 12.5, 6);
    expect(fast.samples[1]!.error).toBeDefined();
  });

  it('decodes non-ASCII tag values as UTF-8 on the fast path', async () => {
    const text = `${point('mesh_exp_latency', '{"status":"200","version":"vü-ñ","request":"lire les résumés"}')}\n`;
    const fast = await sameAsReference([text], text);
    expect(fast.stats.slowPath).toBe(0);
    expect([fast.samples[0]!.version, fast.samples[0]!.request]).toEqual(['vü-ñ', 'lire les résumés']);
  });

  it('a backslash sends only its own line to JSON.parse, not the lines after it', async () => {
    const lines = [point('mesh_exp_latency'), point('mesh_exp_latency', '{"status":"200","version":"v\\"2"}'), point('mesh_exp_latency'), point('http_reqs', '{"url":"a\\\\b"}'), point('mesh_exp_latency')];
    const text = `${lines.join('\n')}\n`;
    const fast = await sameAsReference([text], text);
    expect(fast.samples.map((s) => s.version)).toEqual(['v1', 'v"2', 'v1', 'v1']);
    // The escaped wanted line only; the other metric's escape is outside its name.
    expect(fast.stats.slowPath).toBe(1);
  });

  it('no chunk is searched for escapes beforehand: the scanner gives up at one wherever a wanted line holds it', async () => {
    const ok = point('mesh_exp_latency');
    const escaped = [
      point('mesh_exp_latency', '{"status":"200","ver\\u0073ion":"v2"}'),
      point('mesh_exp_latency', '{"status":"200","version":"v\\u0032"}'),
      ok.replace('}}', ',"metadata":{"vu":"1\\n"}}}'),
      ok.replace(TIME, '2026-03-01T10:00:00.5\\u005a'),
      `{"type":"Point","metric":"mesh_exp_l\\u0061tency","data":{"time":"${TIME}","value":3,"tags":${TAGS}}}`,
    ];
    for (const line of escaped) expect([line, scan(line)]).toEqual([line, LineKind.FALLBACK]);
    // A wanted line before and after each: the escape costs only its own line.
    const text = `${escaped.flatMap((line) => [ok, line]).join('\n')}\n${ok}\n`;
    const fast = await sameAsReference([text], text);
    expect(fast.stats.slowPath).toBe(escaped.length);
    expect(fast.samples.map((s) => s.version)).toEqual(['v1', 'v2', 'v1', 'v2', 'v1', 'v1', 'v1', 'v1', 'v1', 'v1', 'v1']);
  });

  it('a raw control character in a string: JSON.parse refuses the line, and so does the fast path', async () => {
    const lines = [point('mesh_exp_latency', '{"status":"200","version":"v\t1"}'), point('mesh_exp_latency', '{"sta\u0001tus":"200","version":"v1"}'), point('mesh_exp_latency')];
    expect(scan(lines[0]!)).toBe(LineKind.FALLBACK);
    expect(scan(lines[1]!)).toBe(LineKind.FALLBACK);
    const text = `${lines.join('\n')}\n`;
    const fast = await sameAsReference([text], text);
    expect(fast.stats).toMatchObject({ malformed: 2, samples: 1, slowPath: 2 });
    // A point nobody reads is vouched for by its anchors and name only: counted a point, not
    // malformed as JSON.parse would say; no sample either way.
    expect(scan(point('http_reqs', '{"url":"a\tb"}'))).toBe(LineKind.OTHER);
  });

  it('one large chunk (3 MiB, as Buffer or string) is read line by line on the fast path', async () => {
    const lines: string[] = [];
    for (let i = 0, length = 0; length < 3 << 20; i++, length += lines.at(-1)!.length + 1) {
      lines.push(point(i % 7 === 0 ? 'mesh_exp_latency' : 'http_req_duration', `{"status":"${200 + (i % 3)}","version":"v${i % 5}"}`, String(i / 8)));
    }
    const text = `${lines.join('\n')}\n`;
    for (const chunk of [text, Buffer.from(text)]) {
      const fast = await sameAsReference([chunk], text);
      expect(fast.stats).toMatchObject({ lines: lines.length, slowPath: 0, malformed: 0 });
      expect(fast.samples).toHaveLength(Math.ceil(lines.length / 7));
    }
  });

  it('malformed and unusual-but-valid lines: JSON.parse decides, and gets the same as a clean run would', async () => {
    const ok = point('mesh_exp_latency');
    const lines = [
      // Unusual but valid: spaces, other key orders, metric first, escapes in the name, exponent values.
      ok.replace('"data":', '"data" : '),
      `{"metric":"mesh_exp_latency","type":"Point","data":{"time":"${TIME}","value":1,"tags":${TAGS}}}`,
      `{"type":"Point","metric":"mesh_exp_latency","data":{"time":"${TIME}","value":2,"tags":${TAGS}}}`,
      point('mesh_exp_\\u006catency'),
      point('http_req_\\u0064uration'),
      point('mesh_exp_latency', TAGS, '1.5e2'),
      point('mesh_exp_latency', TAGS, '-0.0'),
      point('mesh_exp_latency', '{}'),
      point('mesh_exp_latency', '{"status":200,"version":"v1"}'),
      ok.replace('}}', ',"metadata":{"vu":"1"}}}'),
      // Malformed: cut short, trailing bytes, not JSON, a bad time, a non-number value, no type.
      ok.slice(0, 40),
      ok.slice(0, -1),
      `${ok} `,
      `${ok}x`,
      '"}',
      '}',
      'null',
      point('mesh_exp_latency').replace(TIME, '2026-02-30T25:00:00Z'),
      point('mesh_exp_latency', TAGS, '"12"'),
      point('mesh_exp_latency', TAGS, '012'),
      ok.replace('{"type":"Point",', '{'),
      ok.replace('"Point"', '"Pint"'),
    ];
    const text = `${lines.join('\n')}\n`;
    const fast = await sameAsReference([text], text);
    expect(fast.stats.malformed).toBeGreaterThan(8);
    expect(fast.samples.length).toBeGreaterThan(6);
    // Still one sample each, whatever the layout, from the lines JSON.parse accepts.
    expect(fast.samples.map((s) => s.latencyMs)).toContain(150);
  });

  it('scanPointLine vouches only for what it can prove, and says what it cannot', () => {
    expect(scan(point('mesh_exp_latency'))).toBe(LineKind.WANTED);
    expect(scan(point('http_reqs'))).toBe(LineKind.OTHER);
    // An escape anywhere but the name does not matter for a metric nobody reads...
    expect(scan(point('http_reqs', '{"url":"a\\"b"}'))).toBe(LineKind.OTHER);
    // ...in the name it could hide a wanted one.
    expect(scan(point('mesh_exp_\\u006catency'))).toBe(LineKind.FALLBACK);
    expect(scan(point('mesh_exp_latency', '{"version":"a\\"b"}'))).toBe(LineKind.FALLBACK);
    expect(scan(point('mesh_exp_latency').replace('"data":', '"data" :'))).toBe(LineKind.FALLBACK);
    expect(scan(`${point('mesh_exp_latency')} `)).toBe(LineKind.FALLBACK);
    expect(scan('"}')).toBe(LineKind.FALLBACK);
    expect(scan(',"metric":"http_reqs"}')).toBe(LineKind.FALLBACK);
    // No data, but JSON.parse does not look into a point nobody reads either.
    expect(scan('{"type":"Point","metric":"http_reqs"}')).toBe(LineKind.OTHER);
  });

  it('the 32-bit anchor compares read nothing outside the line, however the buffer goes on', () => {
    const line = point('http_reqs');
    // The line's bytes between others: `,"metric":"` cut across its start, its end inside a Point prefix.
    const buf = Buffer.from(`,"me${line.slice(0, 60)}tric":"http_reqs"}{"type":"Point",`);
    const start = 4;
    const end = buf.length - 16;
    expect(scanPointLine(buf, start, end, WANTED, blank())).toBe(LineKind.FALLBACK);
    const whole = Buffer.from(`xx${line}\n{"type":"Point",`);
    const view = new DataView(whole.buffer, whole.byteOffset, whole.length);
    expect(scanPointLine(whole, 2, 2 + line.length, WANTED, blank(), view)).toBe(LineKind.OTHER);
    expect(scanPointLine(whole, 2, 2 + 15, WANTED, blank(), view)).toBe(LineKind.FALLBACK);
  });
});
