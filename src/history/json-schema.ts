/**
 * The published JSON Schema of index.jsonl lines (schema/history.schema.json, `npm run schema`),
 * generated from the zod schema in entry-schema.ts.
 */
import { schemaFileText, toPublishedJsonSchema } from '../experiment/json-schema.js';
import { historyEntrySchema } from './entry-schema.js';

/** `$id` of the generated schema. */
export const HISTORY_SCHEMA_ID = 'https://mesh-exp.dev/schema/history.schema.json';

/** Path of the committed schema file, relative to the repository root. */
export const HISTORY_SCHEMA_PATH = 'schema/history.schema.json';

/** The JSON Schema (draft 2020-12) of one line of `<reports root>/index.jsonl`. */
export function buildHistoryJsonSchema(): Record<string, unknown> {
  return toPublishedJsonSchema(historyEntrySchema, { id: HISTORY_SCHEMA_ID, title: 'mesh-exp index.jsonl line', io: 'output' });
}

/** The schema file's exact text: two-space JSON and a final newline. */
export function renderHistoryJsonSchema(): string {
  return schemaFileText(buildHistoryJsonSchema());
}
