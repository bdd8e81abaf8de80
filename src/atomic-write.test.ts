import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-atomic-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('replaces the file whole and leaves no temporary file', async () => {
    const file = path.join(dir, 'report.html');
    await writeFile(file, 'old');
    await writeFileAtomic(file, 'new text');
    expect(await readFile(file, 'utf8')).toBe('new text');
    expect(await readdir(dir)).toEqual(['report.html']);
  });

  it('a failed write keeps the old file and removes its temporary file', async () => {
    const file = path.join(dir, 'kept.txt');
    await writeFile(file, 'old');
    // A directory where the rename must put a file: the rename fails after the text is written.
    const blocked = path.join(dir, 'blocked');
    await import('node:fs/promises').then((fs) => fs.mkdir(path.join(blocked, 'x'), { recursive: true }));
    await expect(writeFileAtomic(blocked, 'text')).rejects.toThrow();
    expect(await readFile(file, 'utf8')).toBe('old');
    expect((await readdir(dir)).sort()).toEqual(['blocked', 'kept.txt', 'report.html']);
  });
});
