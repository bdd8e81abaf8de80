import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureDist, staleDistFiles } from './dist.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function tree(files: Record<string, number>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ingest-dist-'));
  dirs.push(root);
  for (const [path, mtimeS] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), '');
    await utimes(join(root, path), mtimeS, mtimeS);
  }
  return root;
}

describe('staleDistFiles (bench/ingest)', () => {
  it('lists sources whose compiled file is missing or older, ignoring tests', async () => {
    const root = await tree({
      'src/a.ts': 100,
      'dist/a.js': 200,
      'src/load/k6/b.ts': 300,
      'dist/load/k6/b.js': 200,
      'src/c.ts': 100,
      'src/c.test.ts': 500,
    });
    expect(await staleDistFiles(root)).toEqual([join('src', 'c.ts'), join('src', 'load', 'k6', 'b.ts')]);
  });

  it('refuses a stale dist/ when the build is skipped, and accepts a fresh one', async () => {
    const stale = await tree({ 'src/a.ts': 300, 'dist/a.js': 200 });
    await expect(ensureDist(stale, false, () => {})).rejects.toThrow(/older than 1 source file\(s\) \(src\/a\.ts\)/);
    const fresh = await tree({ 'src/a.ts': 100, 'dist/a.js': 200 });
    await expect(ensureDist(fresh, false, () => {})).resolves.toMatch(/checked newer/);
  });
});
