import { describe, expect, it } from 'vitest';
import type { ManifestSet } from '../istio/manifests.js';
import type { DestinationRule, VirtualService } from '../istio/types.js';
import { formatPath } from '../input/locate.js';
import { checkManifestRules, destinationRuleFor, qualifiedHost, sameHost } from './manifest-rules.js';
import { experimentSpecSchema, type ExperimentInput } from './schema.js';

const dr = (name: string, host: string, subsets: string[], namespace = 'default'): DestinationRule => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name, namespace },
  spec: { host, subsets: subsets.map((s) => ({ name: s })) },
});

const vs = (name: string, http: VirtualService['spec']['http'], namespace = 'default'): VirtualService => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name, namespace },
  spec: { hosts: [name], http },
});

const MANIFESTS: ManifestSet = {
  virtualServices: [
    vs('reviews', [
      { name: 'jason', match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host: 'reviews', subset: 'v2' } }] },
      { name: 'primary', route: [{ destination: { host: 'reviews.default.svc.cluster.local', subset: 'v1' } }] },
    ]),
  ],
  destinationRules: [dr('reviews', 'reviews', ['v1', 'v2', 'v3']), dr('ratings', 'ratings.default', ['v1'])],
  files: [],
};

type SpecInput = ExperimentInput['spec'];

function check(edit: (s: SpecInput) => void, manifests: ManifestSet = MANIFESTS): string[] {
  const spec: SpecInput = {
    target: { virtualService: 'reviews', host: 'reviews', stable: 'v1', canary: 'v2' },
    traffic: { shift: { steps: [10] } },
    local: { manifests: ['x'] },
  };
  edit(spec);
  const parsed = experimentSpecSchema.parse(spec);
  return checkManifestRules({ target: parsed.target, traffic: parsed.traffic, local: parsed.local!, manifests }).map(
    (p) => `${formatPath(p.path)}: ${p.message}${p.hint ? ` | ${p.hint}` : ''}`,
  );
}

describe('qualifiedHost / sameHost', () => {
  it('completes short names with the namespace of the object naming them', () => {
    expect(qualifiedHost('reviews', 'shop')).toBe('reviews.shop.svc.cluster.local');
    expect(qualifiedHost('reviews.shop', 'default')).toBe('reviews.shop.svc.cluster.local');
    expect(qualifiedHost('reviews.shop.svc.cluster.local', 'x')).toBe('reviews.shop.svc.cluster.local');
    expect(qualifiedHost('api.example.com', 'x')).toBe('api.example.com');
  });

  it('compares hosts as Istio resolves them', () => {
    expect(sameHost('reviews', 'default', 'reviews.default.svc.cluster.local', 'other')).toBe(true);
    expect(sameHost('reviews', 'default', 'reviews', 'shop')).toBe(false);
    expect(destinationRuleFor(MANIFESTS, 'ratings', 'default')?.metadata.name).toBe('ratings');
    expect(destinationRuleFor(MANIFESTS, 'ratings', 'shop')).toBeUndefined();
  });
});

describe('checkManifestRules', () => {
  it('accepts an experiment that matches its manifests', () => {
    expect(check(() => {})).toEqual([]);
    expect(check((s) => (s.target.route = 'primary'))).toEqual([]);
  });

  it('needs the VirtualService in the target namespace', () => {
    expect(check((s) => (s.target.virtualService = 'ratings'))[0]).toBe(
      'spec.target.virtualService: VirtualService "ratings" in namespace "default" is not in the manifests | VirtualServices in the manifests: "default/reviews"',
    );
    expect(check((s) => (s.target.namespace = 'shop'))[0]).toMatch(/^spec.target.virtualService: VirtualService "reviews" in namespace "shop"/);
  });

  it('needs the named route, or a route to the stable subset', () => {
    expect(check((s) => (s.target.route = 'primry'))).toEqual([
      'spec.target.route: VirtualService reviews has no http route named "primry" | did you mean "primary"? its routes: "jason", "primary"',
    ]);
    const unnamed = { ...MANIFESTS, virtualServices: [vs('reviews', [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }])] };
    expect(check((s) => (s.target.route = 'main'), unnamed)).toEqual([
      'spec.target.route: VirtualService reviews has no http route named "main" | its http routes have no names; add "name: main" to the route to act on',
    ]);
    expect(check((s) => (s.target.stable = 'v3'))).toEqual([
      'spec.target.stable: no http route of VirtualService reviews sends traffic to reviews subset v3 | set target.route to the route to act on, or route the stable subset in the VirtualService',
    ]);
  });

  it('needs every named subset in the DestinationRule of target.host', () => {
    const out = check((s) => {
      s.target.canary = 'v4';
      s.traffic = { shift: { steps: [10] }, fault: { abort: { httpStatus: 500 }, subset: 'v9' }, mirror: { subset: 'canary' } };
    });
    expect(out.map((l) => l.split(':')[0])).toEqual(['spec.target.canary', 'spec.traffic.fault.subset', 'spec.traffic.mirror.subset']);
    expect(out[0]).toBe('spec.target.canary: subset "v4" is not defined in DestinationRule reviews for host reviews | defined subsets: "v1", "v2", "v3"');
    expect(check((s) => (s.target.host = 'details'))).toEqual([
      'spec.target.stable: no http route of VirtualService reviews sends traffic to details subset v1 | set target.route to the route to act on, or route the stable subset in the VirtualService',
      'spec.target.host: no DestinationRule for host "details" in the manifests, so its subsets are not defined | DestinationRule hosts in the manifests: "reviews", "ratings.default"',
    ]);
  });

  it('needs every backend to serve a defined (host, subset), once', () => {
    const out = check((s) => {
      s.local!.backends = [
        { host: 'reviews', subset: 'v3' },
        { host: 'ratings', subset: 'v2' },
        { host: 'ratngs', subset: 'v1' },
        { host: 'reviews', subset: 'v3', replicas: 2 },
      ];
    });
    expect(out).toEqual([
      'spec.local.backends[1].subset: subset "v2" is not defined in DestinationRule ratings for host ratings.default | defined subsets: "v1"',
      'spec.local.backends[2].host: no DestinationRule for host "ratngs" in the manifests | did you mean "ratings"? DestinationRule hosts: "reviews", "ratings.default"',
      'spec.local.backends[3]: a second backend for reviews subset v3 (first: spec.local.backends[0]) | use replicas for more endpoints of one subset',
    ]);
  });
});

describe('checkManifestRules: traffic.policy', () => {
  const pool = { tcp: { maxConnections: 1 } };
  it('accepts a policy on a defined subset of the rule for target.host', () => {
    expect(check((s) => (s.traffic = { ...s.traffic, policy: { subset: 'v2', connectionPool: pool } }))).toEqual([]);
    expect(check((s) => (s.traffic = { ...s.traffic, policy: { destinationRule: 'reviews', connectionPool: pool } }))).toEqual([]);
  });

  it('locates a subset the rule does not define at traffic.policy.subset', () => {
    expect(check((s) => (s.traffic = { ...s.traffic, policy: { subset: 'v4', connectionPool: pool } }))).toEqual([
      'spec.traffic.policy.subset: subset "v4" is not defined in DestinationRule reviews for host reviews | defined subsets: "v1", "v2", "v3"',
    ]);
  });

  it('locates a named rule that is not in the manifests at traffic.policy.destinationRule, with a guess', () => {
    expect(check((s) => (s.traffic = { ...s.traffic, policy: { destinationRule: 'reveiws', connectionPool: pool } }))).toEqual([
      'spec.traffic.policy.destinationRule: DestinationRule "reveiws" in namespace "default" is not in the manifests | did you mean "reviews"? DestinationRules there: "reviews (host reviews)", "ratings (host ratings.default)"',
    ]);
  });

  it('refuses two rules for the target host unless one is named', () => {
    const twice: ManifestSet = { ...MANIFESTS, destinationRules: [...MANIFESTS.destinationRules, dr('reviews-2', 'reviews.default.svc.cluster.local', ['v1', 'v2'])] };
    expect(check((s) => (s.traffic = { ...s.traffic, policy: { connectionPool: pool } }), twice)).toEqual([
      'spec.traffic.policy: 2 DestinationRules have host reviews in namespace "default": "reviews", "reviews-2" | name the one to change with traffic.policy.destinationRule',
    ]);
    expect(check((s) => (s.traffic = { ...s.traffic, policy: { destinationRule: 'reviews-2', connectionPool: pool } }), twice)).toEqual([]);
  });
});
