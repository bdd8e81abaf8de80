/**
 * Issue 18, bounded reads: whatever file a user names, `validate` and `run` end at once with
 * exit 2 and one problem naming the file and what it is: a FIFO (opening it would wait for a
 * writer forever), /dev/zero (would be read without end), a 2 MiB file, UTF-16 with and without a
 * byte order mark, Latin-1, and a FIFO given as a manifest. The FIFO case also runs as a real
 * process, since a blocked open is what ignored SIGTERM.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCliInProcess } from '../../support/cli.js';
import { buildCli, spawnCli } from '../../support/recover-harness.js';

const posix = process.platform !== 'win32';
const MANIFESTS = path.join(REPO_ROOT, 'test/fixtures/valid/_istio');

/** A valid experiment; `extra` lines go under metadata (e.g. a label with a non-ASCII value). */
function experiment(manifests: string = MANIFESTS, extra = ''): string {
  return [
    'apiVersion: mesh-exp.dev/v1alpha1',
    'kind: Experiment',
    'metadata:',
    '  name: bounded',
    ...(extra ? [extra] : []),
    'spec:',
    '  target: { virtualService: reviews, host: reviews, stable: v1, canary: v2 }',
    '  traffic: { shift: { steps: [50] } }',
    `  local: { manifests: [${JSON.stringify(manifests)}] }`,
    '',
  ].join('\n');
}

describe('bounded input: validate and run refuse what is not a small UTF-8 regular file', () => {
  let dir: string;
  const cases: [name: string, file: () => string, expected: string][] = [];
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-bounded-'));
    const put = (name: string, data: string | Buffer) => writeFile(path.join(dir, name), data);
    await put('big.yaml', `${experiment()}# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    await put('utf16-bom.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(experiment(), 'utf16le')]));
    await put('utf16.yaml', Buffer.from(experiment(), 'utf16le'));
    await put('latin1.yaml', Buffer.from(experiment(MANIFESTS, '  description: caf\u00e9'), 'latin1'));
    if (posix) {
      execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
      execFileSync('mkfifo', [path.join(dir, 'manifest-pipe.yaml')]);
      await put('fifo-manifest.yaml', experiment(path.join(dir, 'manifest-pipe.yaml')));
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const at = (name: string) => () => path.join(dir, name);
  cases.push(
    ['a 2 MiB file', at('big.yaml'), ':1:1 the file is 2 MiB, over the 1 MiB limit'],
    ['UTF-16 with a byte order mark', at('utf16-bom.yaml'), ':1:1 the file is UTF-16 (little-endian, with a byte order mark); mesh-exp reads UTF-8 only'],
    ['UTF-16 without a byte order mark', at('utf16.yaml'), ':1:1 the file is UTF-16 (little-endian, without a byte order mark); mesh-exp reads UTF-8 only'],
    ['Latin-1', at('latin1.yaml'), ':5:19 byte 0xE9 (byte offset 95) is not UTF-8'],
  );
  if (posix) cases.push(['a FIFO', at('pipe.yaml'), ':1:1 is a named pipe (FIFO), not a regular file']);
  if (existsSync('/dev/zero')) cases.push(['/dev/zero', () => '/dev/zero', ':1:1 is a character device, not a regular file']);

  it.each(cases)('%s: validate and run exit 2 at once, naming the file', async (_name, file, expected) => {
    for (const command of ['validate', 'run']) {
      const started = performance.now();
      const { code, stdout, stderr } = await runCliInProcess([command, file()], dir);
      expect(code, `${command}: ${stdout}${stderr}`).toBe(2);
      expect(stdout + stderr).toContain(`${file()}${expected}`);
      expect(performance.now() - started).toBeLessThan(5_000);
    }
  });

  it.runIf(posix)('a FIFO named as a manifest is refused where spec.local.manifests names it', async () => {
    const { code, stdout } = await runCliInProcess(['validate', 'fifo-manifest.yaml'], dir);
    expect(code).toBe(2);
    expect(stdout).toContain(`manifest-pipe.yaml:1:1 is a named pipe (FIFO), not a regular file`);
  });

  it.runIf(posix)('the real process ends with exit 2 on a FIFO, without waiting for a writer', async () => {
    buildCli();
    const { exit } = spawnCli(['run', path.join(dir, 'pipe.yaml')], { cwd: dir });
    const ended = await exit;
    expect(ended.code, ended.stderr).toBe(2);
    expect(ended.stderr + ended.stdout).toContain('is a named pipe (FIFO), not a regular file');
  });
});
