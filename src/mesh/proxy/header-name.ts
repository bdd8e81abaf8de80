/**
 * Lowercase header names for both HTTP/1.1 parsers (request and response): the names a proxy sees
 * are few and repeat ("Content-Type", "host"), so they come from a bounded cache instead of a new
 * string each time.
 */

const names = new Map<string, string>();
/** The cache stops growing here, so a client sending endless distinct names cannot grow it. */
const MAX_CACHED = 512;

/** `name.toLowerCase()`, from the cache when seen before. */
export function lowerHeaderName(name: string): string {
  let l = names.get(name);
  if (l === undefined) {
    l = name.toLowerCase();
    if (names.size < MAX_CACHED) names.set(name, l);
  }
  return l;
}
