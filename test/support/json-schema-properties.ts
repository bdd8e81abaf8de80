/**
 * Walks a JSON Schema for its property schemas, so schema tests can check that every field of a
 * generated schema is described.
 */

/** A JSON object. */
export type Json = Record<string, unknown>;

/** Every property schema in a JSON Schema, with its dotted path. */
export function properties(node: unknown, at = ''): [string, Json][] {
  if (node === null || typeof node !== 'object') return [];
  const n = node as Json;
  const out: [string, Json][] = [];
  for (const [key, value] of Object.entries((n['properties'] as Record<string, Json> | undefined) ?? {})) {
    out.push([`${at}.${key}`, value], ...properties(value, `${at}.${key}`));
  }
  for (const key of ['items', 'additionalProperties']) out.push(...properties(n[key], `${at}[]`));
  for (const key of ['anyOf', 'oneOf', 'allOf']) {
    ((n[key] as unknown[] | undefined) ?? []).forEach((branch, i) => out.push(...properties(branch, `${at}<${i}>`)));
  }
  for (const def of Object.values((n['$defs'] as Record<string, Json> | undefined) ?? {})) out.push(...properties(def, `${at}$defs`));
  return out;
}
