/**
 * Real signals to a real `mesh-exp run` child attached to a standalone mesh (so what the mesh
 * serves afterwards can be read): SIGTERM and SIGHUP mid-step restore and exit 143 / 129; SIGINT
 * sent again (twice) while the restore runs does not abandon it — the restore is held open with a
 * `sleep` failpoint so the extra signals land inside it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { meshState, spawnCli, useMeshProcess } from '../../support/recover-harness.js';

const fx = useMeshProcess();

async function journalTypes(runDir: string): Promise<string[]> {
  return (await readFile(path.join(runDir, 'journal.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l).type as string);
}

describe('mesh-exp run (attached) under real signals', () => {
  for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    it(`${signal} mid-step restores the mesh and exits ${code}`, async () => {
      const runDir = path.join(fx.tmp, signal);
      let sent = false;
      const { exit } = spawnCli(['run', fx.experiment, '--report-dir', runDir, '--no-progress'], {
        onStderr: (text, child) => {
          if (!sent && text.includes('step 2/3: applied')) {
            sent = true;
            child.kill(signal);
          }
        },
      });
      const result = await exit;
      expect(result.code, result.stderr).toBe(code);
      expect(result.stderr).toContain(`received ${signal}: restoring the mesh`);
      expect(await journalTypes(runDir)).toEqual(['snapshot', 'claim', 'apply', 'apply', 'restore-start', 'restore-done', 'end']);
      expect(JSON.parse(await readFile(path.join(runDir, 'result.json'), 'utf8'))).toMatchObject({ outcome: 'interrupted', restored: true, exitCode: code });
      expect(await meshState(fx.mesh.adminUrl)).toEqual({ ...fx.original, resourceVersion: expect.any(String) });
    });
  }

  it('a second and third Ctrl-C during the restore do not abandon it: exit 130, restored', async () => {
    const runDir = path.join(fx.tmp, 'sigint-twice');
    let stage = 0;
    const { exit } = spawnCli(['run', fx.experiment, '--report-dir', runDir, '--no-progress'], {
      // The restore sleeps 2 s after journaling restore-start, so the next signals arrive mid-restore.
      env: { MESH_EXP_FAILPOINT: 'after-restore-start=sleep(2000)' },
      onStderr: (text, child) => {
        if (stage === 0 && text.includes('step 1/3: applied')) {
          stage = 1;
          child.kill('SIGINT');
        } else if (stage === 1 && text.includes('failpoint after-restore-start:1: sleeping')) {
          stage = 2;
          child.kill('SIGINT');
          setTimeout(() => child.kill('SIGINT'), 300);
        }
      },
    });
    const result = await exit;
    expect(stage).toBe(2);
    expect(result.signal).toBeNull();
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr.match(/received SIGINT again: still restoring/g)).toHaveLength(2);
    expect((await journalTypes(runDir)).slice(-3)).toEqual(['restore-start', 'restore-done', 'end']);
    const state = await meshState(fx.mesh.adminUrl);
    expect(state.vs).toEqual(fx.original.vs);
    expect(state.dump).toEqual(fx.original.dump);
  });
});
