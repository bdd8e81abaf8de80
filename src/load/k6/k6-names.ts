/**
 * The names the generated k6 script and the JSON ingest agree on: custom metrics, their tags, and
 * how k6 spells response header names. One place, so the script and the reader cannot drift apart.
 */

/** Trend (time) of every request's duration, ms, tagged by version and status. */
export const LATENCY_METRIC = 'mesh_exp_latency';

/** Counter of failed requests (status 0 or >= 500), tagged by version: counts for the summary. */
export const ERRORS_METRIC = 'mesh_exp_errors';

/**
 * Rate of failed requests, tagged by version: what error-rate thresholds judge. A k6 Counter's
 * `rate` is per second, not a share of requests, so the Counter above cannot express "< 1%".
 */
export const FAILED_METRIC = 'mesh_exp_failed';

/** k6's built-in counter of iterations an arrival-rate executor could not start (no free VU). */
export const DROPPED_METRIC = 'dropped_iterations';

/** Tag carrying the serving version (the version response header, or "unknown"). */
export const VERSION_TAG = 'version';

/** Tag carrying the HTTP status as a string ("0" when there was no response). */
export const STATUS_TAG = 'status';

/** Tag carrying the name of the request sent (`load.requests[].name`), for a scripted load only. */
export const REQUEST_TAG = 'request';

/** Tag carrying k6's error code (e.g. "1050" for a timeout) when the request failed without a response. */
export const ERROR_CODE_TAG = 'error_code';

// RFC 7230 token characters: Go leaves any name holding something else exactly as written.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The header name as k6 (Go's `textproto.CanonicalMIMEHeaderKey`) spells it in `res.headers`:
 * "x-version" → "X-Version". Names with a non-token character (e.g. a space) stay as written.
 */
export function canonicalHeaderKey(name: string): string {
  if (!TOKEN.test(name)) return name;
  let upper = true;
  let out = '';
  for (const ch of name) {
    out += upper ? ch.toUpperCase() : ch.toLowerCase();
    upper = ch === '-';
  }
  return out;
}

/**
 * What k6 error codes mean for a request that got no response, in the words of `Sample.error`
 * (k6 docs, "Error codes"); any other code is reported as `k6-<code>`.
 */
const K6_ERRORS: Record<string, string> = {
  '1000': 'unknown',
  '1010': 'network',
  '1020': 'invalid-url',
  '1050': 'timeout',
  '1100': 'dns',
  '1101': 'dns',
  '1200': 'connect',
  '1201': 'reset',
  '1210': 'connect',
  '1211': 'timeout',
  '1212': 'connect',
  '1220': 'reset',
  '1300': 'tls',
  '1310': 'tls',
  '1311': 'tls',
};

/** `Sample.error` for a k6 error code tag value. */
export function describeK6ErrorCode(code: string): string {
  return K6_ERRORS[code] ?? `k6-${code}`;
}
