import { describe, expect, it } from 'vitest';
import type { HTTPMatchRequest } from '../../istio/types.js';
import { createDiagnostics } from './diagnostics.js';
import { compileMatchList, firstMatch, type RequestView } from './request-match.js';

function view(over: Partial<RequestView> = {}): RequestView {
  return { method: 'GET', path: '/reviews/1', query: '', authority: 'reviews:9080', scheme: 'http', port: 9080, headers: {}, ...over };
}

function matcher(list: HTTPMatchRequest[] | undefined) {
  const d = createDiagnostics();
  const compiled = compileMatchList(list, 'spec.http[0].match', d);
  expect(d.errors).toEqual([]);
  return (v: RequestView) => firstMatch(compiled, v)?.index;
}

describe('compileMatchList', () => {
  it('no match list, or an empty one, matches every request', () => {
    expect(matcher(undefined)(view())).toBe(0);
    expect(matcher([])(view({ method: 'DELETE' }))).toBe(0);
  });

  it("marks Istio's catch-all entries (no condition, or only uri prefix \"/\" and port): merged gateway routes keep them last", () => {
    const d = createDiagnostics();
    const flags = (list: HTTPMatchRequest[] | undefined) => compileMatchList(list, 'm', d).map((e) => e.catchAll === true);
    expect(flags(undefined)).toEqual([true]);
    expect(flags([{}, { uri: { prefix: '/' } }, { port: 8080 }, { uri: { prefix: '/' }, port: 8080 }])).toEqual([true, true, true, true]);
    expect(flags([{ uri: { prefix: '/a' } }, { uri: { exact: '/' } }, { uri: { prefix: '/' }, ignoreUriCase: true }, { uri: { prefix: '/' }, headers: { x: { exact: '1' } } }, { method: { exact: 'GET' } }, { queryParams: { q: { exact: '1' } } }])).toEqual([false, false, true, false, false, false]);
    expect(d.errors).toEqual([]);
  });

  it('conditions of one entry AND; entries OR; the first matching entry is reported', () => {
    const m = matcher([
      { uri: { prefix: '/reviews' }, headers: { 'end-user': { exact: 'jason' } } },
      { method: { exact: 'POST' } },
    ]);
    expect(m(view({ headers: { 'end-user': 'jason' } }))).toBe(0);
    expect(m(view())).toBeUndefined();
    expect(m(view({ path: '/other', headers: { 'end-user': 'jason' } }))).toBeUndefined();
    expect(m(view({ path: '/other', method: 'POST' }))).toBe(1);
  });

  it('uri matches the path without the query string', () => {
    const m = matcher([{ uri: { exact: '/reviews/1' } }]);
    expect(m(view({ path: '/reviews/1', query: 'a=b' }))).toBe(0);
  });

  it('headers: {} means present; values are compared as sent', () => {
    const m = matcher([{ headers: { 'x-canary': {} } }]);
    expect(m(view({ headers: { 'x-canary': '' } }))).toBe(0);
    expect(m(view())).toBeUndefined();
    const r = matcher([{ headers: { cookie: { regex: '.*user=jason.*' } } }]);
    expect(r(view({ headers: { cookie: 'a=1; user=jason; b=2' } }))).toBe(0);
  });

  it('withoutHeaders: a missing header counts as "", and {} means absent', () => {
    const m = matcher([{ withoutHeaders: { 'end-user': { exact: 'jason' } } }]);
    expect(m(view())).toBe(0);
    expect(m(view({ headers: { 'end-user': 'bob' } }))).toBe(0);
    expect(m(view({ headers: { 'end-user': 'jason' } }))).toBeUndefined();
    const empty = matcher([{ withoutHeaders: { 'end-user': { exact: '' } } }]);
    // Missing = "" matches exact "", so the inverted condition fails: Envoy's treat_missing_as_empty.
    expect(empty(view())).toBeUndefined();
    expect(empty(view({ headers: { 'end-user': 'x' } }))).toBe(0);
    const absent = matcher([{ withoutHeaders: { 'x-debug': {} } }]);
    expect(absent(view())).toBe(0);
    expect(absent(view({ headers: { 'x-debug': '1' } }))).toBeUndefined();
  });

  it('queryParams exact and regex, {} = present, decoded values', () => {
    const m = matcher([{ queryParams: { user: { exact: 'jason doe' }, v: { regex: '[0-9]+' } } }]);
    expect(m(view({ query: 'user=jason+doe&v=12' }))).toBe(0);
    expect(m(view({ query: 'user=jason%20doe&v=12' }))).toBe(0);
    expect(m(view({ query: 'user=jason+doe&v=1x' }))).toBeUndefined();
    expect(m(view({ query: '' }))).toBeUndefined();
    const present = matcher([{ queryParams: { debug: {} } }]);
    expect(present(view({ query: 'debug=' }))).toBe(0);
    expect(present(view({ query: 'x=1' }))).toBeUndefined();
  });

  it('method, authority (with port, as sent), scheme and port', () => {
    expect(matcher([{ method: { regex: 'GET|HEAD' } }])(view({ method: 'HEAD' }))).toBe(0);
    expect(matcher([{ authority: { exact: 'reviews:9080' } }])(view())).toBe(0);
    expect(matcher([{ authority: { exact: 'reviews' } }])(view())).toBeUndefined();
    expect(matcher([{ scheme: { exact: 'http' } }])(view())).toBe(0);
    expect(matcher([{ scheme: { exact: 'https' } }])(view())).toBeUndefined();
    expect(matcher([{ port: 9080 }])(view())).toBe(0);
    // No port in the Host header means 80.
    expect(matcher([{ port: 80 }])(view({ port: undefined }))).toBe(0);
    expect(matcher([{ port: 9080 }])(view({ port: undefined }))).toBeUndefined();
  });

  it('pseudo-headers in headers read the request line', () => {
    expect(matcher([{ headers: { ':method': { exact: 'GET' } } }])(view())).toBe(0);
    expect(matcher([{ headers: { ':path': { exact: '/reviews/1?x=1' } } }])(view({ query: 'x=1' }))).toBe(0);
  });

  it('records the kind of the uri condition for rewrites', () => {
    const d = createDiagnostics();
    const [p, e, r, none] = compileMatchList([{ uri: { prefix: '/a' } }, { uri: { exact: '/b' } }, { uri: { regex: '/c' } }, {}], 'm', d);
    expect([p!.uriKind, p!.uriPrefix, e!.uriKind, r!.uriKind, none!.uriKind]).toEqual(['prefix', '/a', 'exact', 'regex', undefined]);
  });

  it('header names must be lowercase; errors carry paths', () => {
    const d = createDiagnostics();
    compileMatchList([{ headers: { 'End-User': { exact: 'x' } } }, { port: 70000 }], 'spec.http[2].match', d);
    expect(d.errors.map((p) => p.path)).toEqual(['spec.http[2].match[0].headers.End-User', 'spec.http[2].match[1].port']);
    expect(d.errors[0]!.hint).toBe('write "end-user"');
  });
});
