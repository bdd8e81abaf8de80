/**
 * Fields the local mesh cannot honour come back as warnings (never ignored silently) while the rest
 * of the configuration is served; invalid manifests are refused before anything starts; /ready.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import { createLocalMesh } from '../../../src/mesh/local-mesh.js';
import { client, countBy, fixture, instant, manifests } from '../../support/mesh.js';

describe('warnings', () => {
  it('reports unsupported fields with their paths and still routes', async () => {
    const mesh = await createLocalMesh({ ...manifests(fixture('unsupported.yaml')), backends: [instant('reviews', 'v1'), instant('reviews', 'v2')], listen: '127.0.0.1:0', admin: '127.0.0.1:0' });
    const http = client(mesh);
    try {
      expect(mesh.warnings.map((w) => w.path).sort()).toEqual([
        'spec.http[0].corsPolicy',
        'spec.http[0].fault.abort.grpcStatus',
        'spec.http[0].match[0].sourceLabels',
        'spec.tls',
        'spec.trafficPolicy.outlierDetection.splitExternalLocalOriginErrors',
      ]);
      expect(mesh.warnings.find((w) => w.path === 'spec.http[0].match[0].sourceLabels')!.message).toMatch(/^VirtualService default\/reviews: .*ignored/);
      // sourceLabels is treated as satisfied; the gRPC abort is not injected.
      expect(countBy(await http.many(20, 4, () => ['reviews']), 'x-version')).toEqual({ v2: 20 });
      const ready = await fetch(`${mesh.adminUrl}/ready`);
      expect(ready.status).toBe(200);
      await ready.text();
    } finally {
      await http.close();
      await mesh.close();
    }
    // After close the admin port is gone.
    await expect(fetch(`${mesh.adminUrl}/ready`)).rejects.toThrow();
  });

  it('refuses invalid manifests with every problem, before starting anything', async () => {
    const { virtualServices, destinationRules } = manifests(fixture('unsupported.yaml'));
    const vs = structuredClone(virtualServices[0]!);
    vs.spec.http![0]!.route![0]!.destination.subset = 'v7';
    vs.spec.http![0]!.match![0]!.uri = { regex: '(?=x)' };
    const err = await createLocalMesh({ virtualServices: [vs], destinationRules, listen: '127.0.0.1:0', admin: '127.0.0.1:0' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).problems.map((p) => p.path)).toEqual(['spec.http[0].match[0].uri.regex', 'spec.http[0].route[0].destination']);
  });
});
