import { describe, expect, it } from 'vitest';
import { redirectLocation, rewritePath } from './proxy.js';
import type { CompiledMatchEntry, RequestView } from '../config/request-match.js';

const view = (path: string, query = ''): RequestView => ({ method: 'GET', path, query, authority: 'reviews:9080', scheme: 'http', port: 9080, headers: {} });
const prefix = (p: string): CompiledMatchEntry => ({ index: 0, test: () => true, uriKind: 'prefix', uriPrefix: p });

describe('rewritePath', () => {
  it("replaces the matched prefix, keeping the rest and the query (Envoy's prefix_rewrite)", () => {
    expect(rewritePath(view('/v1/reviews/1', 'a=1'), prefix('/v1'), '/v2', undefined)).toBe('/v2/reviews/1?a=1');
    expect(rewritePath(view('/api/x'), prefix('/api/'), '/', undefined)).toBe('/x');
  });

  it('replaces the whole path after an exact or regex match', () => {
    expect(rewritePath(view('/old'), { index: 0, test: () => true, uriKind: 'exact' }, '/new', undefined)).toBe('/new');
    expect(rewritePath(view('/a/1', 'q'), { index: 0, test: () => true, uriKind: 'regex' }, '/b', undefined)).toBe('/b?q');
  });

  it('without a uri match the implicit prefix "/" is replaced', () => {
    expect(rewritePath(view('/x'), { index: 0, test: () => true }, '/base/', undefined)).toBe('/base/x');
  });

  it('uriRegexRewrite replaces every match with \\1-style groups', () => {
    const regex = { regex: /\/v(\d+)\//g, replacement: '/version-$1/' };
    expect(rewritePath(view('/v1/a/v2/b'), { index: 0, test: () => true }, undefined, regex)).toBe('/version-1/a/version-2/b');
  });
});

describe('redirectLocation', () => {
  it('replaces the configured parts and keeps the query', () => {
    expect(redirectLocation(view('/old', 'a=1'), { uri: '/new' })).toBe('http://reviews:9080/new?a=1');
    expect(redirectLocation(view('/p'), { authority: 'example.com', scheme: 'https' })).toBe('https://example.com/p');
    expect(redirectLocation(view('/p'), { port: 8443 })).toBe('http://reviews:8443/p');
  });
});
