import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalHeaderKey, createTimestampReader, createVegetaScanner } from './vegeta-scan.js';
import { parseVegetaResult } from './vegeta-result.js';

/** A line as vegeta v12.13.0 writes it (easyjson, fixed key order). */
function line(r: { code: number; timestamp: string; latency: number; error: string; body: string; headers: Record<string, string[]> | null; attack?: string; url?: string }): string {
  return JSON.stringify({ attack: r.attack ?? '', seq: 7, code: r.code, timestamp: r.timestamp, latency: r.latency, bytes_out: 0, bytes_in: 14, error: r.error, body: r.body, method: 'GET', url: r.url ?? 'http://127.0.0.1:8080/', headers: r.headers });
}

// A real line of `vegeta attack | vegeta encode --to json` against the bench server.
const REAL = '{"attack":"","seq":14,"code":200,"timestamp":"2026-12-07T02:15:40.711721962Z","latency":1234375,"bytes_out":0,"bytes_in":14,"error":"","body":"aGVsbG8gZnJvbSB2MQo=","method":"GET","url":"http://127.0.0.1:44937/","headers":{"Date":["Mon, 07 Dec 2026 02:15:40 GMT"],"Content-Length":["14"],"Content-Type":["text/plain"],"X-Version":["v1"]}}';

describe('canonicalHeaderKey', () => {
  it('is Go\'s canonical form', () => {
    expect(canonicalHeaderKey('x-version')).toBe('X-Version');
    expect(canonicalHeaderKey('X-MESH-exp-v')).toBe('X-Mesh-Exp-V');
    expect(canonicalHeaderKey('version')).toBe('Version');
  });
});

describe('createTimestampReader', () => {
  it('agrees with Date.parse on RFC 3339 times with 0 to 9 fraction digits and any zone', () => {
    const read = createTimestampReader();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.integer({ min: 0, max: 9 }), fc.constantFrom('Z', '+01:00', '-05:30'), fc.integer({ min: 0, max: 999_999 }), (ms, digits, zone, extra) => {
        const iso = new Date(ms).toISOString().slice(0, 19);
        const frac = digits === 0 ? '' : `.${`${String(ms % 1000).padStart(3, '0')}${String(extra).padStart(6, '0')}`.slice(0, digits)}`;
        const text = `${iso}${frac}${zone}`;
        expect(read(text)).toBe(Date.parse(text));
      }),
    );
  });
  it('gives NaN for what is not a timestamp', () => {
    const read = createTimestampReader();
    expect(read('yesterday')).toBeNaN();
    expect(read('2026-12-07T02:15:4x.1Z')).toBeNaN();
    expect(read('2026-12-07T02:15:40.Z')).toBeNaN();
  });
});

describe('createVegetaScanner', () => {
  it('reads a real vegeta line as parseVegetaResult does', () => {
    expect(createVegetaScanner('x-version')(REAL)).toEqual(parseVegetaResult(REAL, 'x-version'));
  });

  it('names the request from the URL fragment, as parseVegetaResult does', () => {
    const named = REAL.replace('"url":"http://127.0.0.1:44937/"', '"url":"http://127.0.0.1:44937/a?x=1#mesh-exp-r=1"');
    const sample = createVegetaScanner('x-version', ['home', 'search'])(named);
    expect(sample).toEqual(parseVegetaResult(named, 'x-version', ['home', 'search']));
    expect(sample?.request).toBe('search');
    // An index it cannot name, or no fragment: the full parser decides (it refuses the line).
    expect(createVegetaScanner('x-version', ['home'])(named)).toBeUndefined();
    expect(createVegetaScanner('x-version', ['home'])(REAL)).toBeUndefined();
  });

  it('leaves the rare shapes to the full parser: no response, no version header, an escaped value', () => {
    const scan = createVegetaScanner('x-version');
    const base = { code: 200, timestamp: '2026-12-07T02:15:40.5Z', latency: 10, error: '', body: '' };
    expect(scan(line({ ...base, code: 0, error: 'dial tcp: connection refused', headers: null }))).toBeUndefined();
    expect(scan(line({ ...base, headers: { 'Content-Type': ['x'] } }))).toBeUndefined();
    expect(scan(line({ ...base, headers: { 'X-Version': ['v"1'] } }))).toBeUndefined();
    expect(scan('{"not":"vegeta"}')).toBeUndefined();
  });

  it('never disagrees with parseVegetaResult: it either matches it or defers to it', () => {
    const header = fc.constantFrom('x-version', 'version', 'x-app-ver');
    const text = fc.string({ maxLength: 12 });
    const headers = fc.option(fc.dictionary(fc.constantFrom('X-Version', 'Version', 'X-App-Ver', 'Date', 'X-Other'), fc.array(text, { minLength: 1, maxLength: 2 })), { nil: null });
    const result = fc.record({
      attack: text,
      code: fc.constantFrom(0, 200, 204, 302, 404, 500, 503),
      timestamp: fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms).toISOString().replace('Z', '123456Z')),
      latency: fc.integer({ min: 0, max: 3_600_000_000_000 }),
      error: fc.oneof(fc.constant(''), text, fc.constant('Get "http://x/": dial tcp: i/o timeout')),
      body: fc.constantFrom('', 'ZmF1bHQgZmlsdGVyIGFib3J0'),
      headers,
    });
    const url = fc.constantFrom('http://h/', 'http://h/p?q=1#mesh-exp-r=0', 'http://h/#mesh-exp-r=1', 'http://h/#mesh-exp-r=7', 'http://h/a&b#mesh-exp-r=0');
    const names = fc.constantFrom([], ['a'], ['a', 'b']);
    fc.assert(
      fc.property(header, result, url, names, (name, r, u, ns) => {
        const l = line({ ...r, url: u });
        const fast = createVegetaScanner(name, ns)(l);
        if (fast === undefined) return;
        expect(fast).toEqual(parseVegetaResult(l, name, ns));
      }),
      { numRuns: 2000 },
    );
  });
});
