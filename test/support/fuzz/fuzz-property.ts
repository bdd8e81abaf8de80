/**
 * Runs a profile's cases as fast-check properties, in two passes. The survey runs every case and
 * notes each kind of violation with the path that replays it (so one failure hides no other and
 * the tally counts every file). When something failed, fast-check then replays the first failing
 * case from its path and shrinks it; its report (seed, path, counterexample) ends the failure
 * message. Shrinking is bounded, since every try runs the CLI twice.
 */
import fc from 'fast-check';
import { caseArbitrary, type FuzzProfile } from './case-arbitraries.js';
import { checkCase, type CaseRunner } from './check-case.js';
import { describeCase } from './fuzz-case.js';

/** Tries after the first failure, at most, and how long they may take: enough to cut a case down. */
export const SHRINK_BUDGET = { runs: 150, ms: 60_000 };

/** How the property runs. */
export interface PropertyRun {
  profile: FuzzProfile;
  seed: number;
  numRuns: number;
  /** fast-check's `path` of a counterexample, to replay only it (`MESH_EXP_FUZZ_PATH`). */
  path?: string;
}

/** The command that replays a failure of `profile` found with `seed` at `path`. */
export function replayCommand(profile: FuzzProfile, seed: number, path: string): string {
  return `MESH_EXP_FUZZ_SEED=${seed} MESH_EXP_FUZZ_PATH=${path} npx vitest run test/integration/fuzz/ -t '${profile}'`;
}

/** A violation with its particulars (quoted text, numbers) blurred: one line per kind of failure. */
export function violationKind(violation: string): string {
  return violation
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/\d+/g, 'N')
    .slice(0, 140);
}

/** The first case of a kind of violation: its path and the violation as it was reported. */
interface FirstSeen {
  path: string;
  example: string;
}

/** Runs every case, noting the first failing path of each kind of violation. */
async function survey(run: PropertyRun, runner: CaseRunner): Promise<Map<string, FirstSeen>> {
  const kinds = new Map<string, FirstSeen>();
  let index = 0;
  const property = fc.asyncProperty(caseArbitrary(run.profile, runner.inputs), async (c) => {
    const path = String(index++);
    try {
      await checkCase(c, runner);
    } catch (err) {
      for (const line of violationLines(err)) if (!kinds.has(violationKind(line))) kinds.set(violationKind(line), { path, example: line.slice(0, 400) });
    }
  });
  await fc.check(property, { seed: run.seed, numRuns: run.numRuns });
  return kinds;
}

/** The violations an error of {@link checkCase} lists, one line each. */
function violationLines(err: unknown): string[] {
  return (err instanceof Error ? err.message : String(err)).split('\n').flatMap((l) => (l.startsWith('  - ') ? [l.slice(4)] : []));
}

/** The kinds of violation an error of {@link checkCase} reports. */
function kindsOf(err: unknown): string[] {
  return violationLines(err).map(violationKind);
}

/**
 * Replays the case at `path` and shrinks it (bounded) while it still shows violation `kind` (a
 * smaller case failing otherwise is another finding, not this one's minimal form); fast-check's
 * report, with a replay command.
 */
async function shrink(run: PropertyRun, path: string, kind: string, runner: CaseRunner): Promise<string> {
  let tries = 0;
  let until = Infinity;
  const property = fc.asyncProperty(caseArbitrary(run.profile, runner.inputs), async (c) => {
    // Past the budget a candidate is let pass unrun: fast-check then keeps the smallest failure so far.
    if (tries++ > 0 && (tries > SHRINK_BUDGET.runs || performance.now() > until)) return;
    if (tries === 1) until = performance.now() + SHRINK_BUDGET.ms;
    try {
      await checkCase(c, runner);
    } catch (err) {
      if (kindsOf(err).includes(kind)) throw err;
    }
  });
  const details = await fc.check(property, { seed: run.seed, path, includeErrorInReport: true });
  if (!details.failed) return `the case at path ${path} passed when replayed (flaky: it depends on timing or on the cases before it)`;
  const shrunk = details.counterexamplePath ?? path;
  const example = details.counterexample?.[0];
  return [
    `smallest failing case (shrunk ${details.numShrinks} times): replay with ${replayCommand(run.profile, details.seed, shrunk)}`,
    example ? `case: ${describeCase(example)}` : '',
    fc.defaultReportMessage(details) ?? '',
  ].join('\n');
}

/** Runs the profile; resolves with undefined when every case held, else with the failure report. */
export async function runFuzzProperty(run: PropertyRun, runner: CaseRunner): Promise<string | undefined> {
  if (run.path) {
    const details = await fc.check(fc.asyncProperty(caseArbitrary(run.profile, runner.inputs), (c) => checkCase(c, runner)), { seed: run.seed, path: run.path, endOnFailure: true, includeErrorInReport: true });
    return details.failed ? fc.defaultReportMessage(details) : undefined;
  }
  const kinds = await survey(run, runner);
  if (kinds.size === 0) return undefined;
  const [kind, first] = [...kinds].sort(([, a], [, b]) => Number(a.path) - Number(b.path))[0]!;
  return [
    `fuzz ${run.profile}: ${kinds.size} kind(s) of violation with seed ${run.seed}; each as its first case showed it, and the command replaying that case:`,
    ...[...kinds.values()].map((k) => `  - ${k.example}\n      ${replayCommand(run.profile, run.seed, k.path)}`),
    `the first, shrunk: ${kind}`,
    await shrink(run, first.path, kind, runner),
  ].join('\n');
}
