/**
 * The slow path of the k6 JSON reader: JSON.parse of one line, for whatever the fast scanner does
 * not vouch for (escaped strings, other key orders, whitespace). Also the reference the fast path
 * is tested against: for any line both read, both must fill the same fields.
 */
import { LineKind, type K6PointFields, scanTime, statusOf } from './point-fields.js';
import { ERROR_CODE_TAG, REQUEST_TAG, STATUS_TAG, VERSION_TAG } from './k6-names.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string tag, or undefined (absent, or not a string as k6 always writes them). */
function tag(tags: Json | null, name: string): string | undefined {
  const v = tags?.[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Reads a line with JSON.parse. Returns `WANTED` (fields filled), `OTHER`, `DECLARATION`, or
 * `MALFORMED` for anything that is not a k6 Metric or Point object.
 */
export function parsePointJson(text: string, wanted: readonly string[], out: K6PointFields): LineKind {
  let line: unknown;
  try {
    line = JSON.parse(text);
  } catch {
    return LineKind.MALFORMED;
  }
  if (!isObject(line) || typeof line.metric !== 'string') return LineKind.MALFORMED;
  if (line.type === 'Metric') return LineKind.DECLARATION;
  if (line.type !== 'Point') return LineKind.MALFORMED;
  // As on the fast path: a point of a metric nobody reads is not looked into.
  out.metric = wanted.indexOf(line.metric);
  if (out.metric < 0) return LineKind.OTHER;
  if (!isObject(line.data)) return LineKind.MALFORMED;
  const { time, value, tags } = line.data;
  if (typeof time !== 'string' || typeof value !== 'number') return LineKind.MALFORMED;
  if (tags !== undefined && tags !== null && !isObject(tags)) return LineKind.MALFORMED;
  const bytes = Buffer.from(time, 'utf8');
  out.time = scanTime(bytes, 0, bytes.length);
  if (Number.isNaN(out.time)) return LineKind.MALFORMED;
  out.value = value;
  const t = (tags ?? null) as Json | null;
  out.version = tag(t, VERSION_TAG);
  const status = tag(t, STATUS_TAG);
  out.status = status === undefined ? undefined : statusOf(status);
  out.errorCode = tag(t, ERROR_CODE_TAG);
  out.request = tag(t, REQUEST_TAG);
  return LineKind.WANTED;
}
