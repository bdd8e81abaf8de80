import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { properties, type Json } from '../../test/support/json-schema-properties.js';
import { buildExperimentJsonSchema, EXPERIMENT_SCHEMA_ID, EXPERIMENT_SCHEMA_PATH, renderExperimentJsonSchema } from './json-schema.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('experiment JSON Schema', () => {
  it('is committed and current (run `npm run schema` after changing src/experiment/schema.ts)', async () => {
    const committed = await readFile(path.join(repoRoot, EXPERIMENT_SCHEMA_PATH), 'utf8').catch(() => '(missing)');
    expect(committed, 'schema/experiment.schema.json is stale: run `npm run schema`').toBe(renderExperimentJsonSchema());
  });

  it('describes every property', () => {
    const all = properties(buildExperimentJsonSchema());
    expect(all.length).toBeGreaterThan(60);
    const undescribed = all.filter(([, s]) => typeof s['description'] !== 'string' || s['description'] === '').map(([p]) => p);
    expect(undescribed, 'add .describe() to these fields in src/experiment/schema.ts').toEqual([]);
  });

  it('describes what users write: input types, strict objects, an $id and a title', () => {
    const schema = buildExperimentJsonSchema() as Json & { properties: Record<string, Json> };
    expect(schema['$id']).toBe(EXPERIMENT_SCHEMA_ID);
    expect(schema['title']).toBe('mesh-exp Experiment');
    expect(schema['additionalProperties']).toBe(false);
    expect(schema['required']).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    const interval = properties(schema).find(([p]) => p === '.spec.traffic.shift.interval')?.[1];
    // A duration is a string in the file (milliseconds only after parsing).
    expect(interval?.['type']).toBe('string');
  });
});
