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
