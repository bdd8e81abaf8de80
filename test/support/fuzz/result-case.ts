/**
 * The result.json fuzz's cases (`mesh-exp report` reading a saved run): the sequential fixture
 * (test/fixtures/report-sequential/result.json) mutated through the result schema's own fields
 * under `steps[].sequential` and `steps[].endedEarly` (set to edge values, deleted, replaced by
 * hostile values, unknown keys), sometimes with thousands of looks or damaged bytes. A case
 * passes when `report` ends in time with a documented exit code and no stack trace or raw
 * JavaScript error, and, when it says it wrote the reports, report.html embeds chart data that is
 * JSON (no NaN, no Infinity) with an entry per sequential test of the file, and summary.md a line
 * per test.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { buildResultJsonSchema } from '../../../src/report/result-schema.js';
import { byteOp, dataOp } from './case-arbitraries.js';
import { outcomeViolations, timed } from './history-case.js';
import { applyByteOps, type ByteOp } from './mutate-bytes.js';
import { applyDataOps, type DataOp } from './mutate-data.js';
import { schemaFields, type SchemaField } from './schema-fields.js';
import { valueFor } from './schema-values.js';

const FIXTURE = new URL('../../fixtures/report-sequential/result.json', import.meta.url);

/** One generated case. */
export interface ResultCase {
  /** Mutations of the fixture's data. */
  ops: DataOp[];
  /** Replace step 2's latency trace's looks by this many generated ones (0: keep them). */
  looks: number;
  /** Damage to the file's bytes. */
  byteOps: ByteOp[];
}

const fields = schemaFields(buildResultJsonSchema()).filter((f) => f.path.includes('sequential') || f.path.includes('endedEarly'));
const keys = [...new Set(fields.flatMap((f) => f.path))];

// Values the schema accepts (e-values of 0 or 1e308, bounds in any order, a decision without a
// crossing…), so that most cases reach the renderers rather than stopping at validation.
const validSet: fc.Arbitrary<DataOp> = fc.oneof(...fields.map((f: SchemaField) => fc.record({ op: fc.constant('set' as const), path: fc.constant(f.path), index: fc.nat(4), value: valueFor(f.schema, 'valid') })));

/** The arbitrary of cases. */
export const resultCaseArbitrary: fc.Arbitrary<ResultCase> = fc.record({
  ops: fc.array(fc.oneof({ arbitrary: validSet, weight: 3 }, { arbitrary: dataOp(fields, keys), weight: 1 }), { minLength: 1, maxLength: 4 }),
  looks: fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: fc.constantFrom(1, 2, 5_000), weight: 1 }),
  byteOps: fc.oneof({ arbitrary: fc.constant([] as ByteOp[]), weight: 6 }, { arbitrary: fc.array(byteOp, { minLength: 1, maxLength: 2 }), weight: 1 }),
});

/** The case's result.json bytes. */
export async function resultBytes(c: ResultCase): Promise<Buffer> {
  const data = JSON.parse(await readFile(FIXTURE, 'utf8')) as { steps: { sequential?: { points: unknown[] }[] }[] };
  const trace = data.steps[1]?.sequential?.[2];
  if (c.looks > 0 && trace) trace.points = Array.from({ length: c.looks }, (_, i) => ({ t: i / 10, eValue: 1.01 ** i, samples: { canary: i, stable: 9 * i }, lower: 0.5, upper: 2 }));
  return applyByteOps(Buffer.from(JSON.stringify(applyDataOps(data, c.ops), null, 2), 'utf8'), c.byteOps);
}

/** Sequential tests per step of data that `report` accepted (it validated it). */
const testsOf = (data: unknown) => ((data as { steps?: { sequential?: unknown[] }[] }).steps ?? []).reduce((n, s) => n + (s.sequential?.length ?? 0), 0);

async function renderedViolations(bytes: Buffer, out: string): Promise<string[]> {
  const tests = testsOf(JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, '')));
  const page = await readFile(path.join(out, 'report.html'), 'utf8').catch(() => '');
  if (!page) return ['report: exit 0 but no report.html'];
  const block = /<script type="application\/json" id="sequential-data">([\s\S]*?)<\/script>/.exec(page);
  const problems: string[] = [];
  if (tests === 0 && block) problems.push('report.html: a sequential section for a run without sequential tests');
  if (tests > 0) {
    if (!block) return ['report.html: no sequential chart data although the run has sequential tests'];
    // JSON.parse refuses NaN and Infinity, which JSON.stringify would have written as null: check for those too.
    const charts = JSON.parse(block[1]!) as { e: (number | null)[] }[];
    if (charts.length !== tests) problems.push(`report.html: ${charts.length} sequential charts for ${tests} tests`);
    if (charts.some((c) => c.e.some((e) => typeof e !== 'number' || !(e > 0)))) problems.push('report.html: an e-value the log axis cannot draw');
  }
  const summary = await readFile(path.join(out, 'summary.md'), 'utf8').catch(() => '');
  const lines = summary.split('\n').filter((l) => l.startsWith('- Step ')).length;
  if (lines !== tests) problems.push(`summary.md: ${lines} sequential lines for ${tests} tests`);
  return problems;
}

/** Writes the case into `dir`, runs `report`, returns what went wrong. */
export async function runResultCase(c: ResultCase, dir: string): Promise<string[]> {
  const saved = path.join(dir, 'saved');
  await mkdir(saved, { recursive: true });
  const bytes = await resultBytes(c);
  await writeFile(path.join(saved, 'result.json'), bytes);
  const out = path.join(dir, 'out');
  const outcome = await timed(['report', saved, '--out', out], dir);
  const problems = outcomeViolations('report', outcome);
  if (typeof outcome !== 'string' && outcome.code === 0) problems.push(...(await renderedViolations(bytes, out)));
  return problems;
}
