import { describe, expect, it } from 'vitest';
import type { Scenario } from '../experiment/scenario.js';
import { createRequestPicker } from './request-picker.js';

const scenario = (over: Partial<Scenario> = {}): Scenario => ({
  requests: [
    { name: 'read', method: 'GET', path: '/r/{{ id }}', headers: { 'x-user': '{{ user }}' }, weight: 3 },
    { name: 'write', method: 'POST', path: '/w', headers: {}, body: 'static', weight: 1 },
  ],
  data: { file: 'rows.csv', order: 'round-robin', columns: ['id', 'user'], rows: [{ values: ['1', 'a'], line: 2 }, { values: ['2', 'b'], line: 3 }, { values: ['3', 'c'], line: 4 }] },
  seed: 42,
  scripted: true,
  ...over,
});
const urlOf = (p: string) => `http://h${p}`;

function draw(s: Scenario, n: number) {
  const picker = createRequestPicker({ scenario: s, urlOf });
  return Array.from({ length: n }, () => picker.next());
}

describe('createRequestPicker', () => {
  it('draws requests in proportion to weight (3:1 over 20000 draws, within 2 points)', () => {
    const picks = draw(scenario(), 20_000);
    const share = picks.filter((p) => p.name === 'read').length / picks.length;
    expect(share).toBeGreaterThan(0.73);
    expect(share).toBeLessThan(0.77);
  });

  it('repeats the same sequence for the same seed, another for another seed', () => {
    const names = (s: Scenario) => draw(s, 50).map((p) => p.index).join('');
    expect(names(scenario())).toBe(names(scenario()));
    expect(names(scenario({ seed: 43 }))).not.toBe(names(scenario()));
  });

  it('fills path and headers from the rows in turn (round-robin), a request without placeholders as written', () => {
    const picks = draw(scenario({ requests: scenario().requests.map((r) => ({ ...r, weight: 1 })).slice(0, 1) }), 4);
    expect(picks.map((p) => [p.url, p.headers['x-user']])).toEqual([
      ['http://h/r/1', 'a'],
      ['http://h/r/2', 'b'],
      ['http://h/r/3', 'c'],
      ['http://h/r/1', 'a'],
    ]);
    const write = draw(scenario({ requests: [scenario().requests[1]!] }), 2);
    expect(write.map((p) => [p.name, p.method, p.url, p.body])).toEqual([['write', 'POST', 'http://h/w', 'static'], ['write', 'POST', 'http://h/w', 'static']]);
  });

  it('takes rows at random with order random, reproducibly, and the request sequence does not depend on the data', () => {
    const random = scenario({ data: { ...scenario().data!, order: 'random' } });
    const rows = (s: Scenario) => draw(s, 60).filter((p) => p.name === 'read').map((p) => p.headers['x-user']).join('');
    expect(rows(random)).toBe(rows(random));
    expect(new Set(rows(random))).toEqual(new Set(['a', 'b', 'c']));
    expect(rows(random)).not.toBe(rows(scenario()));
    expect(draw(random, 60).map((p) => p.index)).toEqual(draw(scenario(), 60).map((p) => p.index));
  });

  it('keeps its place from call to call (the run shares one picker across steps)', () => {
    const picker = createRequestPicker({ scenario: scenario({ requests: [scenario().requests[0]!] }), urlOf });
    picker.next();
    expect(picker.next().url).toBe('http://h/r/2');
    expect(picker.names).toEqual(['read']);
  });
});
