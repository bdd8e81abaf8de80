/**
 * Values for a JSON Schema node. Mode `valid`: values the schema accepts (an enum's members, a
 * pattern's strings, numbers within the bounds, objects with their required keys), so that a good
 * share of mutated files still runs. Mode `edge`: also values at and just past `minimum`/`maximum`
 * and the length limits, with a share of {@link hostileValue}s mixed in at every level.
 */
import fc from 'fast-check';
import { branchesOf, entrySchema, type JsonSchema } from './schema-fields.js';
import { hostileValue } from './hostile-values.js';

// URLs that lead nowhere: port 9 (discard) on loopback is closed, so a generated address or
// attach URL can never reach a service someone else runs on this machine.
const HARMLESS_URLS = ['http://127.0.0.1:9', 'http://127.0.0.1:9/api', 'https://127.0.0.1:9/', 'http://[::1]:9', 'http://localhost:9/x?y=1', 'ftp://127.0.0.1:9', 'not a url', 'http://'];

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** Which values {@link valueFor} draws. */
export type ValueMode = 'valid' | 'edge';

function numberValue(node: JsonSchema, integer: boolean, mode: ValueMode): fc.Arbitrary<number> {
  const min = num(node['minimum']) ?? num(node['exclusiveMinimum']);
  const max = num(node['maximum']) ?? num(node['exclusiveMaximum']);
  const edges = [min, max].filter((v) => v !== undefined).flatMap((v) => [v, v - 1, v + 1, v - 0.5, v + 0.5]);
  const lo = min ?? -1_000_000;
  const hi = max ?? 1_000_000;
  const inside = integer
    ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) })
    : fc.double({ min: lo, max: hi, noNaN: true, minExcluded: 'exclusiveMinimum' in node, maxExcluded: 'exclusiveMaximum' in node });
  return mode === 'edge' && edges.length > 0 ? fc.oneof(inside, fc.constantFrom(...edges)) : inside;
}

function stringValue(node: JsonSchema, mode: ValueMode): fc.Arbitrary<string> {
  if (node['format'] === 'uri') return fc.constantFrom(...HARMLESS_URLS.slice(0, mode === 'valid' ? 5 : undefined));
  const minLength = num(node['minLength']) ?? 0;
  const maxLength = num(node['maxLength']);
  const edges = [...(minLength > 0 ? ['a'.repeat(minLength - 1)] : []), ...(maxLength !== undefined ? ['a'.repeat(maxLength), 'a'.repeat(maxLength + 1)] : [])];
  const pattern = typeof node['pattern'] === 'string' ? node['pattern'] : undefined;
  const body = pattern
    ? fc.stringMatching(new RegExp(pattern), { size: 'small' }).filter((t) => t.length >= minLength && t.length <= (maxLength ?? Infinity))
    : fc.string({ minLength, maxLength: Math.max(minLength, Math.min(maxLength ?? 30, 30)) });
  return mode === 'edge' && edges.length > 0 ? fc.oneof({ arbitrary: body, weight: 4 }, { arbitrary: fc.constantFrom(...edges), weight: 1 }) : body;
}

/** An arbitrary of values for `node`; `depth` bounds nesting (deeper objects become `{}`). */
export function valueFor(node: JsonSchema, mode: ValueMode, depth = 4): fc.Arbitrary<unknown> {
  const branches = branchesOf(node);
  if (branches.length > 1) return fc.oneof(...branches.map((b) => valueFor(b, mode, depth)));
  if ('const' in node) return fc.constant(node['const']);
  if (Array.isArray(node['enum'])) return fc.constantFrom(...(node['enum'] as unknown[]));
  switch (node['type']) {
    case 'string':
      return stringValue(node, mode);
    case 'number':
      return numberValue(node, false, mode);
    case 'integer':
      return numberValue(node, true, mode);
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const items = node['items'] as JsonSchema | undefined;
      const minLength = num(node['minItems']) ?? 0;
      if (!items || depth <= 0) return fc.constant([]);
      return fc.array(mix(valueFor(items, mode, depth - 1), mode), { minLength: mode === 'valid' ? minLength : 0, maxLength: Math.max(minLength, 4) });
    }
    case 'object':
      return objectValue(node, mode, depth);
    default:
      return mode === 'valid' ? fc.constant({}) : hostileValue;
  }
}

function objectValue(node: JsonSchema, mode: ValueMode, depth: number): fc.Arbitrary<unknown> {
  if (depth <= 0) return fc.constant({});
  const properties = (node['properties'] ?? {}) as Record<string, JsonSchema>;
  const required = new Set((node['required'] as string[] | undefined) ?? []);
  const entry = entrySchema(node);
  if (Object.keys(properties).length === 0) {
    const key = mode === 'valid' ? fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/) : fc.string({ maxLength: 12 });
    return entry ? fc.dictionary(key, mix(valueFor(entry, mode, depth - 1), mode), { maxKeys: 3 }) : fc.constant({});
  }
  const fields = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, mix(valueFor(v, mode, depth - 1), mode)]));
  return fc.record(fields, { requiredKeys: Object.keys(properties).filter((k) => required.has(k)) });
}

const mix = (arb: fc.Arbitrary<unknown>, mode: ValueMode) => (mode === 'edge' ? withHostile(arb) : arb);

/** `arb`, or one time in eight a hostile value instead. */
export function withHostile(arb: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: arb, weight: 7 }, { arbitrary: hostileValue, weight: 1 });
}
