import { validateHeaderName, validateHeaderValue } from 'node:http';
import { describe, expect, it } from 'vitest';
import { headerNameProblem, headerValueProblem, isHeaderName, requestPathProblem } from './http-syntax.js';

const nodeAccepts = (check: () => void) => {
  try {
    check();
    return true;
  } catch {
    return false;
  }
};

describe('header names and values', () => {
  it('agree with node:http on names and values', () => {
    const names = ['x-user', 'X_Trace.1', "a!#$%&'*+-.^_`|~z", 'x user', 'x:y', '', 'é', 'a\r\n'];
    for (const n of names) expect(isHeaderName(n), n).toBe(nodeAccepts(() => validateHeaderName(n)));
    const values = ['jason', 'a\tb', 'caf\u00e9', '', 'a\r\nb', 'a\nb', 'a\0b', 'a\x1bb', 'snow \u2603'];
    for (const v of values) expect(headerValueProblem(v) === undefined, JSON.stringify(v)).toBe(nodeAccepts(() => validateHeaderValue('x', v)));
  });

  it('says which character is wrong, and why a reserved name cannot be set', () => {
    expect(headerValueProblem('ab\r\n')).toBe('a header value must not contain a CR (carriage return) (at character 3)');
    expect(headerNameProblem('Content-Length')).toBe('cannot be set in load.headers: it is computed from load.body');
    // Names of Object.prototype members are ordinary names, not lookups into it.
    expect(headerNameProblem('__proto__')).toBeUndefined();
    expect(headerNameProblem('constructor')).toBeUndefined();
  });
});

describe('requestPathProblem', () => {
  it('accepts what is sent as written, refuses what the URL parser would change', () => {
    expect(requestPathProblem('/reviews/1?x=a%20b&y=caf\u00e9')).toBeUndefined();
    expect(requestPathProblem('reviews')).toBe('must start with "/"');
    expect(requestPathProblem('/a\r\nb')).toMatch(/^must not contain a CR \(carriage return\) \(at character 3\)/);
    expect(requestPathProblem('/a b')).toMatch(/^must not contain a space/);
    expect(requestPathProblem('/a\tb')).toMatch(/^must not contain a tab/);
    expect(requestPathProblem('/a#top')).toMatch(/^must not contain a "#"/);
  });
});
