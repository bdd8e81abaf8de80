import { describe, expect, it } from 'vitest';
import { toKubeError } from './kube-error.js';

const request = { verb: 'patch', resource: 'virtualservices.networking.istio.io', namespace: 'shop', name: 'reviews', server: 'https://127.0.0.1:6443' };
/** What client-node 1.x throws for a non-2xx answer: an ApiException with code and the Status body as text. */
const apiException = (code: number, body: object) => Object.assign(new Error(`HTTP-Code: ${code}`), { code, body: JSON.stringify(body) });

describe('toKubeError', () => {
  it('names verb, resource and namespace on 403, and points at the Role', () => {
    const err = toKubeError(apiException(403, { reason: 'Forbidden', message: 'User "mesh-exp" cannot patch resource "virtualservices"' }), request);
    expect(err.message).toBe('forbidden: cannot patch virtualservices.networking.istio.io "reviews" in namespace shop (the API server said: User "mesh-exp" cannot patch resource "virtualservices")');
    expect(err.hint).toMatch(/grant the verb "patch" on virtualservices.networking.istio.io in namespace shop — deploy\/rbac.yaml/);
    expect(err.retryable).toBe(false);
  });

  it('lists the field causes of a 422 (CEL rule messages)', () => {
    const err = toKubeError(apiException(422, { reason: 'Invalid', message: 'x', details: { causes: [{ field: 'spec.http[0].route[0].weight', message: 'must be <= 100' }] } }), request);
    expect(err.message).toBe('the API server rejected the patch of virtualservices.networking.istio.io "reviews": spec.http[0].route[0].weight: must be <= 100');
    expect(err.causes).toEqual([{ field: 'spec.http[0].route[0].weight', message: 'must be <= 100' }]);
  });

  it('marks an unreachable server (through nested causes) and 5xx as retryable', () => {
    const refused = Object.assign(new Error('request failed'), { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
    const err = toKubeError(refused, request);
    expect(err.message).toBe('cannot reach the Kubernetes API server at https://127.0.0.1:6443 (ECONNREFUSED) to patch virtualservices.networking.istio.io "reviews" in namespace shop');
    expect(err.retryable).toBe(true);
    expect(toKubeError(apiException(503, { message: 'etcd leader changed' }), request).retryable).toBe(true);
    expect(toKubeError(new Error('self-signed certificate'), request).retryable).toBe(false);
  });
});
