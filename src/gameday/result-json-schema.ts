/**
 * The published JSON Schema of a game day's result.json (schema/gameday-result.schema.json,
 * `npm run schema`), generated from the zod schema in src/model/gameday-result-schema.ts.
 */
import { schemaFileText, toPublishedJsonSchema } from '../experiment/json-schema.js';
import { gameDayResultSchema } from '../model/gameday-result-schema.js';

/** `$id` of the generated schema. */
export const GAMEDAY_RESULT_SCHEMA_ID = 'https://mesh-exp.dev/schema/gameday-result.schema.json';

/** Path of the committed schema file, relative to the repository root. */
export const GAMEDAY_RESULT_SCHEMA_PATH = 'schema/gameday-result.schema.json';

/** The JSON Schema (draft 2020-12) of what a game day writes to its result.json. */
export function buildGameDayResultJsonSchema(): Record<string, unknown> {
  return toPublishedJsonSchema(gameDayResultSchema, { id: GAMEDAY_RESULT_SCHEMA_ID, title: 'mesh-exp game day result.json', io: 'output' });
}

/** The schema file's exact text: two-space JSON and a final newline. */
export function renderGameDayResultJsonSchema(): string {
  return schemaFileText(buildGameDayResultJsonSchema());
}
