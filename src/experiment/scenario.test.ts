import { describe, expect, it } from 'vitest';
import { resolveRequests } from './scenario.js';
import { loadSchema } from './schema.js';

const load = (over: object) => loadSchema.parse({ rate: 10, ...over });

describe('resolveRequests', () => {
  it('without requests: the load\'s one request, named "default"', () => {
    const { requests } = resolveRequests(load({ path: '/a', headers: { x: '1' }, body: 'b', method: 'POST' }), new Map());
    expect(requests).toEqual([{ name: 'default', method: 'POST', path: '/a', headers: { x: '1' }, body: 'b', weight: 1 }]);
  });

  it('fills each request\'s defaults from the load, headers merged without case (the request wins), bodyFile text as body', () => {
    const spec = load({
      path: '/base',
      headers: { 'X-User': 'u', keep: 'k' },
      body: 'load-body',
      requests: [
        { name: 'a', headers: { 'x-user': 'mine' } },
        { name: 'b', method: 'PUT', path: '/b', bodyFile: 'b.json', weight: 2.5 },
      ],
    });
    const { requests, sources } = resolveRequests(spec, new Map([[1, 'from file']]));
    expect(requests).toEqual([
      { name: 'a', method: 'GET', path: '/base', headers: { keep: 'k', 'x-user': 'mine' }, body: 'load-body', weight: 1 },
      { name: 'b', method: 'PUT', path: '/b', headers: { 'X-User': 'u', keep: 'k' }, body: 'from file', weight: 2.5 },
    ]);
    // Each template points at the field it was written in: the request's own, else the load's.
    expect(sources.filter((s) => s.request === 0).map((s) => s.at.join('.'))).toEqual(['spec.load.path', 'spec.load.headers.keep', 'spec.load.requests.0.headers.x-user', 'spec.load.body']);
    expect(sources.find((s) => s.request === 1 && s.place === 'body')).toMatchObject({ at: ['spec', 'load', 'requests', 1, 'bodyFile'], bodyFile: 'b.json' });
  });
});
