/**
 * The published JSON Schema of result.json (schema/result.schema.json, `npm run schema`),
 * generated from the zod schema in src/model/result-schema.ts.
 */
import { schemaFileText, toPublishedJsonSchema } from '../experiment/json-schema.js';
import { runResultSchema } from '../model/result-schema.js';

/** `$id` of the generated schema. */
export const RESULT_SCHEMA_ID = 'https://mesh-exp.dev/schema/result.schema.json';

/** Path of the committed schema file, relative to the repository root. */
export const RESULT_SCHEMA_PATH = 'schema/result.schema.json';

/** The JSON Schema (draft 2020-12) of what mesh-exp writes to result.json. */
export function buildResultJsonSchema(): Record<string, unknown> {
  return toPublishedJsonSchema(runResultSchema, { id: RESULT_SCHEMA_ID, title: 'mesh-exp result.json', io: 'output' });
}

/** The schema file's exact text: two-space JSON and a final newline. */
export function renderResultJsonSchema(): string {
  return schemaFileText(buildResultJsonSchema());
}
