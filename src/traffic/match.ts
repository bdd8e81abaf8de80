/**
 * Intersecting Istio match lists. A route mesh-exp inserts before the target route must only catch
 * requests that would have reached the target route anyway, so its match is (target route's match)
 * AND (experiment's match). Conditions of one `HTTPMatchRequest` AND together and entries OR, so
 * the intersection is the cross product of entries, each merged key by key.
 */
import { isDeepStrictEqual } from 'node:util';
import type { HTTPMatchRequest } from '../istio/types.js';

/** Match keys whose values are maps of independent conditions (merged key by key). */
const MAP_KEYS = new Set(['headers', 'withoutHeaders', 'queryParams', 'sourceLabels']);

/** The outcome of merging: the merged entry, or the key both sides constrain differently. */
export type MergeResult = { ok: true; match: HTTPMatchRequest } | { ok: false; key: string };

/** Merges two match entries (AND); fails when both constrain the same key differently. */
export function mergeMatchEntry(a: HTTPMatchRequest, b: HTTPMatchRequest): MergeResult {
  const out: Record<string, unknown> = structuredClone(a);
  for (const [key, value] of Object.entries(b)) {
    if (value === undefined) continue;
    const mine = out[key];
    if (mine === undefined) {
      out[key] = structuredClone(value);
    } else if (key === 'name') {
      // Names are labels for logs, not conditions: keep the target route's.
    } else if (MAP_KEYS.has(key) && typeof mine === 'object' && typeof value === 'object') {
      const merged = { ...(mine as Record<string, unknown>) };
      for (const [inner, cond] of Object.entries(value as Record<string, unknown>)) {
        if (inner in merged && !isDeepStrictEqual(merged[inner], cond)) return { ok: false, key: `${key}.${inner}` };
        merged[inner] = structuredClone(cond);
      }
      out[key] = merged;
    } else if (!isDeepStrictEqual(mine, value)) {
      // e.g. uri prefix "/api" vs "/api/v2": the intersection may exist but is not one StringMatch.
      return { ok: false, key };
    }
  }
  return { ok: true, match: out as HTTPMatchRequest };
}

/**
 * Intersects two match lists (an absent or empty list matches everything). Any pair of entries
 * that constrain the same key differently is an error, never silently dropped: returns that key.
 */
export function intersectMatches(
  routeMatch: HTTPMatchRequest[] | undefined,
  extra: HTTPMatchRequest[],
): { ok: true; match: HTTPMatchRequest[] } | { ok: false; key: string } {
  if (!routeMatch?.length) return { ok: true, match: structuredClone(extra) };
  const match: HTTPMatchRequest[] = [];
  for (const a of routeMatch) {
    for (const b of extra) {
      const merged = mergeMatchEntry(a, b);
      if (!merged.ok) return merged;
      match.push(merged.match);
    }
  }
  return { ok: true, match };
}
