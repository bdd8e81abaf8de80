/**
 * The fixtures of the Istio task conformance tests (test/fixtures/istio-tasks/, see its README):
 * the project's own manifests and stand-in services in the shape of Istio's documented tasks.
 */
import path from 'node:path';
import { repoRoot } from './mesh.js';

/** The folder of the Istio task fixtures. */
export const istioTasksDir = path.join(repoRoot, 'test/fixtures/istio-tasks');

/** Absolute paths of Istio task fixture files, by name. */
export const istioTask = (...names: string[]): string[] => names.map((n) => path.join(istioTasksDir, n));
