/**
 * The fast path of the k6 JSON reader: reads one `--out json` line straight from the bytes with
 * positional checks, no string per line and no JSON.parse. It accepts only the exact layouts k6
 * writes (and the metric-first variant). A point of a metric nobody reads is vouched for by its
 * anchors and its name alone (its body is not looked into, as JSON.parse would to call a broken
 * one malformed: only the counts can differ, never a sample); a wanted point is read whole, every string through `quote`, which
 * gives up at a backslash: so no escape can fool an anchor, and no line is searched for one
 * beforehand. Anything else is `FALLBACK`, and the caller parses that line with JSON.parse
 * (`point-json.ts`), which must give the same result.
 */
import { LineKind, type K6PointFields, quote, readTags, scanNumber, scanTime } from './point-fields.js';

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const ascii = (s: string) => Buffer.from(s, 'latin1');
const TYPE_PREFIX_LENGTH = '{"type":"'.length;
const TYPE_POINT = ascii('{"type":"Point",');
const TYPE_METRIC = ascii('{"type":"Metric",');
const DATA_TIME = ascii('"data":{"time":"');
const VALUE = ascii(',"value":');
const TAGS = ascii('"tags":');
const METADATA = ascii(',"metadata":{');
const METRIC_KEY = ascii('"metric":"');
const LAST_METRIC_KEY_LENGTH = ',"metric":"'.length;

const word = (text: string, at: number) => Buffer.from(text, 'latin1').readUInt32LE(at);
// The two anchors every line is checked against, as little-endian 32-bit words: a Point's
// `{"type":"Point",` (16 bytes) in four compares, `,"metric":"` (11) in three overlapping ones.
const [POINT_0, POINT_4, POINT_8, POINT_12] = [0, 4, 8, 12].map((at) => word('{"type":"Point",', at)) as [number, number, number, number];
const [KEY_0, KEY_4, KEY_7] = [0, 4, 7].map((at) => word(',"metric":"', at)) as [number, number, number];

/** Whether `{"type":"Point",` is at `at`, within `[at, end)`. */
function isPointAt(view: DataView, at: number, end: number): boolean {
  return (
    at + 16 <= end && view.getUint32(at, true) === POINT_0 && view.getUint32(at + 4, true) === POINT_4 && view.getUint32(at + 8, true) === POINT_8 && view.getUint32(at + 12, true) === POINT_12
  );
}

/** Whether `,"metric":"` is at `at`, not before `start`. */
function isMetricKeyAt(view: DataView, at: number, start: number): boolean {
  return at >= start && view.getUint32(at, true) === KEY_0 && view.getUint32(at + 4, true) === KEY_4 && view.getUint32(at + 7, true) === KEY_7;
}

/** Whether `buf[at, at + word.length)` equals `word` (a JS loop beats a native call for short words). */
function has(buf: Buffer, at: number, word: Buffer): boolean {
  const n = word.length;
  if (at < 0 || at + n > buf.length) return false;
  for (let i = 0; i < n; i++) if (buf[at + i] !== word[i]) return false;
  return true;
}

/** Index in `wanted` of the metric name `buf[start, end)`, or -1. */
export function metricIndex(buf: Buffer, start: number, end: number, wanted: readonly Buffer[]): number {
  const n = end - start;
  for (let w = 0; w < wanted.length; w++) {
    const name = wanted[w]!;
    if (name.length !== n) continue;
    let i = 0;
    while (i < n && buf[start + i] === name[i]) i++;
    if (i === n) return w;
  }
  return -1;
}

/** Reads `"data":{"time":..,"value":..,"tags":..[,"metadata":{..}]}` at `at`; returns the index after it, or -1. */
function readData(buf: Buffer, at: number, end: number, out: K6PointFields): number {
  if (!has(buf, at, DATA_TIME)) return -1;
  const t0 = at + DATA_TIME.length;
  const t1 = quote(buf, t0, end);
  if (t1 < 0) return -1;
  out.time = scanTime(buf, t0, t1);
  if (!(out.time === out.time) || !has(buf, t1 + 1, VALUE)) return -1;
  const v0 = t1 + 1 + VALUE.length;
  let v1 = v0;
  while (v1 < end && buf[v1] !== 0x2c) v1++;
  if (v1 === end) return -1;
  out.value = scanNumber(buf, v0, v1);
  if (!(out.value === out.value) || !has(buf, v1 + 1, TAGS)) return -1;
  let p = readTags(buf, v1 + 1 + TAGS.length, end, out);
  if (p < 0) return -1;
  if (has(buf, p, METADATA)) {
    // Metadata is a flat string map too; its values are not tags, so they are read and dropped.
    p = readTags(buf, p + METADATA.length - 1, end, null);
    if (p < 0) return -1;
  }
  return buf[p] === 0x7d ? p + 1 : -1;
}

/**
 * Reads the line `buf[start, end)` (no newline). Returns `WANTED` with `out` filled for a point of
 * a `wanted` metric, `OTHER` for a point of another metric, `DECLARATION` for a Metric line, or
 * `FALLBACK` when the line is not in a layout this scanner vouches for.
 * @param view a DataView of exactly `buf` (the caller makes one per chunk, not one per line)
 */
export function scanPointLine(
  buf: Buffer,
  start: number,
  end: number,
  wanted: readonly Buffer[],
  out: K6PointFields,
  view: DataView = new DataView(buf.buffer, buf.byteOffset, buf.length),
): LineKind {
  let nameStart: number;
  let nameEnd: number;
  let dataAt: number;
  let trailer: number;
  // Whether the name holds a backslash: an escape there could hide a wanted name.
  let escapedName = false;
  if (buf[end - 1] === 0x7d && buf[end - 2] === QUOTE) {
    // k6's own order: {"type":..,"data":{..},"metric":"NAME"} — the name is anchored at the end.
    nameEnd = end - 2;
    // Names are short: a JS loop back to the opening quote beats a native lastIndexOf call.
    nameStart = nameEnd;
    while (nameStart > start) {
      const c = buf[nameStart - 1];
      if (c === QUOTE) break;
      if (c === BACKSLASH) escapedName = true;
      nameStart--;
    }
    if (nameStart <= start || !isMetricKeyAt(view, nameStart - LAST_METRIC_KEY_LENGTH, start)) return LineKind.FALLBACK;
    // The type's first letter picks the one prefix to compare (each holds `{"type":"`).
    const kind = buf[start + TYPE_PREFIX_LENGTH];
    if (kind === 0x4d && has(buf, start, TYPE_METRIC)) return LineKind.DECLARATION;
    if (kind !== 0x50 || !isPointAt(view, start, end)) return LineKind.FALLBACK;
    dataAt = start + TYPE_POINT.length;
    trailer = nameStart - LAST_METRIC_KEY_LENGTH;
  } else if (has(buf, start, TYPE_POINT) && has(buf, start + TYPE_POINT.length, METRIC_KEY)) {
    // Metric first: {"type":"Point","metric":"NAME","data":{..}}; quote gives up at an escape.
    nameStart = start + TYPE_POINT.length + METRIC_KEY.length;
    nameEnd = quote(buf, nameStart, end);
    if (nameEnd < 0 || buf[nameEnd + 1] !== 0x2c) return LineKind.FALLBACK;
    dataAt = nameEnd + 2;
    trailer = end - 1;
  } else {
    return LineKind.FALLBACK;
  }
  // The anchors prove NAME is the top-level "metric" whatever the rest holds; only an escape
  // inside NAME itself could hide a wanted name. A metric nobody reads needs no more reading.
  if (escapedName) return LineKind.FALLBACK;
  out.metric = metricIndex(buf, nameStart, nameEnd, wanted);
  if (out.metric < 0) return LineKind.OTHER;
  // From here every byte of the line is checked: anchors, numbers, and strings through quote.
  out.version = undefined;
  out.status = undefined;
  out.errorCode = undefined;
  out.request = undefined;
  const after = readData(buf, dataAt, end, out);
  return after === trailer && buf[end - 1] === 0x7d ? LineKind.WANTED : LineKind.FALLBACK;
}
