import { describe, expect, it } from 'vitest';
import { createDiagnostics } from './diagnostics.js';
import { compileStringMatch, matchAny } from './string-match.js';

describe('compileStringMatch', () => {
  it('exact, prefix and regex', () => {
    const d = createDiagnostics();
    const exact = compileStringMatch({ exact: '/a' }, 'uri', d);
    const prefix = compileStringMatch({ prefix: '/a' }, 'uri', d);
    const regex = compileStringMatch({ regex: '/a/[0-9]+' }, 'uri', d);
    expect([exact('/a'), exact('/a/b'), exact('/A')]).toEqual([true, false, false]);
    expect([prefix('/a'), prefix('/ab'), prefix('/b')]).toEqual([true, true, false]);
    expect([regex('/a/12'), regex('/a/12/x'), regex('x/a/12')]).toEqual([true, false, false]);
    expect(d.errors).toEqual([]);
  });

  it('ignoreCase applies to exact and prefix only (Istio ignoreUriCase)', () => {
    const d = createDiagnostics();
    expect(compileStringMatch({ exact: '/Login' }, 'uri', d, { ignoreCase: true })('/LOGIN')).toBe(true);
    expect(compileStringMatch({ prefix: '/Api' }, 'uri', d, { ignoreCase: true })('/aPI/x')).toBe(true);
    expect(compileStringMatch({ prefix: '/Api' }, 'uri', d, { ignoreCase: true })('/ap')).toBe(false);
    expect(compileStringMatch({ regex: '/api' }, 'uri', d, { ignoreCase: true })('/API')).toBe(false);
  });

  it('an empty prefix matches everything', () => {
    expect(compileStringMatch({ prefix: '' }, 'uri', createDiagnostics())('/anything')).toBe(true);
  });

  it('{} is "present" only where allowed', () => {
    const d = createDiagnostics();
    expect(compileStringMatch({}, 'headers.x', d, { allowEmpty: true })).toBe(matchAny);
    expect(d.errors).toEqual([]);
    compileStringMatch({}, 'uri', d);
    expect(d.errors[0]).toMatchObject({ path: 'uri', message: expect.stringMatching(/needs one of/) });
  });

  it('refuses several kinds at once, unknown kinds, non-strings and bad regexes, with paths', () => {
    const d = createDiagnostics();
    const never = compileStringMatch({ exact: 'a', prefix: 'b' }, 'm.uri', d);
    expect(never('a')).toBe(false);
    compileStringMatch({ suffix: 'x' } as never, 'm.method', d);
    compileStringMatch({ exact: 3 } as never, 'm.authority', d);
    compileStringMatch({ regex: '(a)\\1' }, 'm.headers.x', d);
    expect(d.errors.map((p) => p.path)).toEqual(['m.uri', 'm.method.suffix', 'm.authority.exact', 'm.headers.x.regex']);
    expect(d.errors[3]!.hint).toMatch(/RE2/);
  });

  it('queryParams take exact and regex only (Istio has no prefix there)', () => {
    const d = createDiagnostics();
    compileStringMatch({ prefix: 'a' }, 'q.x', d, { kinds: ['exact', 'regex'] });
    expect(d.errors[0]).toMatchObject({ path: 'q.x.prefix', hint: expect.stringMatching(/regex/) });
  });
});
