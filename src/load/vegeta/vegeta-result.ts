/**
 * Reads one line of `vegeta encode --to json` (one per request, as the attack runs) into a
 * {@link Sample}, and maps vegeta's error strings (Go's net/http messages) to the same short
 * vocabulary the built-in generator uses.
 */
import type { Sample } from '../types.js';
import type { RequestErrorKind } from '../builtin/classify-error.js';
import { REQUEST_FRAGMENT } from './vegeta-target.js';

/** The fields of a vegeta v12 JSON result line this reader uses. */
interface VegetaResultLine {
  code?: unknown;
  timestamp?: unknown;
  latency?: unknown;
  error?: unknown;
  body?: unknown;
  headers?: unknown;
  url?: unknown;
}

/** Envoy's body for a fault-injection abort, what the local mesh sends too (see send-request.ts). */
const FAULT_ABORT_BODY = 'fault filter abort';

// Go's messages, checked in this order. A dial that timed out is "connect", as the built-in
// generator's connect timeout is; any other timeout wins over what it interrupted.
const PATTERNS: [RegExp, RequestErrorKind][] = [
  [/dial tcp[^(]*i\/o timeout/i, 'connect'],
  [/Client\.Timeout exceeded|deadline exceeded|i\/o timeout|timeout awaiting/i, 'timeout'],
  [/connection refused|no such host|network is unreachable|no route to host|cannot assign requested address|dial tcp/i, 'connect'],
  [/connection reset|broken pipe|EOF|server closed|connection aborted/i, 'reset'],
];

/** Classifies vegeta's `error` of a request that got no response: "timeout", "connect", "reset", else "error". */
export function classifyVegetaError(message: string): RequestErrorKind {
  for (const [pattern, kind] of PATTERNS) if (pattern.test(message)) return kind;
  return 'error';
}

/** The first value of header `name` (any case; Go canonicalizes names) in vegeta's `headers` map. */
function headerValue(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  for (const [key, values] of Object.entries(headers as Record<string, unknown>)) {
    if (key.toLowerCase() !== name) continue;
    if (Array.isArray(values) && typeof values[0] === 'string') return values[0];
  }
  return undefined;
}

/** The request name a result's URL fragment names (see REQUEST_FRAGMENT), or undefined. */
function requestName(url: unknown, names: readonly string[]): string | undefined {
  if (typeof url !== 'string') return undefined;
  const at = url.lastIndexOf(REQUEST_FRAGMENT);
  if (at < 0) return undefined;
  return names[Number(url.slice(at + REQUEST_FRAGMENT.length))];
}

/**
 * Parses one result line; `versionHeader` is lowercase; `names` are the picker's request names
 * (the result's URL fragment indexes them; empty: no picker, no name). Latency is vegeta's: from the ACTUAL send
 * to the end of the response (see `Sample.latencyMs`). Throws a plain Error on a line that is not a
 * vegeta result (the caller turns it into a RuntimeError).
 */
export function parseVegetaResult(line: string, versionHeader: string, names: readonly string[] = []): Sample {
  const r = JSON.parse(line) as VegetaResultLine;
  if (typeof r !== 'object' || r === null || typeof r.code !== 'number' || typeof r.latency !== 'number' || typeof r.timestamp !== 'string') {
    throw new Error(`not a vegeta result line: ${line.slice(0, 200)}`);
  }
  const time = Date.parse(r.timestamp);
  if (Number.isNaN(time)) throw new Error(`vegeta result with a bad timestamp: ${r.timestamp}`);
  const sample: Sample = { time, latencyMs: r.latency / 1e6, status: r.code };
  if (names.length > 0) {
    const name = requestName(r.url, names);
    if (name === undefined) throw new Error(`vegeta result without the request index in its url: ${String(r.url).slice(0, 200)}`);
    sample.request = name;
  }
  // vegeta also sets `error` for a non-2xx/3xx answer ("500 Internal Server Error"): that is a response.
  if (r.code === 0) {
    sample.error = classifyVegetaError(typeof r.error === 'string' ? r.error : '');
    return sample;
  }
  const version = headerValue(r.headers, versionHeader);
  if (version !== undefined) sample.version = version;
  else if (typeof r.body === 'string' && Buffer.from(r.body, 'base64').toString('latin1').trim() === FAULT_ABORT_BODY) {
    sample.meshReply = 'fault-abort';
  }
  return sample;
}
