/**
 * `mesh-exp recover` through runCli, on journals written as a crashed run leaves them: nothing to
 * recover, an in-process mesh (gone with its process), the newest unrecovered run found under
 * --report-dir, a corrupted journal (file and line named), an unreachable target (exit 3 with a
 * hint, journal untouched), and a restore through a running mesh that is verified and idempotent.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJournal, readJournal } from '../../../src/runner/journal.js';
import { renderVirtualService } from '../../../src/traffic/render.js';
import { withMark } from '../../../src/traffic/local/attach-provider.js';
import { freePort } from '../../support/free-port.js';
import { cli, TARGET, useInProcessMesh } from '../../support/recover-in-process.js';

const fx = useInProcessMesh();
const target = TARGET;

/** Writes the journal of a run killed after step 1 was applied; returns its run directory. */
async function crashedRun(name: string, provider: 'local' | 'local-attach', endpoint?: string): Promise<string> {
  const dir = path.join(fx.tmp, name);
  await mkdir(dir, { recursive: true });
  const journal = createJournal({ dir });
  await journal.append({ type: 'snapshot', provider, ...(endpoint ? { endpoint } : {}), target, original: fx.original });
  if (provider === 'local-attach') await journal.append({ type: 'claim', owner: journal.path });
  await journal.append({ type: 'apply', step: 0, state: { canaryWeight: 20 } });
  return dir;
}

describe('mesh-exp recover', () => {
  it('refuses a journal that is not a regular file (a FIFO would block the read), naming it (exit 2)', async () => {
    const dir = path.join(fx.tmp, 'fifo-journal');
    await mkdir(dir, { recursive: true });
    execFileSync('mkfifo', [path.join(dir, 'journal.jsonl')]);
    const run = cli(['recover', dir]);
    expect(await run.code).toBe(2);
    expect(run.stderr()).toContain(`${path.join(dir, 'journal.jsonl')} is a named pipe (FIFO), not a regular file`);
  });

  it('says there is nothing to recover when no run directory needs it (exit 0)', async () => {
    const run = cli(['recover', '--report-dir', path.join(fx.tmp, 'empty')]);
    expect(await run.code).toBe(0);
    expect(run.stdout()).toBe(`nothing to recover: no run directory under ${path.join(fx.tmp, 'empty')} has an unrecovered journal\n`);
  });

  it('explains that an in-process mesh died with its process and marks the journal recovered', async () => {
    const dir = await crashedRun('in-process', 'local');
    const run = cli(['recover', dir]);
    expect(await run.code).toBe(0);
    expect(run.stdout()).toContain('RECOVERED');
    expect(run.stdout()).toContain('ran inside the mesh-exp process, so it stopped with it');
    expect((await readJournal(path.join(dir, 'journal.jsonl'))).at(-1)).toMatchObject({ type: 'recovered' });
    const again = cli(['recover', dir]);
    expect(await again.code).toBe(0);
    expect(again.stdout()).toContain('nothing to recover');
  });

  it('restores through the running mesh, verifies, and the second time has nothing to do', async () => {
    const dir = await crashedRun('attached', 'local-attach', fx.mesh.adminUrl);
    fx.mesh.applyVirtualService(withMark(renderVirtualService(fx.original, target, { canaryWeight: 20 }), path.join(dir, 'journal.jsonl')));
    // Found by default: the newest unrecovered run under the report directory.
    const run = cli(['recover', '--report-dir', fx.tmp]);
    expect(await run.code, run.stderr()).toBe(0);
    expect(run.stdout()).toContain(`RESTORED ${dir}: restored VirtualService default/reviews to the original (verified)`);
    expect(run.stderr()).toContain('recover: reading');
    expect(run.stderr()).toContain('the last: apply step 1 at');
    expect(fx.mesh.getVirtualService('default', 'reviews')).toEqual(fx.original);
    expect((await readJournal(path.join(dir, 'journal.jsonl'))).map((e) => e.type).slice(-2)).toEqual(['restore-start', 'restore-done']);
    const again = cli(['recover', dir]);
    expect(await again.code).toBe(0);
    expect(again.stdout()).toContain('nothing to recover');
  });

  it('an unreachable target is a runtime error (exit 3) with a hint, and the journal is untouched', async () => {
    const endpoint = `http://127.0.0.1:${await freePort()}`;
    const dir = await crashedRun('unreachable', 'local-attach', endpoint);
    const before = await readFile(path.join(dir, 'journal.jsonl'), 'utf8');
    const run = cli(['recover', dir]);
    expect(await run.code).toBe(3);
    expect(run.stderr()).toContain(`error: cannot reach VirtualService default/reviews through local-attach at ${endpoint} to restore it`);
    expect(run.stderr()).toContain(`hint: start the mesh again at that address`);
    expect(await readFile(path.join(dir, 'journal.jsonl'), 'utf8')).toBe(before);
  });

  it('a corrupted journal is exit 2 naming the file and the line; a directory without a journal is exit 2', async () => {
    const dir = await crashedRun('corrupt', 'local');
    const file = path.join(dir, 'journal.jsonl');
    const lines = (await readFile(file, 'utf8')).split('\n');
    await writeFile(file, [lines[0], '{"type": "apply", "step": 0, "sta', lines[1], ''].join('\n'));
    const run = cli(['recover', dir]);
    expect(await run.code).toBe(2);
    expect(run.stderr()).toContain(`${file}:2 corrupted journal: not a JSON journal line`);
    const none = cli(['recover', fx.tmp]);
    expect(await none.code).toBe(2);
    expect(none.stderr()).toContain('has no journal.jsonl: it is not a run directory');
  });

  it('has --help with examples and the exit codes', async () => {
    const run = cli(['recover', '--help']);
    expect(await run.code).toBe(0);
    expect(run.stdout()).toContain('$ mesh-exp recover reports/');
    expect(run.stdout()).toContain('3  the target cannot be reached');
  });
});
