import { describe, expect, it } from 'vitest';
import { policySchema, retriesSchema } from './policy-schema.js';

const messages = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  r.success ? [] : r.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);

describe('Istio durations in traffic.retries and traffic.policy', () => {
  it('keeps a valid duration exactly as written (it is copied into the manifest)', () => {
    expect(retriesSchema.parse({ attempts: 2, perTryTimeout: '1m30s' }).perTryTimeout).toBe('1m30s');
    expect(policySchema.parse({ outlierDetection: { interval: '0.5s', baseEjectionTime: '30s' } }).outlierDetection).toEqual({ interval: '0.5s', baseEjectionTime: '30s' });
  });

  it('refuses what the mesh would refuse or ignore: units it does not read, zero, past a timer', () => {
    expect(messages(retriesSchema.safeParse({ attempts: 2, perTryTimeout: '500us' }))).toEqual(['perTryTimeout: expected a duration such as "500ms", "10s" or "1m30s"']);
    expect(messages(policySchema.safeParse({ outlierDetection: { interval: '0s' } }))).toEqual(['outlierDetection.interval: must be at least 1ms']);
    expect(messages(policySchema.safeParse({ connectionPool: { http: { idleTimeout: '1000h' } } }))).toEqual(['connectionPool.http.idleTimeout: must be at most 596h']);
  });
});

describe('consistentHash.httpCookie.ttl', () => {
  it('takes "0s" (a session cookie), as Istio and the mesh do', () => {
    expect(policySchema.parse({ loadBalancer: { consistentHash: { httpCookie: { name: 'user', ttl: '0s' } } } }).loadBalancer?.consistentHash?.httpCookie?.ttl).toBe('0s');
  });
});
