/**
 * The notifier and its delivery against a real HTTP receiver (test/support/notify-receiver.ts):
 * retries after 5xx, 429 with Retry-After and connection errors, none after another 4xx, a
 * timeout per attempt, the grace time bounding close() whatever the receiver does, one warning
 * per failed target, and the URL in no message.
 */
import { describe, expect, it } from 'vitest';
import { createContext } from '../../../src/context.js';
import { createGameDayNotifications } from '../../../src/notify/index.js';
import { createNotifier } from '../../../src/notify/notifier.js';
import type { NotificationEvent } from '../../../src/notify/payload-schema.js';
import type { ResolvedTarget } from '../../../src/notify/types.js';
import { freePort } from '../../support/free-port.js';
import { useNotifyReceivers } from '../../support/notify-receiver.js';

const receiver = useNotifyReceivers();

const event = (n: number): NotificationEvent => ({ schemaVersion: 1, kind: 'game-day', event: 'start', name: `day-${n}`, time: new Date(0).toISOString(), text: `event ${n}`, planned: n });

function target(url: string, more: Partial<ResolvedTarget> = {}): ResolvedTarget {
  return { type: 'webhook', url, label: '<url from $HOOK>', on: ['start', 'decision', 'verdict'], timeoutMs: 2000, retries: 3, ...more };
}

function notifierFor(targets: ResolvedTarget[]) {
  const warnings: string[] = [];
  // No jitter: the first retry waits 125 ms, the second 250 ms, the third 500 ms.
  const n = createNotifier(targets, { logger: { warn: (m) => warnings.push(m) }, random: () => 0 });
  return { n, warnings };
}

describe('notifier against a real receiver', () => {
  it('delivers every event in order, as JSON, to each target that wants it', async () => {
    const a = await receiver();
    const b = await receiver();
    const { n, warnings } = notifierFor([target(a.url), target(b.url, { type: 'slack', on: ['verdict'] })]);
    for (const i of [1, 2, 3]) n.send(event(i));
    n.send({ ...event(4), event: 'verdict', outcome: 'passed', summary: 's', exitCode: 0, restored: true } as NotificationEvent);
    await n.close();
    expect(a.requests.map((r) => (r.json as { name: string }).name)).toEqual(['day-1', 'day-2', 'day-3', 'day-4']);
    expect(a.requests[0]).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(b.requests.map((r) => Object.keys(r.json as object))).toEqual([['text', 'blocks']]);
    expect(warnings).toEqual([]);
  });

  it('retries after 500 until a 200, and warns about nothing', async () => {
    const r = await receiver([{ status: 500 }, { status: 503 }]);
    const { n, warnings } = notifierFor([target(r.url)]);
    n.send(event(1));
    await n.close();
    expect(r.requests).toHaveLength(3);
    expect(warnings).toEqual([]);
  });

  it('never retries another 4xx, and warns once for the target, naming it by its label', async () => {
    const r = await receiver([], { status: 404 });
    const { n, warnings } = notifierFor([target(r.url)]);
    n.send(event(1));
    n.send(event(2));
    await n.close();
    expect(r.requests).toHaveLength(2);
    expect(warnings).toEqual(['notification to <url from $HOOK> (webhook): 2 of 2 event(s) not delivered (first: start: HTTP 404)']);
  });

  it('gives up after its retries (bounded attempts)', async () => {
    const r = await receiver([], { status: 502 });
    const { n, warnings } = notifierFor([target(r.url, { retries: 2 })]);
    n.send(event(1));
    await n.close();
    expect(r.requests).toHaveLength(3);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('first: start: HTTP 502');
  });

  it('honours Retry-After on a 429', async () => {
    const r = await receiver([{ status: 429, headers: { 'retry-after': '1' } }]);
    const { n, warnings } = notifierFor([target(r.url)]);
    n.send(event(1));
    await n.close();
    expect(r.requests).toHaveLength(2);
    const waited = r.requests[1]!.at - r.requests[0]!.at;
    // Retry-After: 1 s, against a 125 ms backoff without it; timers may fire a little early, not 900 ms early.
    expect(waited).toBeGreaterThan(950);
    expect(warnings).toEqual([]);
  });

  it('retries a connection refused, and says so without the URL', async () => {
    const url = `http://127.0.0.1:${await freePort()}/services/T/B/s3cr3t-closed`;
    const { n, warnings } = notifierFor([target(url, { retries: 1 })]);
    n.send(event(1));
    await n.close();
    expect(warnings).toEqual(['notification to <url from $HOOK> (webhook): 1 of 1 event(s) not delivered (first: start: ECONNREFUSED)']);
  });

  it('times out an attempt that gets no answer, then retries it', async () => {
    const r = await receiver(['hang']);
    const { n, warnings } = notifierFor([target(r.url, { timeoutMs: 300, retries: 1 })]);
    n.send(event(1));
    await n.close();
    expect(r.requests).toHaveLength(2);
    expect(warnings).toEqual([]);
  });

  it('close() waits for a hanging receiver only up to the grace time, then warns once per target', async () => {
    const r = await receiver([], 'hang');
    const { n, warnings } = notifierFor([target(r.url, { timeoutMs: 60_000 }), target(r.url, { timeoutMs: 60_000, label: '<url from file hook.txt>' })]);
    const before = performance.now();
    n.send(event(1));
    n.send(event(2));
    // send never waits for the receiver.
    expect(performance.now() - before).toBeLessThan(50);
    const t0 = performance.now();
    await n.close({ graceMs: 800 });
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(790);
    expect(took).toBeLessThan(1_500);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^notification to <url from \$HOOK> \(webhook\): 2 of 2 event\(s\) not delivered \(first: start: no answer yet; cancelled at the end of the grace time\); stopped waiting after 800 ms$/);
    expect(warnings[1]).toContain('<url from file hook.txt>');
    expect(warnings.join('\n')).not.toContain(r.secret);
    // Events after close are dropped, not sent.
    n.send(event(3));
    expect(r.requests.every((q) => (q.json as { name: string }).name !== 'day-3')).toBe(true);
  });

  it('a game day sends its own start and verdict (kind "game-day") through the same targets and secrets', async () => {
    const r = await receiver();
    const ctx = createContext({ env: { HOOK: r.url } });
    const day = await createGameDayNotifications([{ type: 'webhook', urlFrom: { env: 'HOOK' }, on: ['start', 'verdict'], timeout: 2000, retries: 0 }], ctx, '.');
    day.start({ name: 'friday', experiments: 3 });
    day.verdict({ name: 'friday', outcome: 'passed', summary: '3 of 3 experiments passed', exitCode: 0, restored: true, report: 'reports/friday/index.html' });
    await day.close();
    expect(r.requests.map((q) => q.json)).toMatchObject([
      { kind: 'game-day', event: 'start', name: 'friday', planned: 3 },
      { kind: 'game-day', event: 'verdict', outcome: 'passed', report: 'reports/friday/index.html' },
    ]);
  });

  it('a signal cuts the grace time short, also when it comes during the wait', async () => {
    const r = await receiver([], 'hang');
    const { n, warnings } = notifierFor([target(r.url, { timeoutMs: 60_000 })]);
    n.send(event(1));
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 300);
    const t0 = performance.now();
    await n.close({ graceMs: 10_000, signal: stop.signal, interruptedGraceMs: 400 });
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(690);
    expect(took).toBeLessThan(1_500);
    expect(warnings).toEqual(['notification to <url from $HOOK> (webhook): 1 of 1 event(s) not delivered (first: start: no answer yet; cancelled at the end of the grace time); stopped waiting 400 ms after the interruption']);
  });
});
