import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBytes, readUserText } from './read-user-file.js';

const posix = process.platform !== 'win32';

describe('readUserText', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-read-'));
    await writeFile(path.join(dir, 'small.yaml'), 'a: 1\n');
    await writeFile(path.join(dir, 'exact.yaml'), 'x'.repeat(1024));
    await mkdir(path.join(dir, 'sub'));
    if (posix) execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads a regular file up to and including the limit', async () => {
    expect(await readUserText(path.join(dir, 'small.yaml'), 'small.yaml')).toEqual({ text: 'a: 1\n', problems: [] });
    expect((await readUserText(path.join(dir, 'exact.yaml'), 'exact.yaml', { maxBytes: 1024 })).text).toHaveLength(1024);
    expect((await readUserText(path.join(dir, 'exact.yaml'), 'exact.yaml', { maxBytes: 1023 })).problems[0]!.message).toBe('the file is 1 KiB, over the 1023 B limit');
  });

  it('refuses a directory and a missing file', async () => {
    expect((await readUserText(path.join(dir, 'sub'), 'sub')).problems).toMatchObject([{ file: 'sub', line: 1, col: 1, message: 'is a directory, not a file' }]);
    expect((await readUserText(path.join(dir, 'nope.yaml'), 'nope.yaml')).problems).toMatchObject([{ message: 'file not found' }]);
  });

  it.runIf(posix)('refuses a FIFO at once, without opening it (which would wait for a writer)', async () => {
    const read = await readUserText(path.join(dir, 'pipe.yaml'), 'pipe.yaml');
    expect(read.problems).toMatchObject([{ file: 'pipe.yaml', message: 'is a named pipe (FIFO), not a regular file' }]);
  });

  it.runIf(existsSync('/dev/zero'))('refuses /dev/zero as a device, reading nothing', async () => {
    const read = await readUserText('/dev/zero', '/dev/zero');
    expect(read.problems).toMatchObject([{ file: '/dev/zero', message: 'is a character device, not a regular file' }]);
  });

  it.runIf(existsSync('/proc/self/status'))('enforces the limit while reading a file whose stat size is 0 (/proc)', async () => {
    // /proc files report size 0 but hold hundreds of bytes: only the bounded read catches them.
    const read = await readUserText('/proc/self/status', 'status', { maxBytes: 64 });
    expect(read.problems).toMatchObject([{ message: 'the file is over the 64 B limit' }]);
  });
});

describe('formatBytes', () => {
  it('uses B, KiB and MiB', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3 MiB');
  });
});
