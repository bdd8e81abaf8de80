/**
 * junit.xml of a game day: one <testsuite> per experiment, so CI shows each experiment as a suite.
 * An experiment that ran gets exactly the suite its own junit.xml holds (`addRunSuite`: a testcase
 * per SLO check per step, an error testcase for an error, a signal or a failed restore); one that
 * never ran gets a suite with one testcase `run`: skipped (skipped, not run) or an error (it
 * failed before its run wrote a result).
 */
import { create } from 'xmlbuilder2';
import type { GameDayExperimentResult, GameDayResult } from '../model/gameday-result.js';
import type { RunResult } from '../model/result.js';
import { addRunSuite, runCounts } from '../report/junit-reporter.js';
import { VERSION } from '../version.js';

/** File name of the game day's JUnit report. */
export const GAMEDAY_JUNIT_FILE = 'junit.xml';

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

/** The counts of a suite for an experiment without a run result. */
function soloCounts(e: GameDayExperimentResult) {
  const skipped = e.status === 'skipped' || e.status === 'not-run';
  const time = e.startedAt !== undefined && e.endedAt !== undefined ? seconds(e.endedAt - e.startedAt) : '0.000';
  return { tests: '1', failures: '0', errors: skipped ? '0' : '1', skipped: skipped ? '1' : '0', time };
}

/** Renders the game day's junit.xml; `runs` holds each experiment's run result by index, where one was written. Pure. */
export function renderGameDayJunit(result: GameDayResult, runs: ReadonlyMap<number, RunResult>): string {
  const counts = result.experiments.map((e) => {
    const run = runs.get(e.index);
    return run ? runCounts(run) : soloCounts(e);
  });
  const sum = (key: 'tests' | 'failures' | 'errors' | 'skipped') => String(counts.reduce((n, c) => n + Number(c[key]), 0));
  // XML 1.0 cannot carry most control characters even as references; a user string may hold one.
  const doc = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' });
  const suites = doc.ele('testsuites', { name: `mesh-exp game day ${result.name}`, tests: sum('tests'), failures: sum('failures'), errors: sum('errors'), skipped: sum('skipped'), time: seconds(result.endedAt - result.startedAt) });
  result.experiments.forEach((e, i) => {
    const run = runs.get(e.index);
    if (run) {
      addRunSuite(suites, run);
      return;
    }
    const suite = suites.ele('testsuite', { name: e.name, ...counts[i]!, ...(e.startedAt !== undefined ? { timestamp: new Date(e.startedAt).toISOString().replace(/\.\d+Z$/, '') } : {}) });
    const props = suite.ele('properties');
    for (const [name, value] of [['status', e.status], ['summary', e.summary], ['source', e.source], ['mesh-exp', VERSION], ...(e.exitCode !== undefined ? [['exitCode', String(e.exitCode)]] : [])]) {
      props.ele('property', { name, value });
    }
    const tc = suite.ele('testcase', { classname: e.name, name: 'run', time: counts[i]!.time });
    if (e.status === 'skipped' || e.status === 'not-run') tc.ele('skipped', { message: e.summary });
    else tc.ele('error', { message: e.summary, type: e.status }).txt(e.summary);
  });
  return `${doc.end({ prettyPrint: true })}\n`;
}
