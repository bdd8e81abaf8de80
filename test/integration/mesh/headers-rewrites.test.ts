/**
 * Header manipulation (route and destination level), rewrites, directResponse and redirect through
 * the real proxy; the echo backend reports what it received.
 */
import { describe, expect, it } from 'vitest';
import { echo, fixture, manifests, reviewsV1, useMesh } from '../../support/mesh.js';

const local = useMesh(() => ({ ...manifests(fixture('headers-rewrites.yaml')), destinationRules: [reviewsV1], backends: [echo('reviews', 'v1')] }));

interface Echoed {
  url: string;
  headers: Record<string, string>;
}

describe('headers', () => {
  it('applies request set/add/remove (destination level first, route level wins) and response operations', async () => {
    const r = await local.http.send('reviews', { path: '/x', headers: { 'x-secret': 's3cret', 'x-tag': 'client', 'x-env': 'client' } });
    expect(r.status).toBe(200);
    const got = (JSON.parse(r.body) as Echoed).headers;
    expect(got['x-secret']).toBeUndefined();
    expect(got['x-env']).toBe('mesh');
    expect(got['x-dst']).toBe('v1');
    // Node joins repeated headers with ", ".
    expect(got['x-tag']).toBe('client, route');
    expect(got['host']).toBe('reviews');
    expect(got['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(got['x-forwarded-proto']).toBe('http');
    expect(r.headers['x-served-by']).toBe('local-mesh');
    expect(r.headers['x-dst-resp']).toBe('yes');
    expect(r.headers['x-echo-upstream']).toBeUndefined();
    expect(r.headers['x-version']).toBe('v1');
  });

  it('keeps a client x-request-id', async () => {
    const r = await local.http.send('reviews', { headers: { 'x-request-id': 'abc-123' } });
    expect((JSON.parse(r.body) as Echoed).headers['x-request-id']).toBe('abc-123');
  });
});

describe('rewrites and local answers', () => {
  it('rewrites the matched prefix and the authority, keeping the query', async () => {
    const r = await local.http.send('reviews', { path: '/api/v1/items/7?full=1' });
    const got = JSON.parse(r.body) as Echoed;
    expect(got.url).toBe('/v2/items/7?full=1');
    expect(got.headers['host']).toBe('reviews.internal');
  });

  it('directResponse answers locally', async () => {
    const r = await local.http.send('reviews', { path: '/teapot' });
    expect([r.status, r.body, r.headers['x-version']]).toEqual([418, "I'm a teapot", undefined]);
  });

  it('redirect answers with Location', async () => {
    const r = await local.http.send('reviews:9080', { path: '/old/page?a=1' });
    expect(r.status).toBe(302);
    expect(r.headers['location']).toBe('http://reviews:9080/new?a=1');
  });
});
