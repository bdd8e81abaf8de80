/**
 * A clone of this repository is all its tests may need: no file under src/, test/, scripts/,
 * bench/, tools/ or .ci/ reaches for the `shared` folder that sits beside the repository on the
 * developers' machines — except the one documented fallback, test/support/shared-fallback.ts
 * (a document no registry serves, with the project's own stand-in when it is absent).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/cli.js';

const SCANNED = ['src', 'test', 'scripts', 'bench', 'tools', '.ci'];
const ALLOWED = new Set(['test/support/shared-fallback.ts']);
const NAME = 'shared'; // kept apart from the patterns below so that this file does not match itself
const SHARED = new RegExp(
  [
    `\\.\\.[\\\\/]+${NAME}\\b`, // the parent's folder, with either separator
    `${NAME}[\\\\/]+(?:istio|k6-operator)\\b`, // its two sub-folders, however reached
    `['"]\\.\\.['"]\\s*,\\s*['"]${NAME}['"]`, // path.join(root, '..', NAME)
  ].join('|'),
);

/** Files under `dirs` of `root` (relative, '/'-separated) whose text names the shared folder, with the first such line. */
function sharedReads(root: string, dirs: string[]): string[] {
  const found: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== '.git') walk(child);
      } else if (entry.isFile()) {
        const lines = readFileSync(path.join(root, child), 'utf8').split('\n');
        const at = lines.findIndex((l) => SHARED.test(l));
        if (at >= 0) found.push(`${child}:${at + 1}: ${lines[at]!.trim()}`);
      }
    }
  };
  for (const d of dirs) {
    try {
      walk(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return found;
}

describe('no hidden neighbours', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'no-shared-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('finds a read of the shared folder, in any of its spellings (the scanner can fail)', () => {
    mkdirSync(path.join(scratch, 'src/a'), { recursive: true });
    const bad = [
      `const crds = '../${NAME}/istio/crd-all.gen.yaml';`,
      `path.resolve(root, '..\\\\${NAME}')`,
      `cat ${NAME}/k6-operator/x.yaml`,
      `path.join(repoRoot, '..', '${NAME}', 'DESIGN.md')`,
    ];
    bad.forEach((line, i) => writeFileSync(path.join(scratch, `src/a/f${i}.ts`), `// ok\n${line}\n`));
    writeFileSync(path.join(scratch, 'src/a/fine.ts'), "const sharedState = 1; // 'shared' as a word is fine\n");
    expect(sharedReads(scratch, ['src']).sort()).toEqual(bad.map((l, i) => `src/a/f${i}.ts:2: ${l}`));
  });

  it('no file of the project reads the shared folder outside the one documented fallback', () => {
    const offenders = sharedReads(REPO_ROOT, SCANNED).filter((f) => !ALLOWED.has(f.slice(0, f.indexOf(':'))));
    expect(offenders, 'read it from the repository, a package registry (see scripts/provision-tools.sh) or test/support/shared-fallback.ts').toEqual([]);
  });

  it('the documented fallback is the one allowed file and says so', () => {
    expect(sharedReads(REPO_ROOT, SCANNED).map((f) => f.slice(0, f.indexOf(':')))).toEqual([...ALLOWED]);
  });
});
