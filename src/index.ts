/**
 * mesh-exp's public API: everything a program embedding mesh-exp may use, exported from one place.
 * The CLI (`bin/mesh-exp.js`) is a thin layer over these.
 */
export { runCli, createProgram } from './cli/program.js';
export { createContext, createCaptureStream, systemClock } from './context.js';
export type { Context, ContextOptions, Clock, Logger, OutputStream } from './context.js';
export * from './errors.js';
export { VERSION } from './version.js';

export { experimentSchema } from './spec/schema.js';
export type * from './spec/schema.js';
export { loadExperimentFile, checkExperimentFile, validateExperimentText } from './spec/validate.js';
export type { LoadedExperiment, LoadExperimentOptions, ExperimentCheck } from './spec/validate.js';
export { loadManifests, readManifests } from './istio/manifests.js';
export type { ManifestSet } from './istio/manifests.js';
export type * from './istio/types.js';

export { createLocalMesh } from './mesh/local-mesh.js';
export type { LocalMesh, LocalMeshOptions } from './mesh/types.js';

export { createTrafficRegistry, createDefaultTrafficRegistry } from './traffic/registry.js';
export { renderVirtualService } from './traffic/render.js';
export { diffVirtualService } from './traffic/diff.js';
export type * from './traffic/types.js';

export { createLoadGeneratorRegistry, createDefaultLoadGeneratorRegistry } from './load/registry.js';
export { createBuiltinGenerator } from './load/builtin/builtin-generator.js';
export { createSampleRecorder } from './load/recorder.js';
export type * from './load/types.js';

export * from './analysis/index.js';
export * from './report/index.js';

export { runExperiment, executeRun } from './runner/runner.js';
export { planSteps } from './runner/steps.js';
export type * from './runner/result.js';
