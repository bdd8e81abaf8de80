/**
 * The JSON Schema of the experiment file, generated from the zod schema (the one source of
 * truth). Editors use it for completion and inline errors via `# yaml-language-server: $schema=…`.
 * `npm run schema` writes it to schema/experiment.schema.json; a test checks that file is current.
 */
import { z } from 'zod';
import { experimentSchema } from './schema.js';

/** `$id` of the generated schema. */
export const EXPERIMENT_SCHEMA_ID = 'https://mesh-exp.dev/schema/experiment.schema.json';

/** Path of the committed schema file, relative to the repository root. */
export const EXPERIMENT_SCHEMA_PATH = 'schema/experiment.schema.json';

/** How a zod schema is published as a JSON Schema file. */
export interface PublishedSchema {
  /** `$id` of the file. */
  id: string;
  /** `title` of the file. */
  title: string;
  /** "input": what users write (before defaults and transforms); "output": what mesh-exp writes. */
  io: 'input' | 'output';
}

/** A zod schema as a JSON Schema (draft 2020-12) with `$id` and `title` after `$schema`. */
export function toPublishedJsonSchema(schema: z.ZodType, how: PublishedSchema): Record<string, unknown> {
  const generated = z.toJSONSchema(schema, { io: how.io, target: 'draft-2020-12', unrepresentable: 'throw' });
  const { $schema, ...rest } = generated as Record<string, unknown>;
  return { $schema, $id: how.id, title: how.title, ...rest };
}

/** A schema file's exact text: two-space JSON and a final newline. */
export function schemaFileText(schema: Record<string, unknown>): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/** Builds the JSON Schema (draft 2020-12) of what users write: input types, before defaults and transforms. */
export function buildExperimentJsonSchema(): Record<string, unknown> {
  return toPublishedJsonSchema(experimentSchema, { id: EXPERIMENT_SCHEMA_ID, title: 'mesh-exp Experiment', io: 'input' });
}

/** The schema file's exact text: two-space JSON and a final newline. */
export function renderExperimentJsonSchema(): string {
  return schemaFileText(buildExperimentJsonSchema());
}
