/**
 * Writes the JSON Schemas generated from the zod schemas: `npm run schema`.
 * schema/experiment.schema.json (from src/experiment/schema.ts: what users write) and
 * schema/result.schema.json (from src/report/result-schema.ts: what a run writes to result.json) and
 * schema/gameday-result.schema.json (from src/gameday/result-json-schema.ts: a game day's result.json).
 * schema/notification.schema.json (from src/notify/payload-schema.ts: what a "webhook" notification POSTs).
 * schema/history.schema.json (from src/history/entry-schema.ts: a line of reports/index.jsonl).
 * Run it after changing either; a unit test fails while a committed file is stale.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESULT_SCHEMA_PATH, renderResultJsonSchema } from '../src/report/result-schema.js';
import { EXPERIMENT_SCHEMA_PATH, renderExperimentJsonSchema } from '../src/experiment/json-schema.js';
import { GAMEDAY_RESULT_SCHEMA_PATH, renderGameDayResultJsonSchema } from '../src/gameday/result-json-schema.js';
import { NOTIFICATION_SCHEMA_PATH, renderNotificationJsonSchema } from '../src/notify/payload-schema.js';
import { HISTORY_SCHEMA_PATH, renderHistoryJsonSchema } from '../src/history/json-schema.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
for (const [file, text] of [
  [EXPERIMENT_SCHEMA_PATH, renderExperimentJsonSchema()],
  [RESULT_SCHEMA_PATH, renderResultJsonSchema()],
  [GAMEDAY_RESULT_SCHEMA_PATH, renderGameDayResultJsonSchema()],
  [NOTIFICATION_SCHEMA_PATH, renderNotificationJsonSchema()],
  [HISTORY_SCHEMA_PATH, renderHistoryJsonSchema()],
] as const) {
  const target = path.join(repoRoot, file);
  await writeFile(target, text);
  process.stdout.write(`wrote ${path.relative(process.cwd(), target) || target}\n`);
}
