import { describe, expect, it } from 'vitest';
import type { HTTPRoute } from '../../istio/types.js';
import type { Cluster } from './clusters.js';
import { compileRoute } from './compile-route.js';
import { createDiagnostics } from './diagnostics.js';
import { DEFAULT_RETRY } from './retry.js';

const cluster = (host: string, subset?: string) => ({ name: `${host}|${subset ?? ''}`, subset }) as unknown as Cluster;
const resolve = (d: { host: string; subset?: string }) => cluster(d.host, d.subset);
const compile = (r: HTTPRoute) => {
  const d = createDiagnostics();
  const c = compileRoute(r, 0, 'vs', 'default', resolve, d);
  return { c: c!, d };
};

describe('compileRoute', () => {
  it('resolves destinations in the VirtualService namespace and keeps Istio defaults', () => {
    const { c, d } = compile({ route: [{ destination: { host: 'reviews', subset: 'v1' } }] });
    expect(c.pick(Math.random)!.cluster.name).toBe('reviews.default.svc.cluster.local|v1');
    expect(c.name).toBe('vs.http[0]');
    expect(c.timeoutMs).toBe(0);
    expect(c.retry).toBe(DEFAULT_RETRY);
    expect(c.forwards).toBe(true);
    expect(d.errors).toEqual([]);
  });

  it('timeouts, rewrites and header operations', () => {
    const { c, d } = compile({
      name: 'main', route: [{ destination: { host: 'a' }, headers: { request: { set: { 'x-dst': '1' } } } }], timeout: '1.5s',
      rewrite: { uri: '/v2', authority: 'b.example' }, headers: { response: { remove: ['server'] } },
    });
    expect(c.name).toBe('main');
    expect(c.timeoutMs).toBe(1500);
    expect(c.rewrite).toEqual({ uri: '/v2', authority: 'b.example' });
    expect(c.pick(Math.random)!.requestHeaders!.set).toEqual([['x-dst', '1']]);
    expect(c.responseHeaders!.remove).toEqual(['server']);
    expect(d.errors).toEqual([]);
  });

  it("uriRegexRewrite turns RE2 \\1 groups into JavaScript's and escapes $", () => {
    const { c } = compile({ route: [{ destination: { host: 'a' } }], rewrite: { uriRegexRewrite: { match: '^/service/([^/]+)(/.*)$', rewrite: '\\2/$\\1' } } });
    expect('/service/foo/bar'.replace(c.rewrite!.regex!.regex, c.rewrite!.regex!.replacement)).toBe('/bar/$foo');
  });

  it('directResponse (string or base64 bytes) and redirect are local answers', () => {
    expect(compile({ directResponse: { status: 418, body: { string: 'teapot' } } }).c.local).toEqual({ status: 418, body: Buffer.from('teapot') });
    expect(compile({ directResponse: { status: 200, body: { bytes: Buffer.from('hi').toString('base64') } } }).c.local!.body!.toString()).toBe('hi');
    const r = compile({ redirect: { uri: '/new', redirectCode: 302 } }).c;
    expect(r.local).toEqual({ status: 302, redirect: { uri: '/new' } });
    expect(r.forwards).toBe(false);
    expect(r.pick(Math.random)).toBeUndefined();
  });

  it('reports bad values with their paths', () => {
    const d = createDiagnostics();
    compileRoute({ route: [{ destination: { host: 'a' }, weight: -1 }], timeout: 'later' }, 3, 'vs', 'default', resolve, d);
    compileRoute({ redirect: { redirectCode: 200 } }, 4, 'vs', 'default', resolve, d);
    compileRoute({ directResponse: { status: 700 } }, 5, 'vs', 'default', resolve, d);
    compileRoute({ route: [] }, 6, 'vs', 'default', resolve, d);
    compileRoute({ route: [{ destination: { host: 'a' } }], rewrite: { uri: '/a b\r\nX: y', authority: 'h ost' } }, 7, 'vs', 'default', resolve, d);
    expect(d.errors.map((e) => e.path)).toEqual([
      'spec.http[3].route[0].weight', 'spec.http[3].timeout', 'spec.http[4].redirect.redirectCode', 'spec.http[5].directResponse.status', 'spec.http[6].route',
      'spec.http[7].rewrite.uri', 'spec.http[7].rewrite.authority',
    ]);
  });
});
