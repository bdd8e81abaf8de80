/**
 * What an HTTP request mesh-exp sends may hold, checked on the experiment file so `validate`
 * refuses what the load generator (undici) would refuse on every request, or silently change:
 * header names are RFC 9110 tokens, header values have no CR, LF, NUL or other control
 * character (the same test as Node's `validateHeaderValue` and undici's `isValidHeaderValue`),
 * and the request path is sent as written (the URL parser would drop tabs and line breaks and
 * encode spaces without a word).
 */

// RFC 9110 §5.6.2 token: the characters a field name may have (undici's tokenRegExp).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// RFC 9110 §5.5 field-vchar, SP and HTAB, plus obs-text (0x80–0xFF): anything else is refused.
const INVALID_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/;
// In a request target: controls, space, DEL and "#" (a fragment is never sent). Non-ASCII is
// fine: it is percent-encoded, which keeps its meaning.
const INVALID_PATH_CHAR = /[\x00-\x20\x7f#]/;

/**
 * Headers the load generator sets itself or cannot send, each with why (lowercase names):
 * undici refuses the hop-by-hop ones and `expect` on every request; `host` and `content-length`
 * would be overridden by load.host and the body.
 */
const RESERVED_HEADERS: ReadonlyMap<string, string> = new Map(Object.entries({
  host: 'the Host header comes from load.host (default target.host); set it there',
  'content-length': 'it is computed from load.body',
  'transfer-encoding': 'it is set by the HTTP client, never by hand',
  connection: 'connections are managed by the load generator',
  'keep-alive': 'connections are managed by the load generator',
  upgrade: 'protocol upgrades are not part of a load test',
  expect: 'the load generator does not support Expect (100-continue)',
}));

/** Names a control character for messages: "CR", "LF", "NUL", or its code, e.g. "U+001B". */
function describeChar(c: string): string {
  const names: Record<string, string> = { '\r': 'a CR (carriage return)', '\n': 'an LF (line feed)', '\0': 'a NUL', ' ': 'a space', '\t': 'a tab', '#': 'a "#"' };
  return names[c] ?? `the character U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Why `name` cannot be a request header's name, or undefined when it can. */
export function headerNameProblem(name: string): string | undefined {
  if (!TOKEN.test(name)) return 'not a valid header name: letters, digits and !#$%&\'*+-.^_`|~ only (RFC 9110 token)';
  // A Map, not an object: "__proto__" or "constructor" must not find Object.prototype's members.
  const reserved = RESERVED_HEADERS.get(name.toLowerCase());
  return reserved === undefined ? undefined : `cannot be set in load.headers: ${reserved}`;
}

/** Why `value` cannot be a header's value (CR, LF, NUL...), or undefined when it can. */
export function headerValueProblem(value: string): string | undefined {
  const bad = INVALID_VALUE_CHAR.exec(value);
  if (!bad) return undefined;
  return `a header value must not contain ${describeChar(bad[0])} (at character ${bad.index + 1})`;
}

/** Whether `name` is a valid field name (an RFC 9110 token). */
export function isHeaderName(name: string): boolean {
  return TOKEN.test(name);
}

/** Why `path` cannot be a request path, or undefined when it is sent exactly as written. */
export function requestPathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'must start with "/"';
  const bad = INVALID_PATH_CHAR.exec(path);
  if (!bad) return undefined;
  return `must not contain ${describeChar(bad[0])} (at character ${bad.index + 1}): it would be dropped or changed before sending`;
}
