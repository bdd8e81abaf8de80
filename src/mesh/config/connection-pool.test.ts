import { describe, expect, it } from 'vitest';
import type { TrafficPolicy } from '../../istio/types.js';
import { poolLimits, UNLIMITED } from './connection-pool.js';
import { createDiagnostics } from './diagnostics.js';

const limits = (top: unknown, subset?: unknown) => {
  const d = createDiagnostics();
  return { l: poolLimits(top as TrafficPolicy | undefined, subset as TrafficPolicy | undefined, d, 'spec.subsets[0]'), warnings: d.warnings };
};

describe('connectionPool limits', () => {
  it('is null without any connectionPool (no accounting at all)', () => {
    expect(limits(undefined).l).toBeNull();
    expect(limits({ loadBalancer: { simple: 'RANDOM' } }, { loadBalancer: {} }).l).toBeNull();
  });

  it("maps Istio's fields to Envoy's thresholds; unset and 0 mean Istio's default 2^32-1", () => {
    const { l } = limits({ connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 1, http2MaxRequests: 0, maxRetries: 2, maxRequestsPerConnection: 1, idleTimeout: '1.5s' } } });
    expect(l).toEqual({ maxConnections: 1, maxPendingRequests: 1, maxRequests: UNLIMITED, maxRetries: 2, maxRequestsPerConnection: 1, idleTimeoutMs: 1500 });
    expect(UNLIMITED).toBe(4294967295);
    expect(limits({ connectionPool: {} }).l).toEqual({ maxConnections: UNLIMITED, maxPendingRequests: UNLIMITED, maxRequests: UNLIMITED, maxRetries: UNLIMITED, maxRequestsPerConnection: 0, idleTimeoutMs: 0 });
  });

  it("a subset's connectionPool replaces the top-level one as a whole (Istio merges settings objects, not fields)", () => {
    const top = { connectionPool: { tcp: { maxConnections: 1 }, http: { http1MaxPendingRequests: 7 } } };
    expect(limits(top, { connectionPool: { http: { http2MaxRequests: 3 } } }).l).toEqual({ maxConnections: UNLIMITED, maxPendingRequests: UNLIMITED, maxRequests: 3, maxRetries: UNLIMITED, maxRequestsPerConnection: 0, idleTimeoutMs: 0 });
    // A subset policy without connectionPool inherits the top-level one.
    expect(limits(top, { loadBalancer: { simple: 'RANDOM' } }).l).toEqual({ maxConnections: 1, maxPendingRequests: 7, maxRequests: UNLIMITED, maxRetries: UNLIMITED, maxRequestsPerConnection: 0, idleTimeoutMs: 0 });
  });

  it('a port-level setting for port 80 replaces its policy’s connectionPool; other ports do not apply', () => {
    const top = {
      connectionPool: { tcp: { maxConnections: 1 } },
      portLevelSettings: [
        { port: { number: 9080 }, connectionPool: { tcp: { maxConnections: 9 } } },
        { port: { number: 80 }, connectionPool: { http: { http1MaxPendingRequests: 2 } } },
      ],
    };
    expect(limits(top).l).toEqual({ maxConnections: UNLIMITED, maxPendingRequests: 2, maxRequests: UNLIMITED, maxRetries: UNLIMITED, maxRequestsPerConnection: 0, idleTimeoutMs: 0 });
    expect(limits({ portLevelSettings: [{ port: { number: 9080 }, connectionPool: { tcp: { maxConnections: 9 } } }] }).l).toBeNull();
    // The subset's own port-level setting wins over everything at the top level.
    const subset = { portLevelSettings: [{ port: { number: 80 }, connectionPool: { tcp: { maxConnections: 4 } } }] };
    expect(limits(top, subset).l).toEqual({ maxConnections: 4, maxPendingRequests: UNLIMITED, maxRequests: UNLIMITED, maxRetries: UNLIMITED, maxRequestsPerConnection: 0, idleTimeoutMs: 0 });
  });

  it('warns about invalid values, naming where they are, and uses the default', () => {
    const { l, warnings } = limits({}, { connectionPool: { tcp: { maxConnections: -1 }, http: { http2MaxRequests: 'x', idleTimeout: 5 } } });
    expect(l).toEqual({ maxConnections: UNLIMITED, maxPendingRequests: UNLIMITED, maxRequests: UNLIMITED, maxRetries: UNLIMITED, maxRequestsPerConnection: 0, idleTimeoutMs: 0 });
    expect(warnings.map((w) => w.path)).toEqual([
      'spec.subsets[0].trafficPolicy.connectionPool.tcp.maxConnections',
      'spec.subsets[0].trafficPolicy.connectionPool.http.http2MaxRequests',
      'spec.subsets[0].trafficPolicy.connectionPool.http.idleTimeout',
    ]);
  });
});
