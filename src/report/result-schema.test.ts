import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { properties } from '../../test/support/json-schema-properties.js';
import { loadRunResult, RUN_RESULT_FIXTURE } from '../../test/unit/report/fixture.js';
import { runResultSchema } from '../model/result-schema.js';
import { buildResultJsonSchema, RESULT_SCHEMA_ID, RESULT_SCHEMA_PATH, renderResultJsonSchema } from './result-schema.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('result.json JSON Schema', () => {
  it('is committed and current (run `npm run schema` after changing src/model/result-schema.ts)', async () => {
    const committed = await readFile(path.join(repoRoot, RESULT_SCHEMA_PATH), 'utf8').catch(() => '(missing)');
    expect(committed, 'schema/result.schema.json is stale: run `npm run schema`').toBe(renderResultJsonSchema());
  });

  it('describes every property, with an $id and a title', () => {
    const schema = buildResultJsonSchema();
    expect(schema['$id']).toBe(RESULT_SCHEMA_ID);
    expect(schema['title']).toBe('mesh-exp result.json');
    const all = properties(schema);
    expect(all.map(([p]) => p)).toEqual(expect.arrayContaining(['.steps[].timeline', '.steps[].checks[].interval', '.steps[].checks[].interval.confidence']));
    const undescribed = all.filter(([, s]) => typeof s['description'] !== 'string' || s['description'] === '').map(([p]) => p);
    expect(undescribed, 'add .describe() to these fields in src/model/result-schema.ts').toEqual([]);
  });

  it('accepts the fixture (an independent validator, ajv, reading the published file)', async () => {
    const schema = JSON.parse(await readFile(path.join(repoRoot, RESULT_SCHEMA_PATH), 'utf8'));
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
    const data = JSON.parse(await readFile(RUN_RESULT_FIXTURE, 'utf8'));
    expect(validate(data), JSON.stringify(validate.errors)).toBe(true);
    data.steps[0].checks[0].verdict = 'ok';
    data.steps[0].checks[0].interval = { low: 1, high: 2 };
    expect(validate(data)).toBe(false);
    expect(validate.errors!.map((e) => e.instancePath)).toEqual(expect.arrayContaining(['/steps/0/checks/0/verdict', '/steps/0/checks/0/interval']));
  });

  it('reads what the reports were written from, and fills an absent timeline with []', () => {
    const r = loadRunResult();
    expect(runResultSchema.parse(r)).toEqual(r);
    const old = loadRunResult() as unknown as { steps: Record<string, unknown>[] };
    delete old.steps[0]!['timeline'];
    expect(runResultSchema.parse(old).steps[0]!.timeline).toEqual([]);
  });
});
