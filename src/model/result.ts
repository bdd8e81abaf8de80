/**
 * What a run produced (result.json), as TypeScript types. They are derived from the zod schema in
 * `result-schema.ts`, which describes every field: one description, so the types, the published
 * JSON Schema and the reader of saved runs cannot drift apart.
 */
import type { z } from 'zod';
import type { requestStatsSchema, checkIntervalSchema, checkResultSchema, meshViewSchema, mirroredStatsSchema, runResultSchema, stepResultSchema, versionStatsSchema } from './result-schema.js';
import type { sequentialTraceSchema } from './sequential-trace-schema.js';

export type { TimelinePoint } from './timeline.js';

/** Latency and error statistics of one version over one step. */
export type VersionStats = z.output<typeof versionStatsSchema>;

/** One named request's figures over one step, per version. */
export type RequestStats = z.output<typeof requestStatsSchema>;

/** The confidence interval of a check's value. */
export type CheckInterval = z.output<typeof checkIntervalSchema>;

/** One SLO judged over one step. */
export type CheckResult = z.output<typeof checkResultSchema>;

/** A check's verdict: "no-data" is its own verdict, never a pass. */
export type Verdict = CheckResult['verdict'];

/** Prometheus's (mesh-side) view of one version over a step. */
export type MeshView = z.output<typeof meshViewSchema>;

/** The mirrored (shadow) traffic of a step, measured by the mesh. */
export type MirroredStats = z.output<typeof mirroredStatsSchema>;

/** One step of the run. */
export type StepResult = z.output<typeof stepResultSchema>;

/** What happened after a step. */
export type StepDecision = StepResult['decision'];

/** The result of one run (result.json). */
export type RunResult = z.output<typeof runResultSchema>;

/** How a run ended. */
export type Outcome = RunResult['outcome'];

/** One SLO's sequential test over one step (`steps[].sequential[]`). */
export type SequentialTrace = z.output<typeof sequentialTraceSchema>;

/** One look of a sequential test. */
export type SequentialPoint = SequentialTrace['points'][number];
