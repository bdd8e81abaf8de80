import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildExperimentJsonSchema, EXPERIMENT_SCHEMA_ID, EXPERIMENT_SCHEMA_PATH, renderExperimentJsonSchema } from './json-schema.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

type Json = Record<string, unknown>;

/** Every property schema in a JSON Schema, with its dotted path. */
function properties(node: unknown, at = ''): [string, Json][] {
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

describe('experiment JSON Schema', () => {
  it('is committed and current (run `npm run schema` after changing src/spec/schema.ts)', async () => {
    const committed = await readFile(path.join(repoRoot, EXPERIMENT_SCHEMA_PATH), 'utf8').catch(() => '(missing)');
    expect(committed, 'schema/experiment.schema.json is stale: run `npm run schema`').toBe(renderExperimentJsonSchema());
  });

  it('describes every property', () => {
    const all = properties(buildExperimentJsonSchema());
    expect(all.length).toBeGreaterThan(60);
    const undescribed = all.filter(([, s]) => typeof s['description'] !== 'string' || s['description'] === '').map(([p]) => p);
    expect(undescribed, 'add .describe() to these fields in src/spec/schema.ts').toEqual([]);
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
