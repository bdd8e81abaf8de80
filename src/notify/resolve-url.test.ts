import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import type { NotifyTargetSpec } from '../experiment/notify-schema.js';
import { requireNotifyTargets, resolveNotifyTargets, urlLabel, withoutNotifySecrets } from './resolve-url.js';

const SECRET = 'https://hooks.example.com/services/T0/B0/s3cr3t-token';
const target = (urlFrom: NotifyTargetSpec['urlFrom']): NotifyTargetSpec => ({ type: 'slack', urlFrom, on: ['start', 'verdict'], timeout: 5000, retries: 3 });

describe('resolveNotifyTargets', () => {
  it('reads the URL from the environment or from the first line of a file relative to the experiment', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-notify-'));
    await writeFile(path.join(dir, 'hook.txt'), `  ${SECRET}\n# a comment line is ignored\n`);
    const got = await resolveNotifyTargets([target({ env: 'HOOK' }), target({ file: 'hook.txt' })], { env: { HOOK: ` ${SECRET}\n` }, dir });
    expect(got.problems).toEqual([]);
    expect(got.targets.map((t) => [t.url, t.label, t.on, t.timeoutMs, t.retries])).toEqual([
      [SECRET, '<url from $HOOK>', ['start', 'verdict'], 5000, 3],
      [SECRET, '<url from file hook.txt>', ['start', 'verdict'], 5000, 3],
    ]);
  });

  it('reports every unusable target by index, and never quotes what the variable or file holds', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-notify-'));
    await writeFile(path.join(dir, 'ftp.txt'), 'ftp://s3cr3t-token@example.com/\n');
    const env = { EMPTY: '', BAD: 'not a url s3cr3t-token', FTP: 'ftp://s3cr3t-token@x/' };
    const specs = [target({ env: 'UNSET' }), target({ env: 'EMPTY' }), target({ env: 'BAD' }), target({ env: 'FTP' }), target({ file: 'missing.txt' }), target({ file: 'ftp.txt' })];
    const { targets, problems } = await resolveNotifyTargets(specs, { env, dir });
    expect(targets).toEqual([]);
    expect(problems.map((p) => `${p.index} ${p.message}`)).toEqual([
      '0 environment variable UNSET is not set',
      '1 environment variable EMPTY is empty',
      '2 environment variable BAD holds whitespace inside the URL',
      '3 environment variable FTP holds a ftp URL, not http or https',
      '4 cannot read the URL file missing.txt: file not found',
      '5 the URL file ftp.txt holds a ftp URL, not http or https',
    ]);
    expect(JSON.stringify(problems)).not.toContain('s3cr3t');
  });

  it('requireNotifyTargets throws a usage error (exit 2) naming the field', async () => {
    const err = await requireNotifyTargets([target({ env: 'NOPE' })], { env: {}, dir: '.' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as UsageError).message).toBe('spec.notify[0].urlFrom.env: environment variable NOPE is not set');
  });

  it('labels a target by where its URL comes from', () => {
    expect(urlLabel({ env: 'X' })).toBe('<url from $X>');
    expect(urlLabel({ file: 'secrets/hook' })).toBe('<url from file secrets/hook>');
  });
});

describe('withoutNotifySecrets', () => {
  it('drops the variables the targets read their URL from, and keeps the rest', () => {
    const env = { PATH: '/bin', HOOK: 'https://hooks.example/secret', OTHER_HOOK: 'x' };
    expect(withoutNotifySecrets(env, [{ urlFrom: { env: 'HOOK' } }, { urlFrom: { file: 'url.txt' } }])).toEqual({ PATH: '/bin', OTHER_HOOK: 'x' });
    expect(withoutNotifySecrets(env, undefined)).toEqual(env);
    expect(env.HOOK).toBe('https://hooks.example/secret');
  });
});
