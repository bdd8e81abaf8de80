import { describe, expect, it } from 'vitest';
import { compileRe2 } from './re2.js';

const re = (p: string, s: string, o = {}) => {
  const c = compileRe2(p, o);
  if (!c.ok) throw new Error(c.error);
  return c.regex.test(s);
};
const err = (p: string) => {
  const c = compileRe2(p);
  return c.ok ? undefined : c.error;
};

describe('compileRe2', () => {
  it('matches the whole value (Envoy safe_regex semantics), not a substring', () => {
    expect(re('/api/v[0-9]+', '/api/v2')).toBe(true);
    expect(re('/api/v[0-9]+', '/api/v2/users')).toBe(false);
    expect(re('v2', 'xv2x')).toBe(false);
    expect(re('a|b', 'a')).toBe(true);
    // Alternation is grouped before anchoring: "^a|b$" would wrongly accept "ax".
    expect(re('a|b', 'ax')).toBe(false);
  });

  it('can be compiled unanchored for search-and-replace', () => {
    const c = compileRe2('v[0-9]', { anchored: false, flags: 'g' });
    expect(c.ok && '/v1/v2'.replace(c.regex, 'x')).toBe('/x/x');
  });

  it('rejects what RE2 rejects: backreferences and lookaround', () => {
    expect(err('(a)\\1')).toMatch(/backreferences/);
    expect(err('(?<n>a)\\k<n>')).toMatch(/backreferences/);
    expect(err('foo(?=bar)')).toMatch(/lookahead/);
    expect(err('foo(?!bar)')).toMatch(/lookahead/);
    expect(err('(?<=x)foo')).toMatch(/lookbehind/);
    expect(err('(?<!x)foo')).toMatch(/lookbehind/);
    expect(err('(?>a)')).toMatch(/atomic/);
  });

  it('reports syntax errors instead of throwing', () => {
    expect(err('[a-')).toBeDefined();
    expect(err('(a')).toMatch(/invalid regular expression/);
  });

  it('translates RE2-only syntax JavaScript lacks', () => {
    expect(re('(?P<ver>v[0-9])', 'v3')).toBe(true);
    expect(re('(?i)jason', 'JASON')).toBe(true);
    expect(re('jason', 'JASON')).toBe(false);
    expect(re('\\Aabc\\z', 'abc')).toBe(true);
    expect(re('\\Qa.b\\E', 'a.b')).toBe(true);
    expect(re('\\Qa.b\\E', 'axb')).toBe(false);
    expect(re('[[:digit:]]+', '123')).toBe(true);
    expect(re('[[:alpha:]_]+', 'ab_c')).toBe(true);
    expect(re('[[:alpha:]]+', 'ab1')).toBe(false);
  });

  it('treats "]" first in a class as a literal, as RE2 does', () => {
    expect(re('[]a]+', ']a]')).toBe(true);
    expect(re('[^]a]', 'b')).toBe(true);
    expect(re('[^]a]', ']')).toBe(false);
  });

  it('refuses constructs it cannot translate exactly', () => {
    expect(err('(?U)a+')).toMatch(/ungreedy/);
    expect(err('a(?i)b')).toMatch(/inline flags/);
    expect(err('\\pL')).toMatch(/Unicode/);
    expect(err('[[:foo:]]')).toMatch(/unknown POSIX class/);
  });

  it('applies ignoreCase as a flag', () => {
    expect(re('abc', 'ABC', { ignoreCase: true })).toBe(true);
  });
});
