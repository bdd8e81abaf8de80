import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { cookieValue, requestHash } from './request-hash.js';
import { hex64, xxHash64 } from '../endpoints/xxhash64.js';

const req = (headers: Record<string, string | string[]>, socket = { remoteAddress: '127.0.0.1', remotePort: 50000, localAddress: '127.0.0.1', localPort: 15001 }) =>
  ({ headers, socket }) as unknown as IncomingMessage;

describe('requestHash', () => {
  it('header, query parameter and source IP values are hashed with XXH64; absent → no hash', () => {
    expect(requestHash({ kind: 'header', name: 'x-user' }, req({ 'x-user': 'alice' }), '')).toEqual({ hash: xxHash64('alice') });
    expect(requestHash({ kind: 'header', name: 'x-user' }, req({}), '')).toEqual({ hash: undefined });
    expect(requestHash({ kind: 'query', name: 'u' }, req({}), 'a=1&u=bob%20b')).toEqual({ hash: xxHash64('bob b') });
    expect(requestHash({ kind: 'query', name: 'u' }, req({}), 'a=1')).toEqual({ hash: undefined });
    expect(requestHash({ kind: 'sourceIp' }, req({}), '')).toEqual({ hash: xxHash64('127.0.0.1') });
  });

  it('a cookie present is hashed; absent with ttl, Envoy\u2019s cookie is generated from the connection', () => {
    const key = { kind: 'cookie', name: 'sid', path: '/app', ttlSeconds: 60 } as const;
    expect(requestHash(key, req({ cookie: 'a=b; sid="v1"' }), '')).toEqual({ hash: xxHash64('v1') });
    const value = hex64(xxHash64('127.0.0.1:50000127.0.0.1:15001'));
    expect(requestHash(key, req({}), '')).toEqual({ hash: xxHash64(value), setCookie: `sid="${value}"; Max-Age=60; Path=/app; HttpOnly` });
    expect(requestHash({ ...key, ttlSeconds: undefined }, req({}), '')).toEqual({ hash: undefined });
    expect(requestHash({ ...key, ttlSeconds: 0, path: '' }, req({}), '').setCookie).toBe(`sid="${value}"; HttpOnly`);
  });

  it('cookieValue finds a cookie by exact name', () => {
    expect(cookieValue('sidx=1; sid=2', 'sid')).toBe('2');
    expect(cookieValue(undefined, 'sid')).toBeUndefined();
    expect(cookieValue('other=1', 'sid')).toBeUndefined();
  });
});
