/**
 * Helpers of the notification tests that run mesh-exp: the CLI in-process with an environment of
 * the test's own (the secrets), every file a run left as text (to look for a secret in), and the
 * published payload schema compiled by ajv, independently of the zod schema it came from.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { runCli } from '../../src/cli/program.js';
import { createCaptureStream, createContext } from '../../src/context.js';
import { NOTIFICATION_SCHEMA_PATH } from '../../src/notify/payload-schema.js';
import { REPO_ROOT } from './cli.js';

/** Runs the CLI in `cwd` with exactly `env`; `endedAt` is Date.now() when it returned. */
export async function cliWithEnv(argv: string[], cwd: string, env: Record<string, string>, signal?: AbortSignal) {
  const stdout = createCaptureStream();
  const stderr = createCaptureStream();
  const code = await runCli(argv, createContext({ cwd, stdout, stderr, env, ...(signal ? { signal } : {}) }));
  return { code, stdout: stdout.text(), stderr: stderr.text(), endedAt: Date.now() };
}

/** Every file under `dir` (subdirectories included), as [path relative to dir, text]. */
export function filesUnder(dir: string): Array<[string, string]> {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .map((f) => [path.relative(dir, f), readFileSync(f, 'latin1')]);
}

/** schema/notification.schema.json compiled by ajv: true when a payload follows it (errors on the function). */
export const validatePayload = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(path.join(REPO_ROOT, NOTIFICATION_SCHEMA_PATH), 'utf8')) as object);
