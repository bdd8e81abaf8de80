/**
 * What the Kubernetes providers' integration tests share: putting the user's object back as the
 * fixture has it before each test, and the API-server-restart case every provider must survive.
 */
import { expect } from 'vitest';
import { type CustomObjects, type KubeObject, type ResourceType, VIRTUAL_SERVICE } from '../../src/kube/custom-objects.js';
import type { VirtualService } from '../../src/istio/types.js';
import { userOwned } from '../../src/traffic/kube-owned.js';
import type { TrafficProvider, TrafficState } from '../../src/traffic/types.js';
import type { LocalKube } from './localkube.js';

/** Deletes the object (if there) and creates it from `fixture` in `namespace`; resolves it as the server stored it. */
export async function recreate(admin: CustomObjects, type: ResourceType, namespace: string, fixture: KubeObject): Promise<KubeObject> {
  await admin.delete(type, namespace, fixture.metadata.name);
  return admin.create(type, namespace, { ...fixture, metadata: { ...fixture.metadata, namespace } });
}

/**
 * Claims, applies `state`, stops the API server, starts the restore, checks it is still backing
 * off 2 s later, starts the server again and waits for the restore; then `expectRestored`.
 */
export async function restoreRidesOutRestart(kube: LocalKube, provider: TrafficProvider, owner: string, state: TrafficState, expectRestored: () => Promise<void>): Promise<void> {
  const snap = await provider.snapshot();
  await provider.claim!(owner);
  await provider.apply(state);
  await kube.stop();
  const restoring = provider.restore({ ...snap, owner });
  let settled = false;
  void restoring.then(() => (settled = true), () => (settled = true));
  await new Promise((r) => setTimeout(r, 2_000));
  expect(settled).toBe(false); // still backing off: the server is down
  await kube.start();
  await restoring;
  await expectRestored();
}

/** The VirtualService as the user wrote it, from the object the API server returns (server-set metadata and status left out). */
export function toVirtualService(obj: KubeObject): VirtualService {
  return userOwned<VirtualService>(obj, VIRTUAL_SERVICE);
}
