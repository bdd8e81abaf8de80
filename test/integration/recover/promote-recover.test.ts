/**
 * SIGKILL around a promotion (canary-attach-promote.yaml, attached to a standalone mesh): killed
 * before "promoted" is journaled, recover restores the original; killed after it, the promotion
 * stands and recover only removes the dead run's ownership mark. Either way a new run is refused
 * until then and allowed after.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAdminClient } from '../../../src/mesh/admin/admin-client.js';
import { markOf, withoutMark } from '../../../src/traffic/local/attach-provider.js';
import { renderVirtualService } from '../../../src/traffic/render.js';
import { experimentFor, meshState, spawnCli, useMeshProcess } from '../../support/recover-harness.js';
import { TARGET } from '../../support/recover-in-process.js';

const fx = useMeshProcess();

describe('kill -9 around a promotion, then mesh-exp recover', () => {
  for (const [point, expected, label] of [
    ['before-promote', 'original', 'RESTORED'],
    ['after-promote', 'original', 'RESTORED'],
    ['after-promoted', 'promoted', 'RELEASED'],
  ] as const) {
    it(`killed at ${point}: recover leaves the ${expected} VirtualService, without the mark`, async () => {
      const file = await experimentFor('canary-attach-promote.yaml', fx.mesh.adminUrl);
      const runDir = path.join(fx.tmp, point);
      const killed = await spawnCli(['run', file, '--report-dir', runDir, '--no-progress'], { env: { MESH_EXP_FAILPOINT: point } }).exit;
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      expect(markOf((await meshState(fx.mesh.adminUrl)).vs)).toBe(path.join(runDir, 'journal.jsonl'));
      const refused = await spawnCli(['run', file, '--report-dir', `${runDir}-refused`, '--no-progress']).exit;
      expect(refused.code, refused.stderr).toBe(5);
      expect(refused.stderr).toContain(`mesh-exp recover ${runDir}`);

      const recovered = await spawnCli(['recover', runDir]).exit;
      expect(recovered.code, recovered.stderr).toBe(0);
      expect(recovered.stdout).toContain(label);
      const want = expected === 'original' ? fx.original.vs : renderVirtualService(fx.original.vs, TARGET, { canaryWeight: 100 });
      const state = await meshState(fx.mesh.adminUrl);
      expect(state.vs).toEqual(want);
      expect((await spawnCli(['recover', runDir]).exit).stdout).toContain('nothing to recover');

      // Back to the original for the next case (as an operator would undo a promotion).
      const admin = createAdminClient({ url: fx.mesh.adminUrl });
      await admin.putVirtualService(withoutMark(fx.original.vs), 'default');
      await admin.close();
    });
  }
});
