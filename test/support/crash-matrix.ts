/**
 * What the crash-matrix tests share: the failpoints a run passes (the matrix's rows), the checks
 * made after each kill + `mesh-exp recover` (no process the run journaled is alive or listening;
 * the report of the finished steps exists and says it is partial), and the tally line the README's
 * "Reliability" table is filled from:
 *   crash-matrix: <provider> tried N kill points, restored N, orphans 0, partial reports M
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { processStartTime } from '../../src/mesh/backends/proc-stat.js';
import { readJournal, type JournalEntry } from '../../src/runner/journal.js';
import { readStepLog } from '../../src/runner/step-log.js';
import { listenerGroups, pidAlive, portListens } from './processes.js';

const STEP_POINTS = ['before-apply', 'after-apply', 'after-verify', 'mid-load', 'after-load'];

/** Every failpoint a run of `steps` steps that restores (promote: false) passes, in order. */
export function restoreRunPoints(steps: number, options: { claim: boolean; midRestore: boolean }): string[] {
  return [
    'after-snapshot',
    ...(options.claim ? ['before-claim', 'after-claim'] : []),
    ...Array.from({ length: steps }, (_, i) => STEP_POINTS.map((p) => `${p}:${i + 1}`)).flat(),
    'before-restore',
    'after-restore-start',
    ...(options.midRestore ? ['mid-restore'] : []),
    'after-restore',
    'before-end',
    'after-end',
  ];
}

/** The failpoints only a promoting run passes. */
export const PROMOTE_POINTS = ['before-promote', 'after-promote', 'after-promoted'];

/** The processes a run journaled (every `child` entry). */
export async function journaledChildren(runDir: string): Promise<Extract<JournalEntry, { type: 'child' }>[]> {
  const entries = await readJournal(path.join(runDir, 'journal.jsonl'));
  return entries.filter((e): e is Extract<JournalEntry, { type: 'child' }> => e.type === 'child');
}

/** Whether a journaled process still runs (a live pid with its journaled start time) or its port still listens. */
export async function orphansOf(runDir: string): Promise<string[]> {
  const found: string[] = [];
  for (const c of await journaledChildren(runDir)) {
    const same = (await pidAlive(c.pid)) && (await processStartTime(c.pid)) === c.startTime;
    if (same) found.push(`${c.label} (pid ${c.pid}) is alive`);
    else if (c.port !== undefined && (await portListens(c.port))) {
      // Ports are reused: other tests on the machine soon take a freed one. The port counts only
      // when a process of the backend's own group holds it (or when /proc cannot say who does).
      const holders = await listenerGroups(c.port);
      if (holders === undefined || holders.includes(c.pgid)) found.push(`port ${c.port} of ${c.label} still listens${holders ? ` (process group ${c.pgid})` : ''}`);
    }
  }
  return found;
}

/** Finished steps in the run directory's steps.jsonl (0 when there is none). */
export async function finishedSteps(runDir: string): Promise<number> {
  return (await readStepLog(runDir))?.steps.length ?? 0;
}

/**
 * The report after recover, given the steps that had finished and whether the run had written its
 * own result.json: problems, or [] when it is as it must be (partial with those steps, or none).
 */
export function reportProblems(runDir: string, steps: number, hadResult: boolean, recoverOut: string): string[] {
  const file = path.join(runDir, 'result.json');
  if (hadResult) return [];
  if (steps === 0) {
    return existsSync(file) ? ['a report was written although no step finished'] : recoverOut.includes('no report: no step finished') ? [] : [`recover did not say why there is no report: ${recoverOut}`];
  }
  if (!existsSync(file)) return [`no result.json although ${steps} step(s) finished`];
  const result = JSON.parse(readFileSync(file, 'utf8')) as { partial?: boolean; partialReason?: string; steps: unknown[] };
  const problems: string[] = [];
  if (result.partial !== true || !result.partialReason?.startsWith('the run was killed')) problems.push(`result.json is not marked partial: ${JSON.stringify(result.partialReason)}`);
  if (result.steps.length !== steps) problems.push(`result.json has ${result.steps.length} steps, steps.jsonl ${steps}`);
  if (!readFileSync(path.join(runDir, 'report.html'), 'utf8').includes('PARTIAL REPORT: the run was killed')) problems.push('report.html has no partial banner');
  if (!recoverOut.includes(`PARTIAL REPORT of ${steps} of`)) problems.push(`recover did not print the partial-report line: ${recoverOut}`);
  return problems;
}

/** The counts a matrix prints. */
export interface CrashTally {
  tried: number;
  restored: number;
  orphans: number;
  partialReports: number;
  /** Kills that left a journaled process running (what recover had to stop). */
  orphansBeforeRecover: number;
  problems: string[];
}

/** A fresh tally. */
export function createTally(): CrashTally {
  return { tried: 0, restored: 0, orphans: 0, partialReports: 0, orphansBeforeRecover: 0, problems: [] };
}

/** The tally line (printed to stdout after the matrix). */
export function tallyLine(provider: string, t: CrashTally, wallMs: number): string {
  const stopped = t.orphansBeforeRecover > 0 ? `recover stopped processes after ${t.orphansBeforeRecover} kills; ` : '';
  return `crash-matrix: ${provider} tried ${t.tried} kill points, restored ${t.restored}, orphans ${t.orphans}, partial reports ${t.partialReports} (${stopped}${(wallMs / 1000).toFixed(1)} s)`;
}
