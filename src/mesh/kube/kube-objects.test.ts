import { describe, expect, it } from 'vitest';
import { byAge, configOf, recordOf, stripServerMetadata } from './kube-objects.js';

const served = (name: string, kind: 'VirtualService' | 'DestinationRule', createdAt: string, spec: object = {}) => ({
  apiVersion: 'networking.istio.io/v1',
  kind,
  metadata: { name, namespace: 'shop', uid: 'u-1', resourceVersion: '42', generation: 3, creationTimestamp: createdAt, managedFields: [{ manager: 'kubectl' }], labels: { app: name } },
  spec,
  status: { observedGeneration: 3 },
});

describe('kube objects', () => {
  it('strips server-side metadata and status, keeps labels, and does not touch the input', () => {
    const raw = served('reviews', 'VirtualService', '2026-01-01T00:00:00Z', { hosts: ['reviews'] });
    expect(stripServerMetadata(raw)).toEqual({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews', namespace: 'shop', labels: { app: 'reviews' } }, spec: { hosts: ['reviews'] } });
    expect(raw.metadata.uid).toBe('u-1');
  });

  it('records keep the resourceVersion and creation time beside the object; a status update compares equal', () => {
    const a = recordOf(served('reviews', 'VirtualService', '2026-01-01T00:00:00Z'), 'VirtualService', 'default');
    const b = recordOf({ ...served('reviews', 'VirtualService', '2026-01-01T00:00:00Z'), status: { changed: true }, metadata: { ...served('reviews', 'VirtualService', '').metadata, resourceVersion: '43', creationTimestamp: new Date('2026-01-01T00:00:00Z') } }, 'VirtualService', 'default');
    expect([a.label, a.resourceVersion, a.createdAt]).toEqual(['VirtualService shop/reviews', '42', '2026-01-01T00:00:00Z']);
    expect(b.resourceVersion).toBe('43');
    expect(b.createdAt).toBe('2026-01-01T00:00:00.000Z');
    expect(b.object).toEqual(a.object);
  });

  it('fills in kind and apiVersion that a list leaves out of its items', () => {
    const r = recordOf({ metadata: { name: 'reviews' }, spec: { host: 'reviews' } }, 'DestinationRule', 'default');
    expect(r.object).toMatchObject({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule' });
    expect(r.label).toBe('DestinationRule default/reviews');
  });

  it('orders oldest first, then by name, and splits the kinds', () => {
    const recs = [
      recordOf(served('b', 'VirtualService', '2026-01-02T00:00:00Z'), 'VirtualService', 'default'),
      recordOf(served('z', 'VirtualService', '2026-01-01T00:00:00Z'), 'VirtualService', 'default'),
      recordOf(served('a', 'VirtualService', '2026-01-02T00:00:00Z'), 'VirtualService', 'default'),
      recordOf(served('r', 'DestinationRule', '2026-01-03T00:00:00Z'), 'DestinationRule', 'default'),
    ];
    expect([...recs].sort(byAge).map((r) => r.label)).toEqual(['VirtualService shop/z', 'VirtualService shop/a', 'VirtualService shop/b', 'DestinationRule shop/r']);
    const c = configOf(recs);
    expect(c.virtualServices.map((v) => v.metadata.name)).toEqual(['z', 'a', 'b']);
    expect(c.destinationRules.map((d) => d.metadata.name)).toEqual(['r']);
  });
});
