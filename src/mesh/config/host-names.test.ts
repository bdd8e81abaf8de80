import { describe, expect, it } from 'vitest';
import { hostAliases, hostOfAuthority, parseServiceFqdn, portOfAuthority, resolveHost } from './host-names.js';

describe('host names', () => {
  it('short names resolve in the namespace of the object; dotted names are literal', () => {
    expect(resolveHost('reviews', 'default')).toBe('reviews.default.svc.cluster.local');
    expect(resolveHost('Reviews', 'prod')).toBe('reviews.prod.svc.cluster.local');
    expect(resolveHost('reviews.prod.svc.cluster.local', 'default')).toBe('reviews.prod.svc.cluster.local');
    expect(resolveHost('api.example.com', 'default')).toBe('api.example.com');
    expect(resolveHost('*.example.com', 'default')).toBe('*.example.com');
    expect(resolveHost('*', 'default')).toBe('*');
  });

  it('a service answers to its FQDN, name.ns.svc, name.ns and name', () => {
    expect(hostAliases('reviews.default.svc.cluster.local')).toEqual(['reviews.default.svc.cluster.local', 'reviews.default.svc', 'reviews.default', 'reviews']);
    expect(hostAliases('api.example.com')).toEqual(['api.example.com']);
    expect(parseServiceFqdn('a.b.c.svc.cluster.local')).toBeUndefined();
  });

  it('Host headers lose their port and case', () => {
    expect(hostOfAuthority('reviews')).toBe('reviews');
    expect(hostOfAuthority('Reviews:9080')).toBe('reviews');
    expect(hostOfAuthority('[::1]:8080')).toBe('[::1]');
    expect(portOfAuthority('reviews:9080')).toBe(9080);
    expect(portOfAuthority('reviews')).toBeUndefined();
    expect(portOfAuthority('[::1]')).toBeUndefined();
    expect(portOfAuthority('[::1]:81')).toBe(81);
  });
});
