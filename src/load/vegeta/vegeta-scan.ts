/**
 * The fast path of reading a `vegeta encode --to json` line: vegeta writes its results with
 * easyjson, always in the same key order (attack, seq, code, timestamp, latency, bytes_out,
 * bytes_in, error, body, method, url, headers), so the few fields mesh-exp needs are found with
 * `indexOf` on their structural keys instead of building every object of the line. A structural
 * key such as `,"code":` cannot occur inside a JSON string (an unescaped `"` never does), so a
 * match is the key itself.
 *
 * Only the common case is scanned: a response (code > 0) with a version header whose value has no
 * escape. Anything else returns `undefined` and the caller parses the line fully
 * (`parseVegetaResult`), so the fast path never has to be right about the rare shapes.
 */
import type { Sample } from '../types.js';
import { REQUEST_FRAGMENT } from './vegeta-target.js';

/** Go's canonical form of a header name (`x-version` → `X-Version`), as vegeta's `headers` keys are. */
export function canonicalHeaderKey(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}

/** Reads the unsigned integer at `at`; -1 when there is none. */
function uint(line: string, at: number): number {
  let n = 0;
  let i = at;
  for (; i < line.length; i++) {
    const c = line.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    n = n * 10 + c;
  }
  return i === at ? -1 : n;
}

/** Converts RFC 3339 timestamps to epoch ms, caching the minute (every line of a run shares a few). */
export function createTimestampReader(): (text: string) => number {
  let cachedKey = '';
  let cachedBase = 0;
  return (text) => {
    // "2026-12-07T02:15:40.711721962Z": minute prefix (17), seconds (2), optional fraction, zone.
    if (text.length < 20 || text.charCodeAt(16) !== 58 /* : */) return Number.NaN;
    let i = 19;
    let fraction = 0;
    if (text.charCodeAt(19) === 46 /* . */) {
      // Date.parse keeps milliseconds (the first three digits); so does this.
      let digits = 0;
      for (i = 20; i < text.length; i++) {
        const c = text.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        if (digits < 3) fraction = fraction * 10 + c;
        digits++;
      }
      if (digits === 0) return Number.NaN;
      for (; digits < 3; digits++) fraction *= 10;
    }
    const seconds = (text.charCodeAt(17) - 48) * 10 + (text.charCodeAt(18) - 48);
    if (!(seconds >= 0 && seconds <= 60)) return Number.NaN;
    const key = text.slice(0, 17) + text.slice(i);
    if (key !== cachedKey) {
      cachedBase = Date.parse(`${text.slice(0, 17)}00${text.slice(i)}`);
      cachedKey = key;
    }
    return cachedBase + seconds * 1000 + fraction;
  };
}

/**
 * A scanner for one run: `versionHeader` is the response header naming the version; `names` the
 * request names by index, read from the URL fragment (see `REQUEST_FRAGMENT`) when not empty.
 */
export function createVegetaScanner(versionHeader: string, names: readonly string[] = []): (line: string) => Sample | undefined {
  const versionKey = `"${canonicalHeaderKey(versionHeader)}":["`;
  const readTime = createTimestampReader();
  return (line) => {
    const codeAt = line.indexOf(',"code":');
    if (codeAt < 0) return undefined;
    const status = uint(line, codeAt + 8);
    if (status <= 0) return undefined;
    const tsAt = line.indexOf(',"timestamp":"', codeAt);
    if (tsAt < 0) return undefined;
    const tsEnd = line.indexOf('"', tsAt + 14);
    const time = readTime(line.slice(tsAt + 14, tsEnd));
    if (Number.isNaN(time)) return undefined;
    const latAt = line.indexOf(',"latency":', tsEnd);
    const latency = latAt < 0 ? -1 : uint(line, latAt + 11);
    if (latency < 0) return undefined;
    // `error` is not read: with a response (code > 0) it only repeats the status ("500 Internal
    // Server Error"), and parseVegetaResult ignores it there too.
    const urlAt = line.indexOf(',"url":"', latAt);
    if (urlAt < 0) return undefined;
    let request: string | undefined;
    if (names.length > 0) {
      const urlEnd = line.indexOf('"', urlAt + 8);
      const url = line.slice(urlAt + 8, urlEnd);
      const at = url.lastIndexOf(REQUEST_FRAGMENT);
      if (urlEnd < 0 || at < 0 || url.includes('\\')) return undefined;
      request = names[Number(url.slice(at + REQUEST_FRAGMENT.length))];
      if (request === undefined) return undefined;
    }
    const headersAt = line.indexOf(',"headers":{', urlAt);
    if (headersAt < 0) return undefined;
    const keyAt = line.indexOf(versionKey, headersAt);
    if (keyAt < 0) return undefined;
    const valueAt = keyAt + versionKey.length;
    const valueEnd = line.indexOf('"', valueAt);
    const version = line.slice(valueAt, valueEnd);
    if (valueEnd < 0 || version.includes('\\')) return undefined;
    const sample: Sample = { time, latencyMs: latency / 1e6, status };
    if (request !== undefined) sample.request = request;
    sample.version = version;
    return sample;
  };
}
