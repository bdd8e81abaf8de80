/**
 * The project's Bookinfo-style manifests (test/fixtures/bookinfo/, see its README): the one place
 * tests find them, so no test reaches outside the repository for Istio's samples.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of the Bookinfo-style fixtures. */
export const bookinfoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/bookinfo');

/** Absolute paths of Bookinfo-style fixture files, by name (e.g. `destination-rule-all.yaml`). */
export const bookinfo = (...names: string[]): string[] => names.map((n) => path.join(bookinfoDir, n));
