import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../errors.js';
import { findK6, parseK6Version } from './find-k6.js';

async function dirWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'find-k6-'));
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text, { mode: 0o755 });
  return dir;
}

describe('parseK6Version', () => {
  it('reads the version of k6 version output, extensions listed or not', () => {
    expect(parseK6Version('k6 v2.2.0 (commit/1a2b3c4d5e, go1.24.4, linux/amd64)\n')).toBe('v2.2.0');
    expect(parseK6Version('k6 v1.0.0-rc1 (go1.24.2, linux/amd64)\nExtensions:\n  github.com/x/xk6-y v0.1.0, k6/x/y [js]\n')).toBe('v1.0.0-rc1');
    expect(parseK6Version('Version: v12.13.0\n')).toBeUndefined();
    expect(parseK6Version('')).toBeUndefined();
  });
});

describe('findK6', () => {
  it('refuses with exit 2, the install link and the other engines when no k6 is on PATH', async () => {
    const err = await findK6({ env: { PATH: await dirWith({}) } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as UsageError).message).toContain('there is none');
    expect((err as UsageError).hint).toBe('install k6 (https://grafana.com/docs/k6/latest/set-up/install-k6/) or use load.generator: vegeta / builtin');
  });

  it('skips a k6 that is not k6 and takes the next one on PATH', async () => {
    const fake = await dirWith({ k6: '#!/bin/sh\necho "hello"\nexit 3\n' });
    const real = await dirWith({ k6: '#!/bin/sh\n[ "$1" = version ] && echo "k6 v2.2.0 (commit/devel, go1.24.4, linux/amd64)"\n' });
    expect(await findK6({ env: { PATH: `${fake}${path.delimiter}${real}` } })).toEqual({ file: path.join(real, 'k6'), version: 'v2.2.0' });
    const err = (await findK6({ env: { PATH: fake } }).catch((e: unknown) => e)) as UsageError;
    expect(err.message).toContain(`${path.join(fake, 'k6')} did not answer \`k6 version\` as k6 does (exit 3)`);
    const old = await dirWith({ k6: '#!/bin/sh\necho "k6 v0.49.0 (go1.21.6, linux/amd64)"\n' });
    const tooOld = (await findK6({ env: { PATH: old } }).catch((e: unknown) => e)) as UsageError;
    expect(tooOld.message).toContain(`${path.join(old, 'k6')} is k6 v0.49.0, and mesh-exp needs k6 v1.0 or later`);
  });
});
