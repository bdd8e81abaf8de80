/**
 * The project's one read outside its own folder, documented in the README ("Testing"): a document
 * that no package registry serves is taken from `../shared/` when a checkout has it there, else
 * from the project's own minimal stand-in, with a loud notice. Today that is one document, the
 * k6-operator's TestRun CRD (the Go module proxy refuses the operator's module). Every other file
 * the tests use comes from the repository or a registry; test/unit/no-shared-reads.test.ts fails
 * on any other file that reaches for `../shared`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The k6-operator's own TestRun CRD (v1.6.0, Apache-2.0), where a checkout has it beside the repository. */
export const SHARED_TESTRUN_CRD = path.resolve(repoRoot, '../shared/k6-operator/k6.io_testruns.yaml');
/** The project's minimal TestRun CRD (test/fixtures/kube-crds/), used where the real one is absent. */
export const MINIMAL_TESTRUN_CRD = path.join(repoRoot, 'test/fixtures/kube-crds/k6-testrun-minimal.yaml');

/** Where the TestRun CRD comes from: the real one, or the project's minimal stand-in. */
export interface CrdSource {
  /** The file to install. */
  file: string;
  /** True when `file` is the project's minimal stand-in. */
  fallback: boolean;
}

/**
 * The TestRun CRD to install: the real one when `../shared/k6-operator/` has it, else the minimal
 * one, announced on stderr so that nobody mistakes the stand-in's validation for the operator's.
 */
export function testRunCrd(why: string): CrdSource {
  if (existsSync(SHARED_TESTRUN_CRD)) return { file: SHARED_TESTRUN_CRD, fallback: false };
  process.stderr.write(
    `\n*** ${why}: the k6-operator TestRun CRD is not at ${SHARED_TESTRUN_CRD} (no registry serves it); ` +
      `installing the project's minimal stand-in ${MINIMAL_TESTRUN_CRD} instead ***\n\n`,
  );
  return { file: MINIMAL_TESTRUN_CRD, fallback: true };
}
