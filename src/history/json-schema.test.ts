import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test/support/cli.js';
import { properties } from '../../test/support/json-schema-properties.js';
import { buildHistoryJsonSchema, HISTORY_SCHEMA_PATH, renderHistoryJsonSchema } from './json-schema.js';

describe('history JSON Schema', () => {
  it('is committed and current (run `npm run schema` after changing src/history/entry-schema.ts)', async () => {
    const committed = await readFile(path.join(REPO_ROOT, HISTORY_SCHEMA_PATH), 'utf8').catch(() => '(missing)');
    expect(committed, 'schema/history.schema.json is stale: run `npm run schema`').toBe(renderHistoryJsonSchema());
  });

  it('describes every property', () => {
    const all = properties(buildHistoryJsonSchema());
    expect(all.length).toBeGreaterThan(20);
    const undescribed = all.filter(([, s]) => typeof s['description'] !== 'string' || s['description'] === '').map(([p]) => p);
    expect(undescribed, 'add .describe() to these fields in src/history/entry-schema.ts').toEqual([]);
  });
});
