import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../errors.js';
import { findVegeta } from './find-vegeta.js';

async function dirWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'find-vegeta-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text, { mode: 0o755 });
  return dir;
}

describe('findVegeta', () => {
  it('refuses with exit 2 and "Go is absent" when neither vegeta nor go is found', async () => {
    const err = await findVegeta({ env: { PATH: '' }, packageRoot: await dirWith({}) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as UsageError).message).toContain('found neither in .tools/vegeta/bin nor on PATH');
    expect((err as UsageError).hint).toMatch(/^Go is absent.*go install github\.com\/tsenart\/vegeta\/v12@v12\.13\.0; or use load\.generator: builtin$/);
  });

  it('skips a vegeta on PATH of another version, and says how to install when go is there', async () => {
    const bin = await dirWith({ vegeta: '#!/bin/sh\necho "Version: v12.8.4"\n', go: '#!/bin/sh\n' });
    const err = (await findVegeta({ env: { PATH: bin }, packageRoot: await dirWith({}) }).catch((e: unknown) => e)) as UsageError;
    expect(err.message).toContain(`${path.join(bin, 'vegeta')} is v12.8.4`);
    expect(err.hint).toMatch(/^install it: GOBIN=.* go install github\.com\/tsenart\/vegeta\/v12@v12\.13\.0/);
  });

  it('takes a vegeta on PATH that reports v12.13.0', async () => {
    const bin = await dirWith({ vegeta: '#!/bin/sh\necho "Version: v12.13.0"\n' });
    expect(await findVegeta({ env: { PATH: bin }, packageRoot: await dirWith({}) })).toBe(path.join(bin, 'vegeta'));
  });
});
