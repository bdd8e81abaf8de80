/**
 * Writes schema/experiment.schema.json from the zod schema: `npm run schema`.
 * Run it after changing src/spec/schema.ts; a unit test fails while the file is stale.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXPERIMENT_SCHEMA_PATH, renderExperimentJsonSchema } from '../src/spec/json-schema.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(repoRoot, EXPERIMENT_SCHEMA_PATH);
await writeFile(target, renderExperimentJsonSchema());
process.stdout.write(`wrote ${path.relative(process.cwd(), target) || target}\n`);
