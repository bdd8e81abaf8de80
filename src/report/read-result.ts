/**
 * Reads a saved run back: `<run-dir>/result.json` (or a result.json named directly), checked
 * against the result schema; or a game day's (kind "GameDay"), against the game-day result schema. Every problem is a user error naming the file, the line and the
 * field (exit 2), never a stack trace: a result.json may have been edited, truncated or written
 * by another mesh-exp version.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { UsageError, ValidationError, type Problem } from '../errors.js';
import type { GameDayResult } from '../model/gameday-result.js';
import { gameDayResultSchema } from '../model/gameday-result-schema.js';
import type { RunResult } from '../model/result.js';
import { problemsFromIssues } from '../input/issues.js';
import { parseYamlDocument, readYamlText } from '../input/load-yaml.js';
import { JSON_REPORT_FILE } from './json-reporter.js';
import { runResultSchema } from '../model/result-schema.js';

/** A run read back from disk. */
export interface SavedRun {
  /** The result, validated (defaults filled in, e.g. an absent `timeline` is []). */
  result: RunResult;
  /** The result.json read, as the user would name it (relative to cwd when given relative). */
  file: string;
  /** The run directory (the folder holding result.json), absolute. */
  dir: string;
}

// A one-hour run at 1,000 req/s writes about 2 MB; leave room for far longer runs.
const MAX_BYTES = 256 * 1024 * 1024;

/** `<arg>/result.json` when `arg` is a directory, `arg` itself when it is a file. */
async function resultFile(arg: string, cwd: string): Promise<{ abs: string; shown: string }> {
  const abs = path.resolve(cwd, arg);
  const info = await stat(abs).catch(() => undefined);
  if (!info) {
    throw new UsageError(`${arg}: no such run directory`, { hint: 'pass the directory `mesh-exp run` wrote (reports/<name>-<timestamp>/), or its result.json' });
  }
  if (!info.isDirectory()) return { abs, shown: arg };
  return { abs: path.join(abs, JSON_REPORT_FILE), shown: path.join(arg, JSON_REPORT_FILE) };
}

/** Line and column of a JSON.parse error, from the "(line L column C)" or "at position N" V8 adds. */
function jsonErrorAt(text: string, message: string): { line: number; col: number } {
  const lc = /\(line (\d+) column (\d+)\)/.exec(message);
  if (lc) return { line: Number(lc[1]), col: Number(lc[2]) };
  const pos = /at position (\d+)/.exec(message);
  if (!pos) return { line: 1, col: 1 };
  const before = text.slice(0, Number(pos[1]));
  return { line: before.split('\n').length, col: before.length - before.lastIndexOf('\n') };
}

/** Problems of text that JSON.parse refused: where, and what V8 said without its echo of the text. */
function syntaxProblems(text: string, file: string, err: unknown): Problem[] {
  const message = (err as Error).message;
  // V8 quotes the start of the text ('Unexpected token }, "{"a": …" is not valid JSON'): drop the quote.
  const plain = message.replace(/, ".*" is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '');
  return [{ file, ...jsonErrorAt(text, message), path: '', message: `not valid JSON: ${plain}` }];
}

/** Checks the version before the shape, so a newer file gets one clear message, not fifty. */
function checkVersion(data: unknown, file: string): void {
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version !== 1) {
    throw new UsageError(`${file}: schemaVersion ${version} is not one this mesh-exp reads (it reads 1)`, {
      hint: version > 1 ? 'the run was written by a newer mesh-exp: report it with that version' : 'the file is damaged: schemaVersion must be 1',
    });
  }
}

/** A result.json read and parsed as JSON, its shape not yet checked. */
interface ReadJson {
  data: unknown;
  text: string;
  /** As the user would name it. */
  shown: string;
  /** Absolute path. */
  abs: string;
}

async function readResultJson(arg: string, cwd: string): Promise<ReadJson> {
  const { abs, shown } = await resultFile(arg, cwd);
  const read = await readYamlText(abs, shown, { maxBytes: MAX_BYTES });
  if (read.text === undefined) {
    const missing = read.problems.some((p) => p.message === 'file not found');
    if (missing) throw new UsageError(`${shown}: not found`, { hint: `${arg} is not a run directory: \`mesh-exp run\` writes result.json into each one` });
    throw new ValidationError(read.problems);
  }
  let data: unknown;
  try {
    data = JSON.parse(read.text);
  } catch (err) {
    throw new ValidationError(syntaxProblems(read.text, shown, err), { hint: 'result.json is written by `mesh-exp run`; a truncated or hand-edited file cannot be reported' });
  }
  checkVersion(data, shown);
  return { data, text: read.text, shown, abs };
}

/** `read`'s data checked against `schema`; every problem located (`file:line:col path: message`). */
function checked<S extends z.ZodType>(read: ReadJson, schema: S, schemaFile: string): z.output<S> {
  const parsed = schema.safeParse(read.data);
  if (parsed.success) return parsed.data;
  // Locating needs the document with node ranges; only a broken file pays for parsing it twice.
  const { source } = parseYamlDocument(read.text, read.shown, { maxBytes: MAX_BYTES });
  const problems = source
    ? problemsFromIssues(parsed.error.issues, { ...source, schema })
    : parsed.error.issues.map((i) => ({ file: read.shown, path: i.path.join('.'), message: i.message }));
  throw new ValidationError(problems, { hint: `not a result.json this mesh-exp can read: see ${schemaFile}` });
}

/** Whether parsed result.json data is a game day's (kind "GameDay") rather than a run's. */
const isGameDayData = (data: unknown) => (data as { kind?: unknown } | null)?.kind === 'GameDay';

/** A game day's result read back from disk. */
export interface SavedGameDay {
  /** The game day's result, validated. */
  result: GameDayResult;
  /** The result.json read, as the user would name it. */
  file: string;
  /** The game day's directory (the folder holding result.json), absolute. */
  dir: string;
}

/** A saved run or a saved game day, told apart by the result's `kind`. */
export type SavedResult = { kind: 'run'; saved: SavedRun } | { kind: 'game-day'; saved: SavedGameDay };

/**
 * Reads and validates a saved run's or game day's result.json (a game day's has kind "GameDay"
 * and is checked against schema/gameday-result.schema.json).
 * @param arg a run or game-day directory, or a result.json, relative to `cwd`
 * @throws as {@link readSavedRun}
 */
export async function readSavedResult(arg: string, cwd: string): Promise<SavedResult> {
  const read = await readResultJson(arg, cwd);
  const dir = path.dirname(read.abs);
  if (isGameDayData(read.data)) return { kind: 'game-day', saved: { result: checked(read, gameDayResultSchema, 'schema/gameday-result.schema.json'), file: read.shown, dir } };
  return { kind: 'run', saved: { result: checked(read, runResultSchema, 'schema/result.schema.json'), file: read.shown, dir } };
}

/**
 * Reads and validates a saved run.
 * @param arg a run directory or a result.json, relative to `cwd`
 * @throws UsageError when there is no such directory or file, or it is a game day's; ValidationError (both exit 2) with
 *   every problem located (`file:line:col path: message`) when the file is not a valid result.json.
 */
export async function readSavedRun(arg: string, cwd: string): Promise<SavedRun> {
  const read = await readResultJson(arg, cwd);
  if (isGameDayData(read.data)) {
    throw new UsageError(`${read.shown} is a game day's result.json, not a run's`, { hint: 'give one of its runs\' directories (inside the game day\'s), e.g. <game-day dir>/01-<experiment>' });
  }
  return { result: checked(read, runResultSchema, 'schema/result.schema.json'), file: read.shown, dir: path.dirname(read.abs) };
}
