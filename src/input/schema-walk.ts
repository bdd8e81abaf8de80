/**
 * Walks a zod 4 schema along a data path, so messages can name what IS allowed at a spot: the
 * keys of an object (for did-you-mean), the values of an enum, the description of a field.
 * Wrappers (optional, default, prefault, nullable, readonly, catch, pipe/transform, lazy) are
 * looked through; discriminated unions pick the branch the data selects.
 */
import { z } from 'zod';
import type { PathSegment } from './locate.js';

/** Any zod 4 schema. */
export type AnySchema = z.core.$ZodType;

/**
 * Parse options for a document checked once per process (an experiment file, a manifest): no
 * `new Function` fast path. zod compiles one per object schema on its first parse, which costs more
 * than it saves on a single document (about 10 ms of `mesh-exp validate`'s start-up).
 */
export const PARSE_ONCE = { jitless: true } as const;

/** The few `_zod.def` fields the walk reads (zod 4's internal definition object). */
interface LooseDef {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  valueType?: AnySchema;
  options?: readonly AnySchema[];
  discriminator?: string;
  values?: readonly unknown[];
  entries?: Record<string, unknown>;
  getter?: () => AnySchema;
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional', 'success']);

function defOf(schema: AnySchema): LooseDef {
  return schema._zod.def as unknown as LooseDef;
}

/** The wrapped schema a wrapper stands for, or undefined for a non-wrapper. */
function innerOf(schema: AnySchema): AnySchema | undefined {
  const def = defOf(schema);
  if (WRAPPERS.has(def.type)) return def.innerType;
  // A pipe's input side is what the user writes (e.g. the duration string before its transform).
  if (def.type === 'pipe') return def.in;
  if (def.type === 'lazy') return def.getter?.();
  return undefined;
}

/** Every layer of a schema from the outside in: `x.optional().describe()` → [described, optional, x]. */
export function layersOf(schema: AnySchema): AnySchema[] {
  const layers = [schema];
  let s: AnySchema | undefined = schema;
  for (let i = 0; i < 32 && (s = innerOf(s)); i++) layers.push(s);
  return layers;
}

/** The schema with its wrappers removed. */
export function unwrap(schema: AnySchema): AnySchema {
  return layersOf(schema).at(-1)!;
}

function asRecord(data: unknown): Record<string, unknown> | undefined {
  return data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
}

/** The options of a union that the data can belong to (the one its discriminator names, else all). */
function unionBranches(def: LooseDef, data: unknown): AnySchema[] {
  const options = [...(def.options ?? [])];
  const disc = def.discriminator;
  const value = disc === undefined ? undefined : asRecord(data)?.[disc];
  if (disc === undefined || value === undefined) return options;
  const chosen = options.filter((o) => {
    const field = defOf(unwrap(o)).shape?.[disc];
    return field !== undefined && (defOf(unwrap(field)).values ?? []).includes(value);
  });
  return chosen.length > 0 ? chosen : options;
}

/** The schema for one child of `schema`, given the parent's data (to pick union branches). */
function childOf(schema: AnySchema, seg: PathSegment, data: unknown): AnySchema | undefined {
  const inner = unwrap(schema);
  const def = defOf(inner);
  switch (def.type) {
    case 'object':
      return def.shape?.[String(seg)];
    case 'array':
      return def.element;
    case 'record':
      return def.valueType;
    case 'union':
      for (const branch of unionBranches(def, data)) {
        const child = childOf(branch, seg, data);
        if (child) return child;
      }
      return undefined;
    default:
      return undefined;
  }
}

function childData(data: unknown, seg: PathSegment): unknown {
  if (Array.isArray(data) && typeof seg === 'number') return data[seg];
  return asRecord(data)?.[String(seg)];
}

/** The (still wrapped) schema of the field at `path`, or undefined when the path leaves the schema. */
export function schemaAt(root: AnySchema, path: readonly PropertyKey[], data: unknown): AnySchema | undefined {
  let schema: AnySchema | undefined = root;
  let d = data;
  for (const seg of path) {
    if (!schema || typeof seg === 'symbol') return undefined;
    schema = childOf(schema, seg, d);
    d = childData(d, seg);
  }
  return schema;
}

/** The data at `path` (undefined when absent). */
export function dataAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let d = data;
  for (const seg of path) {
    if (typeof seg === 'symbol') return undefined;
    d = childData(d, seg);
  }
  return d;
}

/** The keys an object accepts at `path` (all branches' keys for an undecided union); [] when not an object. */
export function allowedKeysAt(root: AnySchema, path: readonly PropertyKey[], data: unknown): string[] {
  const schema = schemaAt(root, path, data);
  if (!schema) return [];
  const here = dataAt(data, path);
  const keys = (s: AnySchema): string[] => {
    const def = defOf(unwrap(s));
    if (def.type === 'object') return Object.keys(def.shape ?? {});
    if (def.type === 'union') return unionBranches(def, here).flatMap(keys);
    return [];
  };
  return [...new Set(keys(schema))];
}

/** The description of the field at `path` without its `@default …` note, if the schema has one. */
export function descriptionAt(root: AnySchema, path: readonly PropertyKey[], data: unknown): string | undefined {
  const schema = schemaAt(root, path, data);
  if (!schema) return undefined;
  for (const layer of layersOf(schema)) {
    const text = z.globalRegistry.get(layer)?.description;
    if (text) return text.replace(/\s*@default\b.*$/s, '').trim();
  }
  return undefined;
}
