import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectFiles, configMapData } from './files.js';

describe('collectFiles', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-files-'));
    await mkdir(path.join(dir, 'a/b'), { recursive: true });
    await mkdir(path.join(dir, 'c d'), { recursive: true });
    await writeFile(path.join(dir, 'a/b/exp.yaml'), 'kind: Experiment\n');
    await writeFile(path.join(dir, 'c d/rows.csv'), '\ufeffid\n1\n');
    await writeFile(path.join(dir, 'a/b/blob.bin'), Buffer.from([0xff, 0xfe, 0x00, 0x80]));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));
  const ref = (rel: string, written = rel) => ({ abs: path.join(dir, rel), written, field: 'f' });

  it('lays the files out under their deepest common directory, with keys a ConfigMap accepts, unique', async () => {
    const files = await collectFiles([ref('a/b/exp.yaml', 'exp.yaml'), ref('c d/rows.csv', '../../c d/rows.csv'), ref('a/b/blob.bin', 'blob.bin')]);
    expect(files.entry).toBe('a/b/exp.yaml');
    expect(files.files.map((f) => [f.key, f.path])).toEqual([
      ['00-a_b_blob.bin', 'a/b/blob.bin'],
      ['01-a_b_exp.yaml', 'a/b/exp.yaml'],
      ['02-c_d_rows.csv', 'c d/rows.csv'],
    ]);
    expect(files.size).toBe(files.files.reduce((n, f) => n + f.key.length + f.bytes.length, 0));
  });

  it('keeps text under data (a byte order mark included) and anything else under binaryData', async () => {
    const files = await collectFiles([ref('a/b/exp.yaml', 'exp.yaml'), ref('c d/rows.csv', '../../c d/rows.csv'), ref('a/b/blob.bin', 'blob.bin')]);
    const { data, binaryData } = configMapData(files.files);
    expect(data).toEqual({ '01-a_b_exp.yaml': 'kind: Experiment\n', '02-c_d_rows.csv': '\ufeffid\n1\n' });
    expect(binaryData).toEqual({ '00-a_b_blob.bin': Buffer.from([0xff, 0xfe, 0x00, 0x80]).toString('base64') });
  });

  it('the mount also stands for the directories in cover (where notify URL files are projected)', async () => {
    const files = await collectFiles([ref('a/b/exp.yaml', 'exp.yaml')], [path.join(dir, 'a/secrets')]);
    expect(files.root).toBe(path.join(dir, 'a'));
    expect(files.entry).toBe('b/exp.yaml');
    expect(files.files.map((f) => f.path)).toEqual(['b/exp.yaml']);
  });

  it('a single file sits at the top of the mount', async () => {
    expect((await collectFiles([ref('a/b/exp.yaml', 'exp.yaml')])).files.map((f) => f.path)).toEqual(['exp.yaml']);
  });
});
