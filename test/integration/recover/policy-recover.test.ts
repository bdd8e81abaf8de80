/**
 * traffic.policy attached to a standalone `mesh-exp mesh` (policy-attach.yaml): the DestinationRule
 * the policy changes is snapshotted into the journal, and after a SIGKILL at any of the moments it
 * is changed (claimed, applied, mid-step, half restored) `mesh-exp recover` puts it back exactly:
 * the rule, the VirtualService and the whole /config_dump equal what the mesh served before.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DestinationRule } from '../../../src/istio/types.js';
import { createAdminClient } from '../../../src/mesh/admin/admin-client.js';
import { readJournal } from '../../../src/runner/journal.js';
import { markOf } from '../../../src/traffic/local/attach-provider.js';
import { experimentFor, meshState, spawnCli, useMeshProcess } from '../../support/recover-harness.js';

const fx = useMeshProcess();

/** The reviews DestinationRule the mesh serves now. */
async function servedRule(): Promise<DestinationRule> {
  const admin = createAdminClient({ url: fx.mesh.adminUrl });
  try {
    return (await admin.getDestinationRule('default', 'reviews'))!.destinationRule;
  } finally {
    await admin.close();
  }
}

describe('traffic.policy on an attached mesh: kill -9, then mesh-exp recover', () => {
  it('a whole run applies the policy to v2 and restores the DestinationRule', async () => {
    const file = await experimentFor('policy-attach.yaml', fx.mesh.adminUrl);
    const run = await spawnCli(['run', file, '--report-dir', path.join(fx.tmp, 'whole'), '--no-progress']).exit;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('connectionPool + outlierDetection on v2');
    expect(await meshState(fx.mesh.adminUrl)).toEqual({ ...fx.original, resourceVersion: expect.any(String) });
  });

  for (const point of ['after-claim', 'after-verify:1', 'mid-load:2', 'mid-restore']) {
    it(`killed at ${point}: recover restores the DestinationRule exactly`, async () => {
      const original = await servedRule();
      const file = await experimentFor('policy-attach.yaml', fx.mesh.adminUrl);
      const runDir = path.join(fx.tmp, point.replace(':', '-'));
      const killed = await spawnCli(['run', file, '--report-dir', runDir, '--no-progress'], { env: { MESH_EXP_FAILPOINT: point } }).exit;
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      const left = await servedRule();
      // The dead run left the rule marked as its own (and, once a step applied, changed).
      expect(markOf(left)).toBe(path.join(runDir, 'journal.jsonl'));
      if (point !== 'after-claim') expect(left.spec.subsets!.find((s) => s.name === 'v2')!.trafficPolicy).toMatchObject({ connectionPool: { tcp: { maxConnections: 10 } } });
      const snapshot = (await readJournal(path.join(runDir, 'journal.jsonl')))[0]!;
      expect(snapshot.type === 'snapshot' && snapshot.policyOriginal).toEqual(original);

      const recovered = await spawnCli(['recover', runDir]).exit;
      expect(recovered.code, recovered.stderr + recovered.stdout).toBe(0);
      expect(recovered.stdout).toContain('DestinationRule default/reviews');
      expect(await servedRule()).toEqual(original);
      expect(await meshState(fx.mesh.adminUrl)).toEqual({ ...fx.original, resourceVersion: expect.any(String) });
      expect((await spawnCli(['recover', runDir]).exit).stdout).toContain('nothing to recover');
    });
  }
});
