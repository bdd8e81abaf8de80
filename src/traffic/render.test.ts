import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bookinfo as bookinfoFiles } from '../../test/support/bookinfo.js';
import { ValidationError } from '../errors.js';
import type { HTTPRoute, VirtualService } from '../istio/types.js';
import { diffVirtualService } from './diff.js';
import { renderVirtualService, toIstioDuration } from './render.js';
import { findTargetRoute, sameHost, type TargetRef } from './target-route.js';
import type { TrafficState } from './types.js';

const bookinfo = (file: string) => parse(readFileSync(bookinfoFiles(file)[0]!, 'utf8')) as VirtualService;

const target: TargetRef = { host: 'reviews', stable: 'v1', canary: 'v2' };

/** Freezes deeply so any mutation of the input throws (render must never touch the original). */
function deepFreeze<T>(obj: T): T {
  if (obj && typeof obj === 'object') {
    for (const v of Object.values(obj)) deepFreeze(v);
    Object.freeze(obj);
  }
  return obj;
}

/** A user-owned VirtualService: a jason route, the target route with the user's own fault, retries and mirror. */
function userVs(): VirtualService {
  return deepFreeze({
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'reviews', namespace: 'default' },
    spec: {
      hosts: ['reviews'],
      http: [
        {
          name: 'jason',
          match: [{ headers: { 'end-user': { exact: 'jason' } } }],
          route: [{ destination: { host: 'reviews', subset: 'v3' } }],
        },
        {
          name: 'main',
          match: [{ uri: { prefix: '/reviews' } }],
          retries: { attempts: 3, perTryTimeout: '1s' },
          timeout: '5s',
          fault: { abort: { httpStatus: 500, percentage: { value: 0.1 } } },
          mirrors: [{ destination: { host: 'audit', subset: 'v1' }, percentage: { value: 5 } }],
          route: [{ destination: { host: 'reviews', subset: 'v1', port: { number: 9080 } } }],
        },
        { name: 'fallback', route: [{ destination: { host: 'legacy' } }] },
      ],
    },
  } satisfies VirtualService);
}

const routeNamed = (vs: VirtualService, name: string): HTTPRoute => vs.spec.http!.find((r) => r.name === name)!;

function expectValidation(fn: () => unknown, pattern: RegExp): ValidationError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    const e = err as ValidationError;
    expect(`${e.problems.map((p) => `${p.message} ${p.hint}`).join('\n')}`).toMatch(pattern);
    return e;
  }
  throw new Error('expected a ValidationError');
}

describe('findTargetRoute', () => {
  it('finds the unique route that sends to host/stable', () => {
    expect(findTargetRoute(userVs(), target).index).toBe(1);
  });

  it('finds a route by name', () => {
    expect(findTargetRoute(userVs(), { ...target, route: 'jason' }).index).toBe(0);
  });

  it('falls back to the unique route that sends to host/canary (already promoted)', () => {
    const vs = bookinfo('virtual-service-reviews-v3.yaml');
    expect(findTargetRoute(vs, { host: 'reviews', stable: 'v2', canary: 'v3' }).index).toBe(0);
  });

  it('rejects an ambiguous target and lists the candidate routes', () => {
    // Bookinfo's ratings-test-delay: both the jason route and the default route send to ratings/v1.
    const vs = bookinfo('virtual-service-ratings-test-delay.yaml');
    const err = expectValidation(() => findTargetRoute(vs, { host: 'ratings', stable: 'v1', canary: 'v2' }), /ambiguous/);
    expect(err.hint).toMatch(/#0 \(unnamed\) → ratings\/v1; #1 \(unnamed\) → ratings\/v1/);
  });

  it('rejects a missing route name and lists the route names', () => {
    const err = expectValidation(() => findTargetRoute(userVs(), { ...target, route: 'nope' }), /no http route named "nope"/);
    expect(err.hint).toContain('"jason"');
    expect(err.hint).toContain('"main"');
    expect(err.hint).toContain('"fallback"');
  });

  it('rejects when no route sends to the stable or canary subset', () => {
    expectValidation(() => findTargetRoute(userVs(), { host: 'ratings', stable: 'v1', canary: 'v2' }), /no http route sends to ratings\/v1/);
  });

  it('treats short and fully-qualified host names as the same host', () => {
    expect(sameHost('reviews', 'reviews.default.svc.cluster.local')).toBe(true);
    expect(sameHost('reviews.prod.svc', 'reviews', 'prod')).toBe(true);
    expect(sameHost('reviews.prod.svc', 'reviews', 'default')).toBe(false);
    expect(sameHost('ratings', 'reviews')).toBe(false);
  });
});

describe('renderVirtualService', () => {
  it('returns a deep-equal copy (not the same object) for an empty state', () => {
    const vs = userVs();
    const out = renderVirtualService(vs, target, {});
    expect(out).toEqual(vs);
    expect(out).not.toBe(vs);
    expect(Object.isFrozen(out.spec)).toBe(false);
  });

  it('shifts weights on the target route only, adding the canary like the stable destination', () => {
    const vs = userVs();
    const out = renderVirtualService(vs, target, { canaryWeight: 25 });
    expect(routeNamed(out, 'main').route).toEqual([
      { destination: { host: 'reviews', subset: 'v1', port: { number: 9080 } }, weight: 75 },
      { destination: { host: 'reviews', subset: 'v2', port: { number: 9080 } }, weight: 25 },
    ]);
    // Everything else is the user's, untouched: other routes and the target route's other fields.
    expect(out.spec.http![0]).toEqual(vs.spec.http![0]);
    expect(out.spec.http![2]).toEqual(vs.spec.http![2]);
    const { route: _r, ...restOut } = routeNamed(out, 'main');
    const { route: _o, ...restIn } = routeNamed(vs, 'main');
    expect(restOut).toEqual(restIn);
  });

  it('keeps the user fault and mirrors while shifting (flagger#703)', () => {
    const out = renderVirtualService(userVs(), target, { canaryWeight: 100 });
    const main = routeNamed(out, 'main');
    expect(main.fault).toEqual({ abort: { httpStatus: 500, percentage: { value: 0.1 } } });
    expect(main.mirrors).toHaveLength(1);
    expect(main.route!.map((d) => d.weight)).toEqual([0, 100]);
  });

  it('shifts Bookinfo reviews-50-v3 from v1 toward v3', () => {
    const vs = deepFreeze(bookinfo('virtual-service-reviews-50-v3.yaml'));
    const out = renderVirtualService(vs, { host: 'reviews', stable: 'v1', canary: 'v3' }, { canaryWeight: 20 });
    expect(out.spec.http![0]!.route!.map((d) => [d.destination.subset, d.weight])).toEqual([
      ['v1', 80],
      ['v3', 20],
    ]);
  });

  it('rejects a weight shift on a route with other destinations', () => {
    const vs = structuredClone(userVs());
    routeNamed(vs, 'main').route!.push({ destination: { host: 'legacy' }, weight: 0 });
    expectValidation(() => renderVirtualService(vs, target, { canaryWeight: 10 }), /destinations other than/);
  });

  it('sets a delay on the target route, keeping the user abort, and overwrites only what it sets', () => {
    const out = renderVirtualService(userVs(), target, { fault: { delayMs: 80, delayPercent: 50 } });
    expect(routeNamed(out, 'main').fault).toEqual({
      abort: { httpStatus: 500, percentage: { value: 0.1 } },
      delay: { fixedDelay: '0.08s', percentage: { value: 50 } },
    });
    const aborted = renderVirtualService(userVs(), target, { fault: { abortStatus: 503, abortPercent: 10 } });
    expect(routeNamed(aborted, 'main').fault).toEqual({ abort: { httpStatus: 503, percentage: { value: 10 } } });
    expect(out.spec.http).toHaveLength(3);
  });

  it('inserts a mesh-exp-fault route before the target for a match-scoped fault', () => {
    const state: TrafficState = {
      canaryWeight: 10,
      fault: { abortStatus: 503, abortPercent: 100, match: [{ headers: { 'end-user': { exact: 'jason' } } }] },
    };
    const out = renderVirtualService(userVs(), target, state);
    expect(out.spec.http!.map((r) => r.name)).toEqual(['jason', 'mesh-exp-fault', 'main', 'fallback']);
    const fault = routeNamed(out, 'mesh-exp-fault');
    // Match = the route's uri prefix AND the experiment's header; destinations = the target's (after weights).
    expect(fault.match).toEqual([{ uri: { prefix: '/reviews' }, headers: { 'end-user': { exact: 'jason' } } }]);
    expect(fault.route).toEqual(routeNamed(out, 'main').route);
    expect(fault.fault).toEqual({ abort: { httpStatus: 503, percentage: { value: 100 } } });
    expect(fault.retries).toEqual({ attempts: 3, perTryTimeout: '1s' });
    // The target route keeps the user's own fault: ours lives only on the inserted route.
    expect(routeNamed(out, 'main').fault).toEqual(routeNamed(userVs(), 'main').fault);
  });

  it('sends a subset-scoped fault to host/subset 100%', () => {
    const out = renderVirtualService(userVs(), target, {
      fault: { delayMs: 2000, subset: 'v2', match: [{ headers: { 'x-test': {} } }] },
    });
    expect(routeNamed(out, 'mesh-exp-fault').route).toEqual([
      { destination: { host: 'reviews', subset: 'v2', port: { number: 9080 } }, weight: 100 },
    ]);
    expect(routeNamed(out, 'mesh-exp-fault').fault!.delay).toEqual({ fixedDelay: '2s', percentage: { value: 100 } });
  });

  it('inserts a mesh-exp-ab route that sends the matching requests to the canary', () => {
    const out = renderVirtualService(userVs(), target, { abMatch: [{ headers: { cookie: { regex: '.*beta.*' } } }] });
    expect(out.spec.http!.map((r) => r.name)).toEqual(['jason', 'mesh-exp-ab', 'main', 'fallback']);
    const ab = routeNamed(out, 'mesh-exp-ab');
    expect(ab.match).toEqual([{ uri: { prefix: '/reviews' }, headers: { cookie: { regex: '.*beta.*' } } }]);
    expect(ab.route).toEqual([{ destination: { host: 'reviews', subset: 'v2', port: { number: 9080 } }, weight: 100 }]);
    expect(ab.timeout).toBe('5s');
    expect(routeNamed(out, 'main')).toEqual(routeNamed(userVs(), 'main'));
  });

  it('orders inserted routes fault first, then A/B, then the target', () => {
    const out = renderVirtualService(userVs(), target, {
      abMatch: [{ headers: { 'x-ab': { exact: '1' } } }],
      fault: { delayMs: 10, match: [{ headers: { 'x-f': { exact: '1' } } }] },
    });
    expect(out.spec.http!.map((r) => r.name)).toEqual(['jason', 'mesh-exp-fault', 'mesh-exp-ab', 'main', 'fallback']);
  });

  it('rejects a match that conflicts with the route match', () => {
    expectValidation(
      () => renderVirtualService(userVs(), target, { abMatch: [{ uri: { prefix: '/reviews/v2' } }] }),
      /both constrain `uri`/,
    );
  });

  it('replaces the target route\'s retries whole, and the inserted fault route copies them', () => {
    const retries = { attempts: 5, retryOn: '5xx' };
    const out = renderVirtualService(userVs(), target, { retries, fault: { abortStatus: 503, abortPercent: 10, match: [{ headers: { 'end-user': { exact: 'jason' } } }] } });
    expect(routeNamed(out, 'main').retries).toEqual(retries);
    expect(routeNamed(out, 'mesh-exp-fault').retries).toEqual(retries);
    expect(renderVirtualService(userVs(), target, { retries }).spec.http!.filter((r) => r.retries !== undefined).map((r) => r.name)).toEqual(['main']);
    expect(routeNamed(renderVirtualService(userVs(), target, {}), 'main').retries).toEqual({ attempts: 3, perTryTimeout: '1s' });
  });

  it('appends a mirror and keeps the user mirrors', () => {
    const out = renderVirtualService(userVs(), target, { mirror: { subset: 'v2', percentage: 50 } });
    expect(routeNamed(out, 'main').mirrors).toEqual([
      { destination: { host: 'audit', subset: 'v1' }, percentage: { value: 5 } },
      { destination: { host: 'reviews', subset: 'v2', port: { number: 9080 } }, percentage: { value: 50 } },
    ]);
  });

  it('rejects a mirror on a route using the legacy mirror field', () => {
    const vs = structuredClone(userVs());
    const main = routeNamed(vs, 'main');
    delete main.mirrors;
    main.mirror = { host: 'audit' };
    expectValidation(() => renderVirtualService(vs, target, { mirror: { subset: 'v2', percentage: 100 } }), /legacy `mirror`/);
  });

  it('rejects a VirtualService with a route left over from an interrupted run', () => {
    const vs = renderVirtualService(userVs(), target, { abMatch: [{ headers: { a: {} } }] });
    expectValidation(() => renderVirtualService(vs, target, { canaryWeight: 5 }), /mesh-exp recover/);
  });

  it('round-trips: render then restore (render of the original with no state) equals the original', () => {
    const vs = userVs();
    const states: TrafficState[] = [
      { canaryWeight: 50 },
      { fault: { delayMs: 5, abortStatus: 503, abortPercent: 1 } },
      { mirror: { subset: 'v2', percentage: 100 }, abMatch: [{ headers: { 'end-user': { exact: 'x' } } }] },
    ];
    for (const state of states) {
      const changed = renderVirtualService(vs, target, state);
      expect(changed).not.toEqual(vs);
      // Rendering always starts from the snapshot: applying {} after any step yields the original.
      expect(renderVirtualService(vs, target, {})).toEqual(vs);
    }
  });
});

describe('toIstioDuration', () => {
  it('writes seconds that Istio, CEL and Go all parse', () => {
    expect(toIstioDuration(80)).toBe('0.08s');
    expect(toIstioDuration(2000)).toBe('2s');
    expect(toIstioDuration(1)).toBe('0.001s');
  });
});

describe('diffVirtualService', () => {
  it('shows only the managed change as a unified YAML diff', () => {
    const vs = userVs();
    const diff = diffVirtualService(vs, renderVirtualService(vs, target, { canaryWeight: 25 }));
    expect(diff).toMatch(/^--- current\n\+\+\+ planned\n@@/);
    expect(diff).toContain('+          weight: 75');
    expect(diff).toContain('+            subset: v2');
    expect(diff.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'))).toEqual([]);
  });

  it('is empty when nothing changes', () => {
    expect(diffVirtualService(userVs(), userVs())).toBe('');
  });
});
