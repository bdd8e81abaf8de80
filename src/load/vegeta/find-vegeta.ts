/**
 * Finds the vegeta binary mesh-exp drives: `.tools/vegeta/bin/vegeta` under the package root (where
 * `scripts/provision-tools.sh` installs it), else a `vegeta` on PATH, each only when it is the
 * pinned version. Otherwise a UsageError that says how to install it, found at preflight.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { UsageError } from '../../errors.js';
import { executablesOnPath, isExecutable } from '../external-process.js';

/** The one vegeta version mesh-exp accepts (the result lines it reads are this version's). */
export const VEGETA_VERSION = 'v12.13.0';
/** The Go module `go install` builds vegeta from. */
export const VEGETA_MODULE = 'github.com/tsenart/vegeta/v12';

// src/load/vegeta/ and dist/load/vegeta/ are both three levels below the package root.
const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Options of {@link findVegeta}. */
export interface FindVegetaOptions {
  /** Environment whose PATH is searched. @default {} */
  env?: Readonly<Record<string, string | undefined>>;
  /** Package root the bundled binary is looked for under. @default the package mesh-exp runs from */
  packageRoot?: string;
}

// Streams the binary looking for the module line Go embeds in it ("mod\t<module>\t<version>\t"):
// a `go install` build prints an empty "Version:" (releases set it with -ldflags).
async function embedsModule(file: string, marker: string): Promise<boolean> {
  let tail = '';
  for await (const chunk of createReadStream(file, { encoding: 'latin1', highWaterMark: 1 << 20 })) {
    const text = tail + (chunk as string);
    if (text.includes(marker)) return true;
    tail = text.slice(-marker.length);
  }
  return false;
}

/** The version `file` is (from `-version`, else its embedded module line), or undefined. */
export async function vegetaVersion(file: string): Promise<string | undefined> {
  const out = await execa(file, ['-version'], { reject: false, timeout: 10_000 });
  const printed = /^Version:[ \t]*(\S+)/m.exec(String(out.stdout))?.[1];
  if (printed !== undefined) return printed;
  if (await embedsModule(file, `mod\t${VEGETA_MODULE}\t${VEGETA_VERSION}\t`).catch(() => false)) return VEGETA_VERSION;
  return undefined;
}

/** The path of a usable vegeta; throws a UsageError (exit 2) saying how to install one. */
export async function findVegeta(options: FindVegetaOptions = {}): Promise<string> {
  const env = options.env ?? {};
  const bundled = path.join(options.packageRoot ?? PACKAGE_ROOT, '.tools', 'vegeta', 'bin', 'vegeta');
  const seen: string[] = [];
  for (const file of [...((await isExecutable(bundled)) ? [bundled] : []), ...(await executablesOnPath(env, 'vegeta'))]) {
    const version = await vegetaVersion(file);
    if (version === VEGETA_VERSION) return file;
    seen.push(`${file} is ${version === undefined ? 'of an unknown version' : version}`);
  }
  const install = `GOBIN=${path.dirname(bundled)} go install ${VEGETA_MODULE}@${VEGETA_VERSION}`;
  const how = (await executablesOnPath(env, 'go')).length > 0 ? `install it: ${install} (or run scripts/provision-tools.sh)` : `Go is absent, so it cannot be built here: install Go, then ${install}`;
  throw new UsageError(
    `load.generator vegeta needs vegeta ${VEGETA_VERSION}, and ${seen.length > 0 ? `none usable was found (${seen.join('; ')})` : 'it was found neither in .tools/vegeta/bin nor on PATH'}`,
    { hint: `${how}; or use load.generator: builtin` },
  );
}
