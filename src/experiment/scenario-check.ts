/**
 * Reads and checks the files of a load's scenario (each request's bodyFile, the `load.data` file)
 * and its placeholders, for `validate` and `run` alike (issue 18: one refusal path):
 * - every `{{ field }}` names a column of the data (else a problem at the experiment file's field,
 *   with did-you-mean), and placeholders without `load.data` are refused;
 * - every row fills each path and header to a value that can be sent (no CR, LF, space or "#" in a
 *   path, no CR, LF or NUL in a header), else a problem at the row's line in the data file.
 */
import path from 'node:path';
import { moreProblems, type Problem } from '../errors.js';
import { dataFormatOf, parseDataRows } from '../input/data-rows.js';
import { suggestionHint } from '../input/did-you-mean.js';
import { headerValueProblem, requestPathProblem } from '../input/http-syntax.js';
import { formatPath } from '../input/locate.js';
import { fillTemplate, parseTemplate } from '../input/placeholders.js';
import { readUserText } from '../input/read-user-file.js';
import type { RuleProblem } from './rule-types.js';
import { resolveRequests, type Scenario, type ScenarioData, type TemplateSource } from './scenario.js';
import type { LoadSpec } from './schema.js';

/** Largest data file: rows are held in memory for the run. */
export const MAX_DATA_BYTES = 8 * 1024 * 1024;

/** Most row problems listed per data file (the rest are counted). */
const MAX_ROW_PROBLEMS = 20;

/** Where the scenario's files are. */
export interface ScenarioFiles {
  /** Absolute directory of the experiment file (relative paths resolve against it). */
  dir: string;
  /** The experiment file's directory as the user named it (for problem locations). */
  displayDir: string;
}

/** The outcome: the scenario when everything is right, problems in the experiment file (`here`) and in the other files (`there`). */
export interface ScenarioCheck {
  /** Set only when there is no problem. */
  scenario?: Scenario;
  /** Problems at fields of the experiment file, not yet located. */
  here: RuleProblem[];
  /** Problems located in a data or body file. */
  there: Problem[];
}

/** Reads a user file; a file that cannot be opened is a problem at `at` in the experiment file. */
async function readAt(name: string, at: RuleProblem['path'], files: ScenarioFiles, out: ScenarioCheck, maxBytes?: number): Promise<string | undefined> {
  const display = path.join(files.displayDir, name);
  const read = await readUserText(path.resolve(files.dir, name), display, maxBytes === undefined ? {} : { maxBytes });
  for (const p of read.problems) {
    // Not found, a directory, permission denied: said at the field naming the file.
    if (p.line === 1 && p.col === 1 && !/over the|UTF-8|encoding/.test(p.message)) out.here.push({ path: at, message: `"${display}": ${p.message}`, ...(p.hint ? { hint: p.hint } : {}) });
    else out.there.push(p);
  }
  return read.text;
}

async function readData(load: LoadSpec, files: ScenarioFiles, out: ScenarioCheck): Promise<ScenarioData | undefined> {
  const data = load.data;
  if (data === undefined) return undefined;
  const format = data.format ?? dataFormatOf(data.file);
  const text = await readAt(data.file, ['spec', 'load', 'data', 'file'], files, out, MAX_DATA_BYTES);
  if (text === undefined || format === undefined) return undefined;
  const parsed = parseDataRows(text, path.join(files.displayDir, data.file), format);
  if ('problem' in parsed) {
    out.there.push(parsed.problem);
    return undefined;
  }
  return { ...parsed, file: data.file, order: data.order };
}

/** Placeholders naming no column (or used without data). */
function checkFields(sources: TemplateSource[], data: ScenarioData | undefined, out: ScenarioCheck): void {
  const reported = new Set<string>();
  for (const s of sources) {
    for (const field of parseTemplate(s.text).fields) {
      const key = `${s.at.join('\0')}\0${field}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const inFile = s.bodyFile !== undefined ? ` (in ${s.bodyFile})` : '';
      if (data === undefined) {
        out.here.push({ path: s.at, message: `{{ ${field} }}${inFile} has no data to fill it: load.data is not set`, hint: `add load.data: {file: rows.csv} with a column "${field}"` });
      } else if (!data.columns.includes(field)) {
        const hint = suggestionHint(field, data.columns, `columns of ${data.file}`);
        out.here.push({ path: s.at, message: `{{ ${field} }}${inFile}: no column "${field}" in ${data.file} (columns: ${data.columns.join(', ')})`, ...(hint ? { hint } : {}) });
      }
    }
  }
}

/** Every row fills every path and header to something sendable; problems at the row's line. */
function checkRows(sources: TemplateSource[], data: ScenarioData, dataFile: string, out: ScenarioCheck): void {
  // A load-level template serves every request: checked once.
  const seen = new Set<string>();
  const checks = sources
    .filter((s) => s.place !== 'body' && !seen.has(formatPath(s.at)) && seen.add(formatPath(s.at)))
    .map((s) => ({ field: formatPath(s.at), t: parseTemplate(s.text), problemOf: s.place === 'path' ? requestPathProblem : headerValueProblem }))
    .filter((c) => c.t.fields.length > 0);
  if (checks.length === 0) return;
  const index = new Map(data.columns.map((c, i) => [c, i]));
  let found = 0;
  for (const row of data.rows) {
    for (const { field, t, problemOf } of checks) {
      const problem = problemOf(fillTemplate(t, (f) => row.values[index.get(f) ?? -1]));
      if (problem === undefined) continue;
      if (++found <= MAX_ROW_PROBLEMS) {
        const used = t.fields.map((f) => `{{ ${f} }}`).join(', ');
        out.there.push({ file: dataFile, line: row.line, col: 1, path: '', message: `this row fills ${field} (${used}) with a value that cannot be sent: it ${problem.replace(/^a header value must/, 'must')}`, hint: `fix the row's ${t.fields.join(', ')}` });
      }
    }
  }
  if (found > MAX_ROW_PROBLEMS) out.there.push(moreProblems(found - MAX_ROW_PROBLEMS, 'problem', { file: dataFile, line: 1, col: 1 }));
}

/**
 * Reads and checks the scenario of `load` (a load that parsed). Never throws for a user mistake.
 */
export async function checkScenario(load: LoadSpec, files: ScenarioFiles): Promise<ScenarioCheck> {
  const out: ScenarioCheck = { here: [], there: [] };
  const bodies = new Map<number, string>();
  for (const [i, r] of (load.requests ?? []).entries()) {
    if (r.bodyFile === undefined) continue;
    const text = await readAt(r.bodyFile, ['spec', 'load', 'requests', i, 'bodyFile'], files, out);
    if (text !== undefined) bodies.set(i, text);
  }
  const data = await readData(load, files, out);
  const { requests, sources } = resolveRequests(load, bodies);
  // Fields are judged only against a data file that was read; one that was not is its own problem.
  if (data !== undefined || load.data === undefined) checkFields(sources, data, out);
  if (data !== undefined && out.here.length === 0) checkRows(sources, data, path.join(files.displayDir, data.file), out);
  if (out.here.length > 0 || out.there.length > 0) return out;
  const scripted = load.requests !== undefined || load.data !== undefined;
  out.scenario = { requests, ...(data ? { data } : {}), seed: load.seed, scripted };
  return out;
}
