/**
 * A game day's result.json in zod (`reports/<game-day>-<timestamp>/result.json`): the verdict of
 * the day and one entry per experiment, linking to that experiment's own run directory. The types
 * of `gameday-result.ts` are derived from it and the published JSON Schema
 * (schema/gameday-result.schema.json, `npm run schema`) is generated from it.
 */
import { z } from 'zod';
import { EXIT_CODE_TABLE } from '../errors.js';

const epochMs = (what: string) => z.number().describe(`${what}, epoch milliseconds (UTC).`);

/** How one experiment of the day ended. */
export const gameDayStatusSchema = z
  .enum(['passed', 'failed', 'error', 'interrupted', 'skipped', 'not-run'])
  .describe(
    'How the experiment ended: "passed" (promoted, or restored after a passing run), "failed" (an SLO failed; rolled back), "error" (it could not run to its end, or its restore failed), "interrupted" (a signal stopped it; it was restored), "skipped" (never started: the day stopped before it, after a failure or a signal), "not-run" (never started: the day was killed, and `mesh-exp recover` wrote this report).',
  );

/** One experiment of the day (`experiments[]`). */
export const gameDayExperimentSchema = z
  .strictObject({
    index: z.number().int().min(0).describe('0-based place in the day.'),
    name: z.string().describe('Experiment name (its metadata.name).'),
    source: z.string().describe('Where it was written: the experiment file as the game day names it, or "inline".'),
    continueOnFailure: z.boolean().describe('Whether the day went on when it did not pass.'),
    status: gameDayStatusSchema,
    outcome: z.enum(['promoted', 'passed', 'rolled-back', 'error', 'interrupted']).optional().describe('The run\'s own outcome (its result.json), when it wrote one. @default absent'),
    exitCode: z.number().int().optional().describe('The run\'s exit code, when it started (see the run result\'s exitCode). @default absent'),
    restored: z.boolean().optional().describe('Whether the run left the mesh as intended (restored, or promoted), when it started. @default absent'),
    summary: z.string().describe('One sentence: how it ended, or why it did not run.'),
    startedAt: epochMs('Start of the run').optional().describe('Start of the run, epoch milliseconds (UTC), when it started. @default absent'),
    endedAt: epochMs('End of the run').optional().describe('End of the run, epoch milliseconds (UTC), when it ended. @default absent'),
    runDir: z.string().optional().describe('The run directory, relative to the game day\'s directory, when it started. @default absent'),
    report: z.string().optional().describe('The run\'s report.html, relative to the game day\'s directory, when it was written. @default absent'),
    partial: z.boolean().optional().describe('The run\'s report is partial: `mesh-exp recover` wrote it from the steps of a killed run. @default absent (false)'),
  })
  .describe('One experiment of the game day and how it ended.');

// Generated from the one exit-code table, so the schema lists every code the CLI can return.
const EXIT_CODE_DESCRIPTION = `Exit code of \`mesh-exp run <game day>\`: 0 when the verdict passes, 1 when it fails; an experiment's error, failed restore or signal ends the day with the worst of those codes (4 first, then 130/143/129, 5, 3, 2). The table: ${EXIT_CODE_TABLE.map((e) => `${e.code} = ${e.meaning}`).join(' | ')}.`;

/** The zod schema of a game day's result.json. */
export const gameDayResultSchema = z
  .strictObject({
    schemaVersion: z.literal(1).describe('Format version of this file; a reader must refuse versions it does not know.'),
    kind: z.literal('GameDay').describe('Always "GameDay": tells this file from a run\'s result.json.'),
    name: z.string().describe('Game-day name (metadata.name).'),
    description: z.string().optional().describe('The game day\'s description. @default absent'),
    labels: z.record(z.string(), z.string()).describe('The game day\'s metadata.labels.'),
    verdict: z.enum(['pass', 'fail']).describe('The day\'s verdict by its rule: pass when at most maxFailures experiments did not pass.'),
    maxFailures: z.number().int().min(0).describe('The rule: experiments that may not pass (failed, error, interrupted, skipped, not run) while the day passes; "allPass" is 0.'),
    failures: z.number().int().min(0).describe('Experiments that did not pass.'),
    summary: z.string().describe('One sentence: how many experiments passed, how the others ended, and the rule (the verdict is `verdict`).'),
    exitCode: z.number().int().describe(EXIT_CODE_DESCRIPTION),
    startedAt: epochMs('Start of the day'),
    endedAt: epochMs('End of the day (of its last experiment, for a recovered day)'),
    partial: z.boolean().optional().describe('The day was killed and `mesh-exp recover` wrote this report from its journal (gameday.jsonl). @default absent (false)'),
    experiments: z.array(gameDayExperimentSchema).describe('Every experiment of the day, in order, run or not.'),
  })
  .describe('What a mesh-exp game day produced: its verdict and each experiment\'s outcome.');
