/**
 * Runs the mesh-exp CLI in-process (runCli with capture streams), as the integration tests of the
 * commands do, from the repository root unless told otherwise.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/program.js';
import { createCaptureStream, createContext } from '../../src/context.js';

/** The repository root (what experiment paths in tests are relative to). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What a CLI invocation printed and returned. */
export interface CliOutcome {
  /** Exit code. */
  code: number;
  /** Everything written to stdout. */
  stdout: string;
  /** Everything written to stderr. */
  stderr: string;
}

/** Runs `mesh-exp <argv>` in-process. @param cwd @default the repository root */
export async function runCliInProcess(argv: string[], cwd: string = REPO_ROOT): Promise<CliOutcome> {
  const stdout = createCaptureStream();
  const stderr = createCaptureStream();
  const code = await runCli(argv, createContext({ cwd, stdout, stderr, env: {} }));
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
