/**
 * Which of the pool's connections are busy, and since when: a FIFO of sends in send order (so in
 * order of `since`), whose entries go stale when their connection frees up. Answers "how many
 * connections have been busy since before t" in O(answer) amortized, without walking every
 * connection (there may be a thousand, and the pool asks once per event-loop turn).
 */
import type { Client } from 'undici';

/** A connection of the pool. */
export interface Conn {
  /** The undici client holding the connection. */
  readonly client: Client;
  /** performance.now() when its current request was sent; NaN while idle. */
  since: number;
  /** Bumped at every send, so an entry of an earlier send is known stale. */
  sends: number;
}

interface Entry {
  conn: Conn;
  sends: number;
}

/** The log of busy connections. */
export interface BusyLog {
  /** A new (idle) connection record. */
  conn(client: Client): Conn;
  /** `conn` took a request at `now`. */
  sent(conn: Conn, now: number): void;
  /** `conn` is free again. */
  freed(conn: Conn): void;
  /** Connections busy since `cutoff` or earlier, counted up to `limit`. */
  countSince(cutoff: number, limit: number): number;
  /** `since` of the longest-busy connection (undefined when none is busy). */
  oldestSince(): number | undefined;
}

/** Creates an empty log. */
export function createBusyLog(): BusyLog {
  let log: Entry[] = [];
  let head = 0;
  const live = (e: Entry): boolean => e.conn.sends === e.sends && !Number.isNaN(e.conn.since);
  // Drops stale entries from the front (each entry is dropped once: amortized O(1)).
  const trim = (): void => {
    while (head < log.length && !live(log[head]!)) head++;
    if (head === log.length) [log, head] = [[], 0];
    else if (head > 1024 && head * 2 > log.length) [log, head] = [log.slice(head), 0];
  };
  return {
    conn: (client) => ({ client, since: Number.NaN, sends: 0 }),
    sent(conn, now) {
      conn.since = now;
      conn.sends++;
      log.push({ conn, sends: conn.sends });
    },
    freed(conn) {
      conn.since = Number.NaN;
    },
    countSince(cutoff, limit) {
      trim();
      let n = 0;
      for (let i = head; i < log.length && n < limit; i++) {
        const e = log[i]!;
        if (!live(e)) continue;
        if (e.conn.since > cutoff) break;
        n++;
      }
      return n;
    },
    oldestSince() {
      trim();
      return head < log.length ? log[head]!.conn.since : undefined;
    },
  };
}
