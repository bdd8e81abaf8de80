/**
 * traffic.policy on a running mesh (in this process, through runCli and the attach provider): a
 * DestinationRule held by another run refuses a new one before any change; a rule changed between
 * the snapshot and the claim is a TargetBusyError that leaves the VirtualService unmarked; a rule
 * someone else changed mid-run is never overwritten (exit 4) while the VirtualService is still
 * restored; a promoted run leaves both objects as they were, unmarked.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SignalError, TargetBusyError } from '../../../src/errors.js';
import type { DestinationRule } from '../../../src/istio/types.js';
import { createAdminClient } from '../../../src/mesh/admin/admin-client.js';
import { createAttachProvider, markOf, withMark } from '../../../src/traffic/local/attach-provider.js';
import { renderVirtualService } from '../../../src/traffic/render.js';
import { experimentFor } from '../../support/recover-harness.js';
import { cli, TARGET, useInProcessMesh, waitFor } from '../../support/recover-in-process.js';

const fx = useInProcessMesh();
let originalRule: DestinationRule;
const servedRule = () => fx.mesh.getDestinationRules().find((r) => r.metadata.name === 'reviews')!;
const policyState = { policy: { subset: 'v2', connectionPool: { tcp: { maxConnections: 10 } } } };

afterEach(async () => {
  originalRule ??= servedRule();
  // Every test starts from the original objects, whatever the previous one left.
  await fx.mesh.applyObjects({ virtualServices: [fx.original], destinationRules: [originalRule] });
});

/** PUTs `dr` unconditionally, as another writer would. */
async function putRule(dr: DestinationRule): Promise<void> {
  const admin = createAdminClient({ url: fx.mesh.adminUrl });
  await admin.putDestinationRule(dr, 'default');
  await admin.close();
}

describe('traffic.policy on a running mesh', () => {
  it('a DestinationRule held by another run refuses a new run before any change (exit 5)', async () => {
    originalRule ??= servedRule();
    await putRule(withMark(originalRule, '/elsewhere/run/journal.jsonl'));
    const generation = fx.mesh.generation;
    const run = cli(['run', await experimentFor('policy-attach.yaml', fx.mesh.adminUrl), '--report-dir', path.join(fx.tmp, 'held'), '--no-progress']);
    expect(await run.code, run.stderr()).toBe(5);
    expect(run.stderr()).toContain('refusing to start: DestinationRule default/reviews of the mesh at');
    expect(run.stderr()).toContain('remove the annotation mesh-exp.dev/journal from the object named above by hand');
    expect(fx.mesh.generation).toBe(generation);
  });

  it('a rule changed between snapshot and claim: TargetBusyError, and the VirtualService is left unmarked', async () => {
    originalRule ??= servedRule();
    const provider = createAttachProvider({ name: 'local-attach', endpoint: fx.mesh.adminUrl, target: TARGET, plannedStates: [policyState] });
    const snap = await provider.snapshot();
    expect(snap.policyOriginal).toEqual(originalRule);
    await putRule(withMark(originalRule, '/runs/b/journal.jsonl'));
    const lost = await provider.claim!('/runs/a/journal.jsonl').catch((err: unknown) => err);
    expect(lost).toBeInstanceOf(TargetBusyError);
    expect(lost).toMatchObject({ owner: '/runs/b/journal.jsonl', message: expect.stringContaining('DestinationRule default/reviews') });
    expect(fx.mesh.getVirtualService('default', 'reviews')).toEqual(fx.original);
    await provider.close();
  });

  it('a rule someone else changed mid-run is not overwritten (exit 4); the VirtualService is still restored', async () => {
    originalRule ??= servedRule();
    const controller = new AbortController();
    const run = cli(['run', await experimentFor('policy-attach.yaml', fx.mesh.adminUrl), '--report-dir', path.join(fx.tmp, 'tampered'), '--no-progress'], { signal: controller.signal });
    await waitFor(() => run.stderr().includes('step 1/2: applied'));
    const theirs: DestinationRule = { ...originalRule, spec: { ...originalRule.spec, trafficPolicy: { loadBalancer: { simple: 'RANDOM' } } } };
    await putRule(theirs);
    controller.abort(new SignalError('SIGINT'));
    expect(await run.code).toBe(4);
    expect(run.stderr()).toContain('not overwriting DestinationRule default/reviews');
    expect(servedRule()).toEqual(theirs);
    expect(fx.mesh.getVirtualService('default', 'reviews')).toEqual(fx.original);
  });

  it('a promoted run with a policy leaves the promotion and the original rule, both unmarked', async () => {
    originalRule ??= servedRule();
    const provider = createAttachProvider({ name: 'local-attach', endpoint: fx.mesh.adminUrl, target: TARGET, plannedStates: [{ canaryWeight: 50, ...policyState }, { canaryWeight: 100 }] });
    await provider.preflight();
    await provider.snapshot();
    await provider.claim!('/runs/p/journal.jsonl');
    await provider.apply({ canaryWeight: 50, ...policyState });
    await provider.verify({ canaryWeight: 50, ...policyState });
    expect(markOf(servedRule())).toBe('/runs/p/journal.jsonl');
    await provider.apply({ canaryWeight: 100 });
    await provider.verify({ canaryWeight: 100 });
    expect(await provider.release!('/runs/p/journal.jsonl')).toBe(true);
    expect(servedRule()).toEqual(originalRule);
    expect(fx.mesh.getVirtualService('default', 'reviews')).toEqual(renderVirtualService(fx.original, TARGET, { canaryWeight: 100 }));
    await provider.close();
  });
});
