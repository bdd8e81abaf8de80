/**
 * The history fuzz's cases: an index.jsonl made of valid lines (plain and with seeded latency
 * buckets), lines mutated through the history schema's own fields (set, delete, replace by a
 * hostile value, unknown keys), raw junk lines, then byte-level damage to the whole file; and
 * fuzzed `history` / `report --trend` flags. A case passes when every command ends in time with a
 * documented exit code and no stack trace or raw JavaScript error, and when every non-blank line
 * is either listed or skipped with its own warning.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import { buildHistoryJsonSchema } from '../../../src/history/json-schema.js';
import { runCliInProcess, type CliOutcome } from '../cli.js';
import { historyEntry, seededRun } from '../history-entries.js';
import { byteOp, dataOp } from './case-arbitraries.js';
import { DOCUMENTED_CODES, RAW_JS_ERROR, STACK_TRACE } from './case-checks.js';
import { EXTREME_UNIT_STRINGS, NASTY_STRINGS } from './hostile-values.js';
import { applyByteOps, type ByteOp } from './mutate-bytes.js';
import { applyDataOps, type DataOp } from './mutate-data.js';
import { schemaFields } from './schema-fields.js';

/** One generated case. */
export interface HistoryCase {
  /** The index's lines before byte damage: a base entry and the ops applied to it, or raw text. */
  lines: ({ base: 'plain' | 'seeded'; experiment: string; ops: DataOp[] } | { raw: string })[];
  /** Damage to the whole file. */
  byteOps: ByteOp[];
  /** What stands where index.jsonl should be. */
  kind: 'regular' | 'missing' | 'directory';
  /** Flags given to both commands. */
  flags: string[];
}

const fields = schemaFields(buildHistoryJsonSchema());
const keys = [...new Set(fields.flatMap((f) => f.path))];
const experiment = fc.oneof(fc.constantFrom('reviews-canary', 'other'), fc.constantFrom(...NASTY_STRINGS));
const line = fc.oneof(
  { arbitrary: fc.record({ base: fc.constantFrom('plain' as const, 'seeded' as const), experiment, ops: fc.constant([] as DataOp[]) }), weight: 4 },
  { arbitrary: fc.record({ base: fc.constantFrom('plain' as const, 'seeded' as const), experiment, ops: fc.array(dataOp(fields, keys), { minLength: 1, maxLength: 3 }) }), weight: 4 },
  { arbitrary: fc.record({ raw: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('{', '[]', 'null', '1', '"x"', '{"schemaVersion":1}', '\r', ' ', '\u2028')) }), weight: 1 },
);
const span = fc.oneof(fc.constantFrom('30d', '12h', '1ms', '0d', '1w2d', '1.5d', '99999999999999999999d'), fc.constantFrom(...EXTREME_UNIT_STRINGS), fc.string({ maxLength: 10 }));
const flags = fc
  .record({ since: fc.option(span, { nil: undefined }), experiment: fc.option(experiment, { nil: undefined }) })
  .map(({ since, experiment: name }) => [...(since !== undefined ? ['--since', since] : []), ...(name !== undefined ? ['--experiment', name] : [])]);

/** The arbitrary of cases. */
export const historyCaseArbitrary: fc.Arbitrary<HistoryCase> = fc.record({
  lines: fc.array(line, { maxLength: 12 }),
  byteOps: fc.oneof({ arbitrary: fc.constant([] as ByteOp[]), weight: 3 }, { arbitrary: fc.array(byteOp, { minLength: 1, maxLength: 2 }), weight: 1 }),
  kind: fc.oneof({ arbitrary: fc.constant('regular' as const), weight: 20 }, { arbitrary: fc.constantFrom('missing' as const, 'directory' as const), weight: 1 }),
  flags,
});

/** The index file's bytes for a case. */
export function historyBytes(c: HistoryCase): Buffer {
  const text = c.lines
    .map((l, i) => {
      if ('raw' in l) return l.raw;
      const base = l.base === 'seeded' ? { ...seededRun(i, i * 60_000), experiment: l.experiment } : historyEntry(l.experiment, i * 60_000);
      return JSON.stringify(applyDataOps(base, l.ops));
    })
    .join('\n');
  return applyByteOps(Buffer.from(c.lines.length ? `${text}\n` : '', 'utf8'), c.byteOps);
}

/** Longest any one command may take: reading, judging and rendering a dozen lines is milliseconds. */
const COMMAND_MS = 5_000;

/** Runs the CLI in-process in `cwd`; a string says how it failed to end (late, or runCli rejected). Also used by the result.json fuzz. */
export async function timed(argv: string[], cwd: string): Promise<CliOutcome | string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`did not end within ${COMMAND_MS} ms`), COMMAND_MS)));
  try {
    return await Promise.race([runCliInProcess(argv, cwd), late]);
  } catch (err) {
    return `runCli rejected: ${(err as Error).stack ?? String(err)}`;
  } finally {
    clearTimeout(timer);
  }
}

/** What is wrong with a command's outcome: an undocumented exit code, a stack trace, a raw JavaScript error. Also used by the result.json fuzz. */
export function outcomeViolations(name: string, o: CliOutcome | string): string[] {
  if (typeof o === 'string') return [`${name}: ${o}`];
  const out: string[] = [];
  if (!DOCUMENTED_CODES.has(o.code)) out.push(`${name}: exit code ${o.code} is not documented`);
  const text = `${o.stdout}\n${o.stderr}`;
  const trace = STACK_TRACE.exec(text);
  if (trace) out.push(`${name}: stack trace or internal error: ${JSON.stringify(trace[0])}`);
  const raw = RAW_JS_ERROR.exec(text);
  if (raw) out.push(`${name}: a raw JavaScript error reached the output near ${JSON.stringify(text.slice(Math.max(0, raw.index - 80), raw.index + 80))}`);
  return out;
}

/** Writes the case into `dir` (its own reports root), runs the commands, returns what went wrong. */
export async function runHistoryCase(c: HistoryCase, dir: string): Promise<string[]> {
  const reports = path.join(dir, 'reports');
  await mkdir(reports, { recursive: true });
  const index = path.join(reports, 'index.jsonl');
  const bytes = historyBytes(c);
  if (c.kind === 'regular') await writeFile(index, bytes);
  if (c.kind === 'directory') await mkdir(index);
  const out: string[] = [];
  const all = await timed(['history', '--output', 'json'], dir);
  out.push(...outcomeViolations('history --output json', all));
  if (c.kind === 'regular' && typeof all !== 'string' && all.code === 0) {
    // Every non-blank line is either a run or one warning naming it (the reader decodes as UTF-8).
    const nonBlank = bytes.toString('utf8').split('\n').filter((l) => l.trim() !== '').length;
    const runs = (JSON.parse(all.stdout) as { runs: unknown[] }).runs.length;
    const warned = all.stderr.split('\n').filter((l) => l.startsWith('warning: skipped reports/index.jsonl:')).length;
    if (runs + warned !== nonBlank) out.push(`history: ${nonBlank} non-blank lines but ${runs} runs and ${warned} skip warnings`);
  }
  for (const argv of [['history', ...c.flags], ['report', '--trend', '--out', 'trend-out', ...c.flags]]) out.push(...outcomeViolations(argv.join(' '), await timed(argv, dir)));
  return out;
}
