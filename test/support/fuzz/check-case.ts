/**
 * One case end to end: lay it out, validate, run (interrupted), then look for what it left behind
 * (open handles, a listening mesh) and at what the process saw (rejections, warnings, heap). Throws
 * an error describing the case when any invariant is broken, which fast-check turns into a
 * counterexample with its seed and path.
 */
import { appendFileSync } from 'node:fs';
import type { FuzzInputs } from './fuzz-inputs.js';
import { layOutCase } from './case-dir.js';
import { caseViolations, phaseViolations, stillListening } from './case-checks.js';
import { describeCase, materializeCase, type FuzzCase } from './fuzz-case.js';
import { FUZZ_BOUNDS } from './fuzz-settings.js';
import { handleCounts, settleHandles, type ProcessWatch } from './process-watch.js';
import { runPhase, schedulePhase, validatePhase, type PhaseOutcome } from './run-case.js';
import { scheduleViolations } from './schedule-case.js';
import { countCase, type FuzzTally } from './tally.js';

/** What {@link checkCase} needs besides the case. */
export interface CaseRunner {
  inputs: FuzzInputs;
  /** Where case directories are made. */
  root: string;
  watch: ProcessWatch;
  tally: FuzzTally;
  /**
   * A file each case is appended to before it runs (`MESH_EXP_FUZZ_TRACE`): when a case kills the
   * worker outright (V8's fatal errors cannot be caught), the last line names it. @default none
   */
  trace?: string;
}

const clip = (s: string, n = 1_500) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);
const quoteFile = (b: Buffer) => clip(JSON.stringify(b.toString('utf8')), 2_000);

function phaseText(name: string, p: PhaseOutcome | undefined): string {
  if (!p) return `${name}: not run`;
  return `${name}: exit ${p.code ?? 'none'} in ${Math.round(p.ms)} ms\n  stdout: ${clip(JSON.stringify(p.stdout))}\n  stderr: ${clip(JSON.stringify(p.stderr))}`;
}

/** Runs case `c`; resolves when it passed, rejects with a report of every violation when not. */
export async function checkCase(c: FuzzCase, r: CaseRunner): Promise<void> {
  if (r.trace) appendFileSync(r.trace, `${describeCase(c)}\n`);
  const files = materializeCase(c, r.inputs);
  const d = await layOutCase(r.root, c, files);
  const baseline = handleCounts();
  r.watch.beginCase();
  let report: string | undefined;
  try {
    const validate = await validatePhase(d);
    // A validate that hangs would hang run the same way: reported once, and its reads released.
    const ran = validate.timedOutAfterMs === undefined ? await runPhase(d, c.abortAfterMs) : undefined;
    const scheduled = c.schedule && validate.timedOutAfterMs === undefined ? await schedulePhase(d, c.schedule) : undefined;
    d.release();
    r.watch.sample();
    const violations = caseViolations({ experimentBytes: c.experiment.kind === 'regular' ? files.experiment : undefined, validate, ...(ran ? { run: ran.outcome, artifacts: ran.artifacts } : {}) });
    // A game day's runs each had their own mesh: every one must be gone.
    const meshUrls = [ran?.artifacts.result, ...(ran?.artifacts.day?.runs ?? [])].flatMap((r) => (r?.environment?.['meshUrl'] ? [r.environment['meshUrl']] : []));
    for (const meshUrl of meshUrls) if (await stillListening(meshUrl)) violations.push(`run: the mesh at ${meshUrl} still accepts connections after the run ended`);
    const leaked = await settleHandles(baseline, FUZZ_BOUNDS.settleMs);
    if (leaked.length > 0) violations.push(`handles still open ${FUZZ_BOUNDS.settleMs} ms after the case: ${leaked.join(', ')}`);
    if (scheduled) violations.push(...phaseViolations('schedule', scheduled), ...scheduleViolations(c.schedule!, scheduled));
    violations.push(...r.watch.events);
    if (r.watch.peakHeap > FUZZ_BOUNDS.heapBytes) violations.push(`peak heap ${Math.round(r.watch.peakHeap / 2 ** 20)} MB over the ${FUZZ_BOUNDS.heapBytes / 2 ** 20} MB bound`);
    countCase(r.tally, {
      ...(validate.code !== undefined ? { validateCode: validate.code } : {}),
      ...(ran?.outcome.code !== undefined ? { runCode: ran.outcome.code } : {}),
      ...(scheduled ? { scheduleCode: scheduled.code ?? 'none' } : {}),
      validateMs: validate.ms,
      ...(ran ? { runMs: ran.outcome.ms } : {}),
      peakHeapBytes: r.watch.peakHeap,
      violations,
    });
    if (violations.length > 0) {
      report = [
        `${violations.length} violation(s):`,
        ...violations.map((v) => `  - ${clip(v, 600)}`),
        `case: ${describeCase(c)}`,
        `experiment.yaml (${c.experiment.kind}, ${files.experiment.length} bytes): ${quoteFile(files.experiment)}`,
        ...Object.keys(c.manifests).map((m) => `manifests/${m} (${c.manifests[m]!.kind}): ${quoteFile(files.manifests.get(m) ?? Buffer.alloc(0))}`),
        ...Object.keys(c.data ?? {}).map((m) => `data/${m} (${c.data![m]!.kind}): ${quoteFile(files.data.get(m) ?? Buffer.alloc(0))}`),
        ...Object.keys(c.siblings ?? {}).map((m) => `${m} (${c.siblings![m]!.kind}): ${quoteFile(files.siblings.get(m) ?? Buffer.alloc(0))}`),
        phaseText('validate', validate),
        phaseText(`run (interrupted after ${c.abortAfterMs} ms)`, ran?.outcome),
        ...(c.schedule ? [phaseText(`schedule ${JSON.stringify(c.schedule)}`, scheduled)] : []),
      ].join('\n');
    }
  } finally {
    await d.remove();
  }
  if (report) throw new Error(report);
}
