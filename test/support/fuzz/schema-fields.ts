/**
 * The fields of a JSON Schema as a flat list, so the fuzzer can set any of them: built at test
 * time from the zod schema (`buildExperimentJsonSchema()`), a field added to the schema is fuzzed
 * without a change to the suite.
 */

/** A JSON Schema node (draft 2020-12, as zod's toJSONSchema writes it). */
export type JsonSchema = Record<string, unknown>;

/** A step of a field's path: a property name, `[]` for "an item of this array", `*` for "a key of this map". */
export type FieldStep = string;

/** One field: where it is and the schema its value follows. */
export interface SchemaField {
  /** Steps from the document root, e.g. ["spec", "slos", "[]", "max"]. */
  path: FieldStep[];
  /** The schema of the field's value. */
  schema: JsonSchema;
}

/** The marker step of an array item. */
export const ITEM = '[]';
/** The marker step of a map entry (a record's key). */
export const ENTRY = '*';

const asSchema = (v: unknown): JsonSchema | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonSchema) : undefined);

/** The branches of a union node (oneOf / anyOf), or the node itself. */
export function branchesOf(node: JsonSchema): JsonSchema[] {
  const branches = [...((node['oneOf'] as unknown[]) ?? []), ...((node['anyOf'] as unknown[]) ?? [])].map(asSchema).filter((b) => b !== undefined);
  return branches.length > 0 ? branches : [node];
}

/** The schema of a map's values, when `additionalProperties` is a schema that says something. */
export function entrySchema(node: JsonSchema): JsonSchema | undefined {
  const extra = asSchema(node['additionalProperties']);
  return extra && Object.keys(extra).length > 0 ? extra : undefined;
}

/**
 * Every field of `root`, depth first, each union branch's fields under the same path (the data
 * decides which branch applies). Array items and map entries are fields too (`[]`, `*`).
 */
export function schemaFields(root: JsonSchema, maxDepth = 12): SchemaField[] {
  const out: SchemaField[] = [];
  const walk = (node: JsonSchema, path: FieldStep[]) => {
    if (path.length >= maxDepth) return;
    for (const branch of branchesOf(node)) {
      for (const [key, child] of Object.entries(asSchema(branch['properties']) ?? {})) {
        const schema = asSchema(child);
        if (!schema) continue;
        out.push({ path: [...path, key], schema });
        walk(schema, [...path, key]);
      }
      const items = asSchema(branch['items']);
      if (items) {
        out.push({ path: [...path, ITEM], schema: items });
        walk(items, [...path, ITEM]);
      }
      const entry = entrySchema(branch);
      if (entry) {
        out.push({ path: [...path, ENTRY], schema: entry });
        walk(entry, [...path, ENTRY]);
      }
    }
  };
  walk(root, []);
  return out;
}

/** A field's path as people read it: `spec.slos[].max`, `metadata.labels.*`. */
export function formatFieldPath(path: readonly FieldStep[]): string {
  return path.map((s, i) => (s === ITEM ? '[]' : i === 0 ? s : `.${s}`)).join('');
}
