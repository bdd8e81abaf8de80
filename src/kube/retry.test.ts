import { describe, expect, it } from 'vitest';
import { KubeApiError } from './kube-error.js';
import { withKubeRetry } from './retry.js';

const request = { verb: 'get', resource: 'virtualservices.networking.istio.io', namespace: 'default' };
const down = () => new KubeApiError('cannot reach', { status: 0, request, retryable: true });

/** A fake clock the sleeps advance, so the backoff schedule is visible without waiting. */
function clock() {
  let t = 0;
  const waits: number[] = [];
  return { now: () => t, sleep: async (ms: number) => { waits.push(ms); t += ms; }, waits, random: () => 1 };
}

describe('withKubeRetry', () => {
  it('backs off exponentially (capped) while the server is away, then succeeds and reports the outage once', async () => {
    const c = clock();
    const events: string[] = [];
    let calls = 0;
    const out = await withKubeRetry(async () => { if (++calls < 6) throw down(); return 'ok'; }, {
      ...c, initialDelayMs: 100, maxDelayMs: 500, onOutage: (e) => events.push(e.phase),
    });
    expect(out).toBe('ok');
    expect(c.waits).toEqual([100, 200, 400, 500, 500]);
    expect(events).toEqual(['down', 'up']);
  });

  it('gives up when the budget is spent, with the last error', async () => {
    const c = clock();
    await expect(withKubeRetry(async () => { throw down(); }, { ...c, budgetMs: 1000, initialDelayMs: 300 })).rejects.toThrow('cannot reach');
    expect(c.waits.reduce((a, b) => a + b, 0)).toBe(1000);
  });

  it('does not retry what waiting cannot fix (403, 422, non-Kubernetes errors)', async () => {
    for (const err of [new KubeApiError('forbidden', { status: 403, request }), new KubeApiError('invalid', { status: 422, request }), new Error('bug')]) {
      let calls = 0;
      await expect(withKubeRetry(async () => { calls++; throw err; }, clock())).rejects.toBe(err);
      expect(calls).toBe(1);
    }
  });
});
