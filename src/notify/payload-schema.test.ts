import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { properties } from '../../test/support/json-schema-properties.js';
import { buildNotificationJsonSchema, NOTIFICATION_SCHEMA_ID, NOTIFICATION_SCHEMA_PATH, renderNotificationJsonSchema } from './payload-schema.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('notification JSON Schema', () => {
  it('is committed and current (run `npm run schema` after changing src/notify/payload-schema.ts)', async () => {
    const committed = await readFile(path.join(repoRoot, NOTIFICATION_SCHEMA_PATH), 'utf8').catch(() => '(missing)');
    expect(committed, 'schema/notification.schema.json is stale: run `npm run schema`').toBe(renderNotificationJsonSchema());
  });

  it('describes every property, with an $id and a title', () => {
    const schema = buildNotificationJsonSchema();
    expect(schema['$id']).toBe(NOTIFICATION_SCHEMA_ID);
    expect(schema['title']).toBe('mesh-exp notification');
    const all = properties(schema);
    expect(all.length).toBeGreaterThan(30);
    expect(all.filter(([, s]) => typeof s['description'] !== 'string' || s['description'] === '').map(([p]) => p)).toEqual([]);
  });
});
