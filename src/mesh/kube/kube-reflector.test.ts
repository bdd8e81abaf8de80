import { describe, expect, it } from 'vitest';
import { backoffDelay, isGone, type ResourceClient, startReflector } from './kube-reflector.js';

// A scripted API: each list() and watch() call takes the next step; a watch step drives the
// callbacks it was given. Only what a real server cannot be made to do on demand (a 410 after
// compaction, a watch closed at once) is scripted here; the rest is in the integration test.
type ListStep = { items: unknown[]; resourceVersion: string } | Error;
type WatchStep = (onEvent: (type: string, obj: unknown) => void, onDone: (err: unknown) => void) => void;

function fakeClient(lists: ListStep[], watches: WatchStep[]) {
  const calls: string[] = [];
  const client: ResourceClient = {
    async list() {
      const step = lists.shift();
      calls.push('list');
      if (!step) return new Promise(() => undefined); // hangs: the test is over
      if (step instanceof Error) throw step;
      return step;
    },
    async watch(rv, onEvent, onDone) {
      calls.push(`watch@${rv}`);
      const step = watches.shift();
      if (step) setTimeout(() => step(onEvent, onDone), 1);
      return { abort() {} };
    },
  };
  return { client, calls };
}
const obj = (name: string, rv: string) => ({ metadata: { name, resourceVersion: rv } });
const until = async (cond: () => boolean) => {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 2));
  expect(cond()).toBe(true);
};
const opts = { initialBackoffMs: 1, maxBackoffMs: 4, random: () => 0.5 };

describe('startReflector', () => {
  it('lists, then watches from the list version; a cleanly closed healthy watch resumes from the last event', async () => {
    const log: string[] = [];
    const { client, calls } = fakeClient(
      [{ items: [obj('a', '5')], resourceVersion: '10' }],
      [
        (ev, done) => {
          ev('ADDED', obj('b', '11'));
          ev('BOOKMARK', obj('', '12'));
          done(null);
        },
        (ev) => ev('DELETED', obj('a', '13')),
      ],
    );
    const r = startReflector(client, { replace: (items) => log.push(`replace ${items.length}`), event: (t, o) => log.push(`${t} ${(o as ReturnType<typeof obj>).metadata.name}`), failed: () => log.push('failed') }, opts);
    await until(() => log.includes('DELETED a'));
    await r.stop();
    expect(log).toEqual(['replace 1', 'ADDED b', 'DELETED a']);
    expect(calls).toEqual(['list', 'watch@10', 'watch@12']);
  });

  it('410 Gone (as an ERROR event or as the watch failing) re-lists at once, without a failure', async () => {
    const log: string[] = [];
    const { client, calls } = fakeClient(
      [{ items: [], resourceVersion: '1' }, { items: [obj('a', '20')], resourceVersion: '20' }, { items: [], resourceVersion: '30' }],
      [(ev) => ev('ERROR', { kind: 'Status', code: 410, reason: 'Expired' }), (_ev, done) => done(Object.assign(new Error('Gone'), { statusCode: 410 }))],
    );
    const r = startReflector(client, { replace: (items) => log.push(`replace ${items.length}`), event: () => undefined, failed: () => log.push('failed'), expired: () => log.push('expired') }, opts);
    await until(() => calls.length >= 5);
    await r.stop();
    expect(calls.slice(0, 5)).toEqual(['list', 'watch@1', 'list', 'watch@20', 'list']);
    expect(log).toEqual(['replace 0', 'expired', 'replace 1', 'expired', 'replace 0']);
  });

  it('an outage (list refused, watch broken) re-lists after a growing backoff and reports each failure', async () => {
    const delays: number[] = [];
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const { client, calls } = fakeClient(
      [{ items: [], resourceVersion: '1' }, refused, refused, refused, { items: [obj('a', '9')], resourceVersion: '9' }],
      [(_ev, done) => done(new Error('socket hang up'))],
    );
    let replaced = 0;
    const r = startReflector(client, { replace: () => replaced++, event: () => undefined, failed: (_e, ms) => delays.push(ms) }, { initialBackoffMs: 1, maxBackoffMs: 4, random: () => 0.5 });
    await until(() => replaced === 2);
    await r.stop();
    expect(delays).toEqual([1, 2, 4, 4]);
    expect(calls.slice(0, 6)).toEqual(['list', 'watch@1', 'list', 'list', 'list', 'list']);
  });

  it('a watch the server closes at once without events does not spin: it backs off and resumes', async () => {
    const { client, calls } = fakeClient([{ items: [], resourceVersion: '3' }], [(_ev, done) => done(null), (_ev, done) => done(null)]);
    const r = startReflector(client, { replace: () => undefined, event: () => undefined, failed: () => undefined }, opts);
    await until(() => calls.length >= 3);
    await r.stop();
    expect(calls.slice(0, 3)).toEqual(['list', 'watch@3', 'watch@3']);
  });

  it('no handler is called after stop', async () => {
    const log: string[] = [];
    let emit: ((type: string, obj: unknown) => void) | undefined;
    const { client } = fakeClient([{ items: [], resourceVersion: '1' }], [(ev) => (emit = ev)]);
    const r = startReflector(client, { replace: () => log.push('replace'), event: () => log.push('event'), failed: () => log.push('failed') }, opts);
    await until(() => emit !== undefined);
    await r.stop();
    emit!('ADDED', obj('late', '2'));
    expect(log).toEqual(['replace']);
  });
});

describe('backoff and Gone', () => {
  it('doubles up to the cap with ±20% jitter', () => {
    expect([0, 1, 2, 3, 10].map((a) => backoffDelay(a, 250, 4000, () => 0.5))).toEqual([250, 500, 1000, 2000, 4000]);
    expect(backoffDelay(0, 1000, 4000, () => 0)).toBe(800);
    expect(backoffDelay(0, 1000, 4000, () => 0.999999)).toBe(1200);
  });

  it('recognises 410 in thrown errors and in Status objects', () => {
    expect([isGone({ statusCode: 410 }), isGone({ code: 410 }), isGone({ code: 500 }), isGone(null)]).toEqual([true, true, false, false]);
  });
});
