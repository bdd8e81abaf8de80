/**
 * The game day's combined reports over the bench's run directories, written the way the game-day
 * runner writes them at the end of a day: result.json, index.html, junit.xml and summary.md by
 * `writeGameDayReports` (which reads every run's result.json back for the JUnit suites).
 */
import { relative } from 'node:path';
import { dayResult, fromRun } from '../../src/gameday/day-result.js';
import { writeGameDayReports } from '../../src/gameday/reports.js';
import type { GameDayExperimentResult } from '../../src/model/gameday-result.js';
import { readSavedRun } from '../../src/report/read-result.js';

/** Writes the day's reports into `dayDir` over `runDirs` (inside it), returning their paths. */
export async function writeBenchGameDayIndex(dayDir: string, runDirs: readonly string[]): Promise<string[]> {
  const experiments: GameDayExperimentResult[] = [];
  for (const [index, dir] of runDirs.entries()) {
    const { result } = await readSavedRun(dir, dayDir);
    experiments.push({ index, name: result.name, source: `${result.name}.yaml`, continueOnFailure: false, runDir: relative(dayDir, dir), ...fromRun(result) });
  }
  const day = dayResult({
    start: { name: 'bench-game-day', labels: {}, maxFailures: 0 },
    startedAt: experiments[0]?.startedAt ?? 0,
    endedAt: experiments.at(-1)?.endedAt ?? 0,
    experiments,
  });
  return writeGameDayReports(day, dayDir);
}
