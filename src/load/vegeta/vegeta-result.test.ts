import { describe, expect, it } from 'vitest';
import { classifyVegetaError, parseVegetaResult } from './vegeta-result.js';

// A line as `vegeta encode --to json` (v12.13.0) writes it.
const ok = {
  attack: '',
  seq: 0,
  code: 200,
  timestamp: '2026-12-07T00:41:34.596536871Z',
  latency: 7_327_299,
  bytes_out: 0,
  bytes_in: 2,
  error: '',
  body: 'b2s=',
  method: 'GET',
  url: 'http://127.0.0.1:1/',
  headers: { 'X-Version': ['v2'], 'Content-Length': ['2'] },
};
const line = (over: object) => JSON.stringify({ ...ok, ...over });

describe('parseVegetaResult', () => {
  it('reads time, latency in ms, status and the version header in any case', () => {
    expect(parseVegetaResult(line({}), 'x-version')).toEqual({ time: Date.parse('2026-12-07T00:41:34.596Z'), latencyMs: 7.327299, status: 200, version: 'v2' });
  });

  it('keeps a non-2xx answer a response (vegeta sets error to the status text)', () => {
    const s = parseVegetaResult(line({ code: 503, error: '503 Service Unavailable', headers: { 'X-Version': ['v1'] } }), 'x-version');
    expect(s).toMatchObject({ status: 503, version: 'v1' });
    expect(s.error).toBeUndefined();
  });

  it('classifies a request without a response', () => {
    const s = parseVegetaResult(line({ code: 0, headers: null, body: null, error: 'Get "http://127.0.0.1:1/": dial tcp 0.0.0.0:0->127.0.0.1:1: connect: connection refused' }), 'x-version');
    expect(s).toMatchObject({ status: 0, error: 'connect' });
    expect(s.version).toBeUndefined();
  });

  it('marks an Envoy fault abort (no version header, its body)', () => {
    const body = Buffer.from('fault filter abort').toString('base64');
    expect(parseVegetaResult(line({ code: 503, headers: {}, body }), 'x-version').meshReply).toBe('fault-abort');
  });

  it('refuses a line that is not a vegeta result', () => {
    expect(() => parseVegetaResult('{"code":"x"}', 'x-version')).toThrow(/not a vegeta result/);
    expect(() => parseVegetaResult(line({ timestamp: 'yesterday' }), 'x-version')).toThrow(/bad timestamp/);
    expect(() => parseVegetaResult('not json', 'x-version')).toThrow();
  });
});

describe('classifyVegetaError', () => {
  it.each([
    ['Get "http://h/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)', 'timeout'],
    ['Get "http://h/": net/http: timeout awaiting response headers', 'timeout'],
    ['Get "http://h/": dial tcp 10.0.0.1:80: i/o timeout', 'connect'],
    ['Get "http://h/": dial tcp 127.0.0.1:1: connect: connection refused', 'connect'],
    ['Get "http://nohost.invalid/": dial tcp: lookup nohost.invalid: no such host', 'connect'],
    ['Get "http://h/": read tcp 127.0.0.1:5->127.0.0.1:6: read: connection reset by peer', 'reset'],
    ['Get "http://h/": EOF', 'reset'],
    ['something else', 'error'],
  ])('%s -> %s', (message, kind) => {
    expect(classifyVegetaError(message)).toBe(kind);
  });

  it('names the request by the index in the URL fragment, errors included, and refuses a result without it', () => {
    const names = ['read', 'write'];
    expect(parseVegetaResult(line({ url: 'http://127.0.0.1:1/a#mesh-exp-r=1' }), 'x-version', names)).toMatchObject({ request: 'write', version: 'v2' });
    expect(parseVegetaResult(line({ code: 0, url: 'http://127.0.0.1:1/a#mesh-exp-r=0', error: 'connection refused', headers: null }), 'x-version', names)).toMatchObject({ request: 'read', error: 'connect' });
    expect(() => parseVegetaResult(line({ url: 'http://127.0.0.1:1/a' }), 'x-version', names)).toThrow('without the request index');
    expect(parseVegetaResult(line({ url: 'http://127.0.0.1:1/a#mesh-exp-r=1' }), 'x-version').request).toBeUndefined();
  });
});
