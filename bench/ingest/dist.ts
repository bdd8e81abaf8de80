/**
 * The ingest benchmark measures the compiled `dist/` (what `bin/mesh-exp.js` runs), so dist/ must
 * be the current source: built here, or, when the caller skips the build, checked file by file.
 */
import { execFileSync } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** The `src/**.ts` files (tests excluded) whose `dist/**.js` is missing or older than them. */
export async function staleDistFiles(repoRoot: string): Promise<string[]> {
  const src = join(repoRoot, 'src');
  const files = (await readdir(src, { recursive: true })).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'));
  const stale: string[] = [];
  for (const f of files) {
    const built = await stat(join(repoRoot, 'dist', f.replace(/\.ts$/, '.js'))).catch(() => undefined);
    if (!built || built.mtimeMs < (await stat(join(src, f))).mtimeMs) stale.push(join('src', f));
  }
  return stale.sort();
}

/**
 * Compiles dist/ (`tsc -p tsconfig.build.json`), or with `build: false` throws when dist/ is not
 * fresh. Returns how dist/ was made ready, for the report.
 */
export async function ensureDist(repoRoot: string, build: boolean, log: (msg: string) => void): Promise<string> {
  if (build) {
    log('compiling dist/ (tsc -p tsconfig.build.json)');
    execFileSync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: repoRoot, stdio: 'inherit' });
    return 'dist/ compiled by this run';
  }
  const stale = await staleDistFiles(repoRoot);
  if (stale.length > 0) {
    throw new Error(`dist/ is older than ${stale.length} source file(s) (${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ', ...' : ''}): run \`npm run build\` or drop --skip-build`);
  }
  return 'dist/ checked newer than every source file (--skip-build)';
}
