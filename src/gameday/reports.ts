/**
 * Writing a game day's combined reports into its directory: result.json (stable JSON, the schema
 * of `model/gameday-result-schema.ts`), index.html, junit.xml and summary.md. The JUnit report
 * takes each experiment's checks from the result.json of its run directory.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import type { GameDayResult } from '../model/gameday-result.js';
import type { RunResult } from '../model/result.js';
import { readSavedRun } from '../report/read-result.js';
import { stableStringify } from '../report/stable-json.js';
import { GAMEDAY_HTML_FILE, renderGameDayHtml } from './html-index.js';
import { GAMEDAY_JUNIT_FILE, renderGameDayJunit } from './junit.js';
import { GAMEDAY_MARKDOWN_FILE, renderGameDayMarkdown } from './markdown.js';

/** File name of the game day's result. */
export const GAMEDAY_RESULT_FILE = 'result.json';

/** The run results the experiments' run directories hold, by experiment index (an unreadable one is left out). */
export async function readRunResults(result: GameDayResult, dir: string): Promise<Map<number, RunResult>> {
  const runs = new Map<number, RunResult>();
  for (const e of result.experiments) {
    if (e.runDir === undefined) continue;
    const saved = await readSavedRun(path.join(dir, e.runDir), dir).catch(() => undefined);
    if (saved) runs.set(e.index, saved.result);
  }
  return runs;
}

/**
 * Writes the four combined reports; returns their paths (result.json first).
 * @param dir the game day's directory (its runs' directories are read from there)
 * @param out where to write them (`mesh-exp report --out`; created if missing) @default dir
 */
export async function writeGameDayReports(result: GameDayResult, dir: string, out: string = dir): Promise<string[]> {
  const runs = await readRunResults(result, dir);
  if (out !== dir) await mkdir(out, { recursive: true });
  const files: [string, string][] = [
    [GAMEDAY_RESULT_FILE, stableStringify(result)],
    [GAMEDAY_HTML_FILE, renderGameDayHtml(result)],
    [GAMEDAY_JUNIT_FILE, renderGameDayJunit(result, runs)],
    [GAMEDAY_MARKDOWN_FILE, renderGameDayMarkdown(result)],
  ];
  const written: string[] = [];
  for (const [name, text] of files) {
    const file = path.join(out, name);
    await writeFileAtomic(file, text);
    written.push(file);
  }
  return written;
}
