/**
 * mesh-exp's public API: everything a program embedding mesh-exp may use, exported from one place.
 * The CLI (`bin/mesh-exp.js`) is a thin layer over these.
 */
export { runCli, createProgram } from './cli/program.js';
export { createContext, createCaptureStream, systemClock } from './context.js';
export type { Context, ContextOptions, Clock, Logger, OutputStream } from './context.js';
export * from './errors.js';
export { VERSION } from './version.js';

export { experimentSchema } from './experiment/schema.js';
export type * from './experiment/schema.js';
export { loadExperimentFile, checkExperimentFile, validateExperimentText } from './experiment/validate.js';
export type { LoadedExperiment, LoadExperimentOptions, ExperimentCheck } from './experiment/validate.js';
export { loadManifests, readManifests } from './istio/manifests.js';
export type { ManifestSet } from './istio/manifests.js';
export type * from './istio/types.js';

export { createLocalMesh } from './mesh/local-mesh.js';
export type { LocalMesh, LocalMeshOptions } from './mesh/types.js';
export { createAdminClient, ConfigConflictError } from './mesh/admin/admin-client.js';
export type { AdminClient, AdminClientOptions, MeshInfo, MeshConfigDump } from './mesh/admin/admin-client.js';
export type { DestinationRuleEnvelope, VirtualServiceEnvelope } from './mesh/admin/config-api.js';

export { createTrafficRegistry, createDefaultTrafficRegistry } from './traffic/registry.js';
export { renderVirtualService } from './traffic/render.js';
export { createAttachProvider, OWNER_ANNOTATION } from './traffic/local/attach-provider.js';
export { diffVirtualService } from './traffic/diff.js';
export type * from './traffic/types.js';

export { createLoadGeneratorRegistry, createDefaultLoadGeneratorRegistry } from './load/registry.js';
export { createBuiltinGenerator } from './load/builtin/builtin-generator.js';
export { createSampleRecorder } from './load/recorder.js';
export type * from './load/types.js';

export * from './analysis/index.js';
export * from './report/index.js';
export { createGameDayNotifications, createRunNotifications, notificationPayloadSchema } from './notify/index.js';
export type { GameDayDecision, GameDayNotifications, GameDayStart, GameDayVerdict, NotificationEvent, RunNotifications } from './notify/index.js';
export { notifySchema, notifyTargetSchema } from './experiment/notify-schema.js';
export type { NotifyTargetSpec } from './experiment/notify-schema.js';

export { runExperiment, executeRun } from './runner/runner.js';
export { planSteps } from './experiment/step-plan.js';
export { recoverRun } from './runner/recover.js';
export type { RecoverOptions, RecoverResult, RecoverStatus } from './runner/recover.js';
export { readJournal, pendingRestore } from './runner/journal.js';
export type { JournalEntry } from './runner/journal.js';
export { FAILPOINTS, FAILPOINT_ENV } from './failpoints.js';
export type { FailpointName } from './failpoints.js';
export type * from './model/result.js';

export { gameDaySchema } from './experiment/gameday-schema.js';
export type { GameDay, GameDayEntry } from './experiment/gameday-schema.js';
export { loadGameDayFile, checkGameDayFile } from './experiment/gameday-validate.js';
export type { LoadedGameDay, LoadedGameDayExperiment, GameDayCheck } from './experiment/gameday-validate.js';
export { executeGameDay } from './gameday/run-gameday.js';
export type { GameDayOptions, GameDayOutput } from './gameday/run-gameday.js';
export { recoverGameDay } from './gameday/recover-gameday.js';
export type { GameDayRecoverResult } from './gameday/recover-gameday.js';
export { gameDayResultSchema } from './model/gameday-result-schema.js';
export type * from './model/gameday-result.js';
