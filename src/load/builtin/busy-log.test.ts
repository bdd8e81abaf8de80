import type { Client } from 'undici';
import { describe, expect, it } from 'vitest';
import { createBusyLog } from './busy-log.js';

// The log never calls the client: a stand-in object is enough.
const client = () => ({}) as Client;

describe('busy log', () => {
  it('counts the connections busy since the cutoff or earlier, up to the limit', () => {
    const log = createBusyLog();
    const [a, b, c] = [log.conn(client()), log.conn(client()), log.conn(client())];
    log.sent(a, 10);
    log.sent(b, 20);
    log.sent(c, 30);
    expect(log.countSince(25, 10)).toBe(2);
    expect(log.countSince(25, 1)).toBe(1);
    expect(log.countSince(5, 10)).toBe(0);
    expect(log.oldestSince()).toBe(10);
  });

  it('forgets a send once its connection is free, and counts a connection again from its new send', () => {
    const log = createBusyLog();
    const [a, b] = [log.conn(client()), log.conn(client())];
    log.sent(a, 10);
    log.sent(b, 20);
    log.freed(a);
    expect(log.oldestSince()).toBe(20);
    expect(log.countSince(25, 10)).toBe(1);
    log.sent(a, 40);
    expect(log.countSince(25, 10)).toBe(1);
    expect(log.countSince(45, 10)).toBe(2);
    log.freed(a);
    log.freed(b);
    expect(log.oldestSince()).toBeUndefined();
    expect(log.countSince(100, 10)).toBe(0);
  });

  it('stays correct over many sends (the FIFO is compacted as it goes)', () => {
    const log = createBusyLog();
    const conns = Array.from({ length: 8 }, () => log.conn(client()));
    for (let t = 0; t < 10_000; t++) {
      const conn = conns[t % 8]!;
      log.freed(conn);
      log.sent(conn, t);
    }
    expect(log.oldestSince()).toBe(9992);
    expect(log.countSince(9995, 100)).toBe(4);
  });
});

describe('busy log memory', () => {
  it('keeps a bounded number of entries when nobody asks (a run that never waits for a connection)', () => {
    const log = createBusyLog();
    const slow = log.conn(client());
    // One connection stays busy throughout (a trim from the front would stop at it).
    log.sent(slow, 0);
    const fast = log.conn(client());
    for (let t = 1; t <= 100_000; t++) {
      log.freed(fast);
      log.sent(fast, t);
    }
    expect(log.size()).toBeLessThanOrEqual(1024);
    expect(log.countSince(100_000, 10)).toBe(2);
  });
});

describe('busy log ids', () => {
  it('never takes an entry of a dropped connection for one of the connection that reuses its id', () => {
    const log = createBusyLog();
    const old = log.conn(client());
    log.sent(old, 10);
    log.drop(old);
    const reused = log.conn(client());
    expect(reused.id).toBe(old.id);
    log.sent(reused, 50);
    // Only the new send counts, at its own time.
    expect(log.countSince(20, 10)).toBe(0);
    expect(log.countSince(60, 10)).toBe(1);
  });

  it('grows past its first ring when more connections than that are busy at once', () => {
    const log = createBusyLog();
    const conns = Array.from({ length: 3000 }, () => log.conn(client()));
    conns.forEach((c, i) => log.sent(c, i));
    expect(log.countSince(2999, 5000)).toBe(3000);
    expect(log.oldestSince()).toBe(0);
  });
});
