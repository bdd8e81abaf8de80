/**
 * The game-day file's one schema (apiVersion mesh-exp.dev/v1alpha1, kind GameDay): an ordered list
 * of experiments (files, or experiments written inline), shared defaults for what an experiment
 * leaves out, and the rule that turns the experiments' outcomes into the day's verdict.
 *
 * An inline experiment is only required to be a map here: it is checked as an experiment file
 * is (`gameday-validate.ts`), located in this file, so its problems are not reported twice.
 */
import { z } from 'zod';
import { notifySchema } from './notify-schema.js';
import { k8sName, labelMap } from './schema-fields.js';
import { fileKindSchema, loadSchema, metricsSchema } from './schema.js';

/** Longest list of experiments in one game day. */
export const MAX_GAMEDAY_EXPERIMENTS = 100;

export const gameDayMetadataSchema = z
  .strictObject({
    name: k8sName('Name of the game day; names its report directory reports/<name>-<timestamp>/.'),
    description: z.string().optional().describe('Free text shown at the top of the combined report.'),
    labels: labelMap('Labels copied into the game day\'s result.json; any keys. @default {}').prefault({}),
  })
  .describe('Who this game day is.');

export const gameDayEntrySchema = z
  .strictObject({
    path: z
      .string()
      .min(1)
      .max(4096)
      .optional()
      .describe('An experiment file (kind Experiment), relative to the game-day file. Give either path or experiment.'),
    experiment: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'An experiment written inline: metadata and spec as in an experiment file (apiVersion and kind may be left out). Relative paths in it (manifests, data) resolve against the game-day file. Give either path or experiment.',
      ),
    continueOnFailure: z
      .boolean()
      .default(false)
      .describe('When this experiment does not pass (SLO failure, error), go on with the next one (true) or stop the day and skip the rest (false). A signal always stops the day. @default false'),
  })
  .refine((e) => (e.path === undefined) !== (e.experiment === undefined), { message: 'an entry names an experiment file (path) or holds one inline (experiment), exactly one of them' })
  .describe('One experiment of the day, run in list order.');

export const gameDayDefaultsSchema = z
  .strictObject({
    namespace: k8sName('target.namespace of every experiment that does not set it. @default each experiment\'s own default ("default")').optional(),
    load: loadSchema
      .optional()
      .describe('spec.load of every experiment that has no spec.load; an experiment that has one keeps it whole (no field-by-field merge). @default none'),
    metrics: metricsSchema
      .optional()
      .describe('spec.metrics of every experiment that has no spec.metrics; one that has them keeps its own whole. @default none'),
  })
  .describe('Shared defaults, applied to every experiment that does not set the field itself.');

export const gameDayVerdictSchema = z
  .union([
    z.literal('allPass').describe('The day passes only when every experiment passes.'),
    z
      .strictObject({
        maxFailures: z.number().int().min(0).max(MAX_GAMEDAY_EXPERIMENTS).describe('Experiments that may fail (or be skipped) while the day still passes, 0 to 100.'),
      })
      .describe('The day passes when at most maxFailures experiments did not pass.'),
  ])
  .default('allPass')
  .describe(
    'How the experiments\' outcomes make the day\'s verdict: "allPass", or {maxFailures: N}. An experiment that was skipped or not run counts as not passed. An error, a failed restore or a signal ends the day with that exit code whatever the verdict. @default "allPass"',
  );

export const gameDaySpecSchema = z
  .strictObject({
    experiments: z.array(gameDayEntrySchema).min(1).max(MAX_GAMEDAY_EXPERIMENTS).describe('The experiments, run one after another in this order (each restored before the next starts), 1 to 100.'),
    defaults: gameDayDefaultsSchema.prefault({}),
    verdict: gameDayVerdictSchema,
    notify: notifySchema
      .optional()
      .describe(
        'Webhooks told of the game day (payload kind "game-day"): "start" (the day began), "decision" (each experiment\'s verdict as a decision of the day: its name, outcome and report, and whether the day goes on) and "verdict" (the day\'s verdict and combined report). The same targets as an experiment\'s spec.notify; an experiment\'s own spec.notify still tells of its run. @default absent (no notification)',
      ),
  })
  .describe('What the game day runs and how it is judged.');

export const gameDaySchema = fileKindSchema('GameDay', gameDayMetadataSchema, gameDaySpecSchema)
  .describe('A mesh-exp game day: several experiments run in order, with one combined report and verdict.');

/** A parsed, defaulted game day. */
export type GameDay = z.output<typeof gameDaySchema>;
/** One entry of a game day, parsed. */
export type GameDayEntry = GameDay['spec']['experiments'][number];

/** The failures a verdict rule tolerates: "allPass" is none. */
export function maxFailuresOf(verdict: GameDay['spec']['verdict']): number {
  return verdict === 'allPass' ? 0 : verdict.maxFailures;
}
