/**
 * Byte-level readers of the fields of a k6 JSON point — time, value, tags — shared by the fast
 * scanner and the JSON.parse fallback, so both turn the same text into the same numbers.
 */
import { ERROR_CODE_TAG, REQUEST_TAG, STATUS_TAG, VERSION_TAG } from './k6-names.js';

/** What a line is. */
export enum LineKind {
  /** A point of a metric nobody asked for. */
  OTHER,
  /** A point of a wanted metric; the fields are filled in. */
  WANTED,
  /** A `{"type":"Metric",...}` declaration. */
  DECLARATION,
  /** Not in a layout the fast scanner vouches for: parse it with JSON.parse. */
  FALLBACK,
  /** Not a k6 JSON line at all. */
  MALFORMED,
}

/** The fields of one point, filled in place (one object reused for every line). */
export interface K6PointFields {
  /** Index of the metric in the wanted list. */
  metric: number;
  /** Sample time, epoch ms (fractional: k6 writes nanoseconds). */
  time: number;
  /** Sample value (ms for time metrics). */
  value: number;
  /** The version tag, when present. */
  version: string | undefined;
  /** The status tag as a number; -1 when it is not 1–6 digits; undefined when absent. */
  status: number | undefined;
  /** The error_code tag, when present. */
  errorCode: string | undefined;
  /** The request tag (the request's name in a scripted load), when present. */
  request: string | undefined;
}

const d = (buf: Uint8Array, i: number) => buf[i]! - 0x30;
const two = (buf: Uint8Array, i: number) => d(buf, i) * 10 + d(buf, i + 1);
const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;

// Where a time's digits are: YYYY-MM-DDTHH:MM:SS, and the offset's ±HH:MM.
const DATE_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
const OFFSET_DIGITS = [1, 2, 4, 5];

let cachedHour = NaN;
let cachedHourMs = NaN;

/**
 * RFC 3339 time as k6 writes it (`2026-01-02T03:04:05.123456789Z` or `+02:00`, 0–9 fraction
 * digits) to epoch ms; NaN for anything else. Date.UTC runs once per hour of timestamps.
 */
export function scanTime(buf: Uint8Array, start: number, end: number): number {
  if (end - start < 20) return NaN;
  for (const i of DATE_DIGITS) if (!isDigit(buf[start + i])) return NaN;
  if (buf[start + 4] !== 0x2d || buf[start + 7] !== 0x2d || buf[start + 10] !== 0x54 || buf[start + 13] !== 0x3a || buf[start + 16] !== 0x3a) return NaN;
  const month = two(buf, start + 5);
  const day = two(buf, start + 8);
  const hour = two(buf, start + 11);
  const minute = two(buf, start + 14);
  const second = two(buf, start + 17);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return NaN;
  let p = start + 19;
  let fractionMs = 0;
  if (buf[p] === 0x2e) {
    let nanos = 0;
    let digits = 0;
    for (p++; isDigit(buf[p]) && p < end; p++) {
      if (++digits > 9) return NaN;
      nanos = nanos * 10 + d(buf, p);
    }
    if (digits === 0) return NaN;
    fractionMs = (nanos * 10 ** (9 - digits)) / 1e6;
  }
  let offsetMin = 0;
  if (buf[p] === 0x5a && p + 1 === end) {
    offsetMin = 0;
  } else if ((buf[p] === 0x2b || buf[p] === 0x2d) && p + 6 === end && buf[p + 3] === 0x3a && OFFSET_DIGITS.every((i) => isDigit(buf[p + i]))) {
    offsetMin = (buf[p] === 0x2d ? -1 : 1) * (two(buf, p + 1) * 60 + two(buf, p + 4));
  } else {
    return NaN;
  }
  const hourKey = (((two(buf, start) * 100 + two(buf, start + 2)) * 100 + month) * 100 + day) * 100 + hour;
  if (hourKey !== cachedHour) {
    cachedHourMs = Date.UTC(two(buf, start) * 100 + two(buf, start + 2), month - 1, day, hour);
    cachedHour = hourKey;
  }
  return cachedHourMs + (minute * 60 + second - offsetMin * 60) * 1000 + fractionMs;
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * A JSON number to a double, exactly as JSON.parse reads it; NaN when it is not one. Up to 15
 * digits without exponent are read by hand (the integer and the power of ten are exact, so one
 * division rounds correctly); anything longer goes through Number().
 */
export function scanNumber(buf: Buffer, start: number, end: number): number {
  let p = start;
  const negative = buf[p] === 0x2d;
  if (negative) p++;
  if (buf[p] === 0x30 && isDigit(buf[p + 1])) return NaN;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  for (; p < end && isDigit(buf[p]); p++, digits++) mantissa = mantissa * 10 + d(buf, p);
  if (digits === 0) return NaN;
  if (p < end && buf[p] === 0x2e) {
    const f0 = ++p;
    for (; p < end && isDigit(buf[p]); p++, digits++) mantissa = mantissa * 10 + d(buf, p);
    scale = p - f0;
    if (scale === 0) return NaN;
  }
  if (p === end && digits <= 15) {
    const v = scale === 0 ? mantissa : mantissa / 10 ** scale;
    return negative ? -v : v;
  }
  const text = buf.toString('latin1', start, end);
  return JSON_NUMBER.test(text) ? Number(text) : NaN;
}

/** The status tag rule both paths share: 1–6 digits, else -1. */
export function statusOf(text: string): number {
  return /^\d{1,6}$/.test(text) ? Number(text) : -1;
}

/** {@link statusOf} on bytes, without making a string. */
function statusBytes(buf: Buffer, start: number, end: number): number {
  if (end <= start || end - start > 6) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    if (!isDigit(buf[i])) return -1;
    n = n * 10 + d(buf, i);
  }
  return n;
}

const VERSION_KEY = Buffer.from(VERSION_TAG);
const STATUS_KEY = Buffer.from(STATUS_TAG);
const ERROR_CODE_KEY = Buffer.from(ERROR_CODE_TAG);
const REQUEST_KEY = Buffer.from(REQUEST_TAG);

function keyIs(buf: Buffer, start: number, end: number, key: Buffer): boolean {
  if (end - start !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (buf[start + i] !== key[i]) return false;
  return true;
}

type TextCache = { bytes: Buffer; text: string }[];

/** Versions and request names are few: their strings are made once, not once per line. */
const versionCache: TextCache = [];
// At most 50 request names (load.requests' cap).
const requestCache: TextCache = [];

function cachedText(cache: TextCache, max: number, buf: Buffer, start: number, end: number): string {
  for (const entry of cache) if (keyIs(buf, start, end, entry.bytes)) return entry.text;
  const text = buf.toString('utf8', start, end);
  if (cache.length < max) cache.push({ bytes: Buffer.from(buf.subarray(start, end)), text });
  return text;
}

/**
 * Index of the `"` closing a plain string whose content starts at `from`, or -1 when there is
 * none in `[from, end)` or the content holds a backslash (an escape: JSON.parse's to read) or a
 * raw control character (JSON.parse refuses those). Strings are short: a JS loop beats a native call.
 */
export function quote(buf: Buffer, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    const c = buf[i]!;
    if (c === 0x22) return i;
    if (c === 0x5c || c < 0x20) return -1;
  }
  return -1;
}

/**
 * Reads `null` or a flat `{"k":"v",...}` map of plain strings (see {@link quote}) at `at`,
 * filling the version/status/error_code/request fields of `out` (null: read and drop). Returns the index
 * after it, or -1 when it is not that shape.
 */
export function readTags(buf: Buffer, at: number, end: number, out: K6PointFields | null): number {
  if (buf[at] === 0x6e) return buf[at + 1] === 0x75 && buf[at + 2] === 0x6c && buf[at + 3] === 0x6c ? at + 4 : -1;
  if (buf[at] !== 0x7b) return -1;
  let p = at + 1;
  if (buf[p] === 0x7d) return p + 1;
  for (;;) {
    if (buf[p] !== 0x22) return -1;
    const k1 = quote(buf, p + 1, end);
    if (k1 < 0 || k1 + 3 >= end || buf[k1 + 1] !== 0x3a || buf[k1 + 2] !== 0x22) return -1;
    const v0 = k1 + 3;
    const v1 = quote(buf, v0, end);
    if (v1 < 0 || v1 >= end) return -1;
    if (out !== null) {
      if (keyIs(buf, p + 1, k1, VERSION_KEY)) out.version = cachedText(versionCache, 32, buf, v0, v1);
      else if (keyIs(buf, p + 1, k1, REQUEST_KEY)) out.request = cachedText(requestCache, 64, buf, v0, v1);
      else if (keyIs(buf, p + 1, k1, STATUS_KEY)) out.status = statusBytes(buf, v0, v1);
      else if (keyIs(buf, p + 1, k1, ERROR_CODE_KEY)) out.errorCode = buf.toString('utf8', v0, v1);
    }
    p = v1 + 1;
    if (buf[p] === 0x2c) p++;
    else return buf[p] === 0x7d ? p + 1 : -1;
  }
}
