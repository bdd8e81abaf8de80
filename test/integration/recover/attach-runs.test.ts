/**
 * Runs attached to a running mesh (in this process, through runCli): a second run on a held
 * VirtualService refuses (exit 5) before any change, naming the holder's run directory; a lost
 * claim race is a TargetBusyError; a promoted run leaves the promotion without its mark; and an
 * object someone else changed mid-run is never overwritten by the restore (exit 4).
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SignalError, TargetBusyError } from '../../../src/errors.js';
import type { VirtualService } from '../../../src/istio/types.js';
import { createAdminClient } from '../../../src/mesh/admin/admin-client.js';
import { readJournal } from '../../../src/runner/journal.js';
import { renderVirtualService } from '../../../src/traffic/render.js';
import { createAttachProvider, markOf, withMark } from '../../../src/traffic/local/attach-provider.js';
import { experimentFor } from '../../support/recover-harness.js';
import { cli, TARGET, useInProcessMesh, waitFor } from '../../support/recover-in-process.js';

const fx = useInProcessMesh();
const target = TARGET;
afterEach(() => {
  // Every test starts from the original object, whatever the previous one left.
  fx.mesh.applyVirtualService(fx.original);
});

describe('runs attached to a running mesh', () => {
  it('a second run on a held VirtualService refuses before any change (exit 5), naming the run and the recover command', async () => {
    const file = await experimentFor('canary-attach.yaml', fx.mesh.adminUrl);
    const controller = new AbortController();
    const first = cli(['run', file, '--report-dir', path.join(fx.tmp, 'first'), '--no-progress'], { signal: controller.signal });
    await waitFor(() => first.stderr().includes('step 1/3: applied'));
    const generation = fx.mesh.generation;
    const second = cli(['run', file, '--report-dir', path.join(fx.tmp, 'second'), '--no-progress']);
    expect(await second.code).toBe(5);
    expect(second.stderr()).toContain(`the run in ${path.join(fx.tmp, 'first')} has not restored it: that run is still going, or it crashed`);
    expect(second.stderr()).toContain(`hint: if it is still going, wait for it to end; if it crashed (killed, power loss), put the VirtualService back first: mesh-exp recover ${path.join(fx.tmp, 'first')}`);
    expect(fx.mesh.generation).toBe(generation);
    controller.abort(new SignalError('SIGINT'));
    expect(await first.code).toBe(130);
    expect(fx.mesh.getVirtualService('default', 'reviews')).toEqual(fx.original);
  });

  it('a claim lost to another writer between snapshot and claim is a TargetBusyError naming the other owner', async () => {
    const a = createAttachProvider({ name: 'local-attach', endpoint: fx.mesh.adminUrl, target });
    const b = createAttachProvider({ name: 'local-attach', endpoint: fx.mesh.adminUrl, target });
    await a.snapshot();
    await b.snapshot();
    await b.claim!('/runs/b/journal.jsonl');
    const lost = await a.claim!('/runs/a/journal.jsonl').catch((err: unknown) => err);
    expect(lost).toBeInstanceOf(TargetBusyError);
    expect(lost).toMatchObject({ owner: '/runs/b/journal.jsonl', message: expect.stringContaining('another run claimed it; nothing was changed') });
    expect(markOf(fx.mesh.getVirtualService('default', 'reviews'))).toBe('/runs/b/journal.jsonl');
    await Promise.all([a.close(), b.close()]);
  });

  it('a promoted run leaves the promotion in force without its mark, journaled promoted and released', async () => {
    const file = await experimentFor('canary-attach-promote.yaml', fx.mesh.adminUrl);
    const runDir = path.join(fx.tmp, 'promote');
    const run = cli(['run', file, '--report-dir', runDir, '--no-progress']);
    expect(await run.code, run.stderr()).toBe(0);
    const served = fx.mesh.getVirtualService('default', 'reviews')!;
    expect(served).toEqual(renderVirtualService(fx.original, target, { canaryWeight: 100 }));
    expect(markOf(served)).toBeUndefined();
    expect((await readJournal(path.join(runDir, 'journal.jsonl'))).map((e) => e.type).slice(-4)).toEqual(['apply', 'promoted', 'released', 'end']);
  });

  it('an object someone else changed mid-run is not overwritten: the run ends with exit 4 and says why', async () => {
    const file = await experimentFor('canary-attach.yaml', fx.mesh.adminUrl);
    const runDir = path.join(fx.tmp, 'tampered');
    const run = cli(['run', file, '--report-dir', runDir, '--no-progress']);
    await waitFor(() => run.stderr().includes('step 1/3: applied'));
    // Another writer replaces the object (without the run's mark) while step 1 is measured.
    const theirs: VirtualService = { ...fx.original, spec: { ...fx.original.spec, http: [{ name: 'theirs', route: [{ destination: { host: 'reviews', subset: 'v2' } }] }] } };
    const admin = createAdminClient({ url: fx.mesh.adminUrl });
    await admin.putVirtualService(theirs, 'default');
    await admin.close();
    expect(await run.code).toBe(4);
    expect(run.stderr()).toContain('was changed by someone else during the run');
    expect(run.stderr()).toContain('no longer carries this run\'s mark, so someone else changed it');
    expect(fx.mesh.getVirtualService('default', 'reviews')).toEqual(theirs);
    const result = JSON.parse(await readFile(path.join(runDir, 'result.json'), 'utf8'));
    expect(result).toMatchObject({ restored: false, exitCode: 4 });
  });

  it('refuses on a mark naming a journal that does not exist here, and on a stale mark that recover then removes', async () => {
    const file = await experimentFor('canary-attach.yaml', fx.mesh.adminUrl);
    fx.mesh.applyVirtualService(withMark(fx.original, '/elsewhere/run/journal.jsonl'));
    const elsewhere = cli(['run', file, '--report-dir', path.join(fx.tmp, 'x'), '--no-progress']);
    expect(await elsewhere.code).toBe(5);
    expect(elsewhere.stderr()).toContain('that journal does not exist here (the run ran on another machine, or its directory was removed)');

    // A complete journal whose mark is still on the object (as a promoted run killed before its release leaves it).
    const done = path.join(fx.tmp, 'promote', 'journal.jsonl');
    fx.mesh.applyVirtualService(withMark(fx.original, done));
    const stale = cli(['run', file, '--report-dir', path.join(fx.tmp, 'y'), '--no-progress']);
    expect(await stale.code).toBe(5);
    expect(stale.stderr()).toContain(`hint: mesh-exp recover ${path.dirname(done)} removes the mark (and changes nothing else)`);
    const recover = cli(['recover', path.dirname(done)]);
    expect(await recover.code, recover.stderr()).toBe(0);
    expect(recover.stdout()).toContain('RELEASED');
    expect(fx.mesh.getVirtualService('default', 'reviews')).toEqual(fx.original);
  });
});
