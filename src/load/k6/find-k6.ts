/**
 * Finds the k6 the user brought: the first `k6` on the context's PATH that answers `k6 version`
 * as k6 does. mesh-exp never installs k6 (its licence, AGPL, keeps it out of this project), so a
 * missing one is a UsageError at preflight that says where to get it, never a substitution.
 */
import { execa } from 'execa';
import { UsageError } from '../../errors.js';
import { executablesOnPath } from '../external-process.js';

/** Where k6's own install instructions are. */
export const K6_INSTALL_URL = 'https://grafana.com/docs/k6/latest/set-up/install-k6/';

/** The hint of every "no usable k6" error. */
export const K6_INSTALL_HINT = `install k6 (${K6_INSTALL_URL}) or use load.generator: vegeta / builtin`;

/** Options of {@link findK6}. */
export interface FindK6Options {
  /** Environment whose PATH is searched. @default {} */
  env?: Readonly<Record<string, string | undefined>>;
}

/** A k6 found on PATH. */
export interface FoundK6 {
  /** Absolute path of the executable. */
  file: string;
  /** The version it reports, e.g. "v2.2.0". */
  version: string;
}

/** The version in `k6 version`'s first line ("k6 v2.2.0 (commit/..., go1.24.4, linux/amd64)"), or undefined. */
export function parseK6Version(stdout: string): string | undefined {
  return /^k6 (v\d+\.\d+\.\d+[^\s(]*)/m.exec(stdout)?.[1];
}

/** The first k6 on PATH that reports its version; throws a UsageError (exit 2) otherwise. */
export async function findK6(options: FindK6Options = {}): Promise<FoundK6> {
  const env = options.env ?? {};
  const seen: string[] = [];
  for (const file of await executablesOnPath(env, 'k6')) {
    // The user's environment: a k6 built with extensions may need it to start.
    const out = await execa(file, ['version'], { reject: false, timeout: 10_000, env: { ...env }, extendEnv: false });
    const version = parseK6Version(String(out.stdout));
    // --summary-mode (k6 v1.0) keeps the end-of-test summary off the JSON lines on stdout.
    if (version !== undefined && Number(/^v(\d+)/.exec(version)?.[1]) >= 1) return { file, version };
    if (version !== undefined) {
      seen.push(`${file} is k6 ${version}, and mesh-exp needs k6 v1.0 or later`);
      continue;
    }
    seen.push(`${file} did not answer \`k6 version\` as k6 does${out.exitCode ? ` (exit ${out.exitCode})` : ''}`);
  }
  throw new UsageError(
    `load.generator k6 runs the k6 on PATH, and ${seen.length > 0 ? `none usable was found (${seen.join('; ')})` : 'there is none'}; mesh-exp never installs k6 nor runs another engine in its place`,
    { hint: K6_INSTALL_HINT },
  );
}
