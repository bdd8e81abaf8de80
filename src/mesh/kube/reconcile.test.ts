import { describe, expect, it } from 'vitest';
import type { Problem } from '../../errors.js';
import { reconcile } from './reconcile.js';

// Objects are strings: "dr:<subsets>" defines subsets, "vs:<subset>" needs one; a candidate checks
// clean when every vs names a subset some dr defines.
const check = (candidate: ReadonlyMap<string, string>): Problem[] => {
  const subsets = new Set([...candidate.values()].filter((v) => v.startsWith('dr:')).flatMap((v) => v.slice(3).split(',')));
  return [...candidate].filter(([, v]) => v.startsWith('vs:') && !subsets.has(v.slice(3))).map(([k, v]) => ({ path: k, message: `no subset ${v.slice(3)}` }));
};
const run = (accepted: Record<string, string>, desired: Record<string, string>, order?: (a: string, b: string) => number) =>
  reconcile({ accepted: new Map(Object.entries(accepted)), desired: new Map(Object.entries(desired)), equal: (a, b) => a === b, check, ...(order ? { order } : {}) });

describe('reconcile', () => {
  it('takes a desired set that checks clean as a whole, in one check', () => {
    const r = run({ dr: 'dr:v1', vs: 'vs:v1' }, { dr: 'dr:v1,v2', vs: 'vs:v2' });
    expect(Object.fromEntries(r.accepted)).toEqual({ dr: 'dr:v1,v2', vs: 'vs:v2' });
    expect([r.changed, r.checks, r.rejected.size]).toEqual([true, 1, 0]);
  });

  it('no change checks nothing', () => {
    const r = run({ dr: 'dr:v1' }, { dr: 'dr:v1' });
    expect([r.changed, r.checks]).toEqual([false, 0]);
  });

  it('keeps the last accepted state of an object that cannot be taken and takes the others', () => {
    const r = run({ dr: 'dr:v1', vs: 'vs:v1', other: 'vs:v1' }, { dr: 'dr:v1', vs: 'vs:v9', other: 'x' });
    expect(Object.fromEntries(r.accepted)).toEqual({ dr: 'dr:v1', vs: 'vs:v1', other: 'x' });
    expect([...r.rejected.keys()]).toEqual(['vs']);
    expect(r.rejected.get('vs')![0]!.message).toBe('no subset v9');
    expect(r.changed).toBe(true);
  });

  it('a new object that cannot be taken stays absent', () => {
    const r = run({ dr: 'dr:v1' }, { dr: 'dr:v1', vs: 'vs:v2' });
    expect(Object.fromEntries(r.accepted)).toEqual({ dr: 'dr:v1' });
    expect(r.changed).toBe(false);
    expect([...r.rejected.keys()]).toEqual(['vs']);
  });

  it('a deletion that would break another object is refused: the object stays', () => {
    const r = run({ dr: 'dr:v1', vs: 'vs:v1' }, { vs: 'vs:v1' });
    expect(Object.fromEntries(r.accepted)).toEqual({ dr: 'dr:v1', vs: 'vs:v1' });
    expect([...r.rejected.keys()]).toEqual(['dr']);
  });

  it('takes dependent changes whatever order they are tried in (repeats until nothing more is taken)', () => {
    // vs needs v2 (which dr2 adds) while bad stays broken: the whole set fails, so objects go one by one.
    const desired = { bad: 'vs:v9', vs: 'vs:v2', dr2: 'dr:v2' };
    const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const r = run({}, desired, (a, b) => -byName(a, b)); // vs, dr2, bad: vs first fails, then is taken on the second pass
    expect(Object.fromEntries(r.accepted)).toEqual({ vs: 'vs:v2', dr2: 'dr:v2' });
    expect([...r.rejected.keys()]).toEqual(['bad']);
  });
});
