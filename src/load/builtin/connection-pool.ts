/**
 * The built-in generator's connections to the target: one undici `Client` (one keep-alive
 * connection, no pipelining) per connection, and ONE queue of requests waiting for a free one.
 *
 * Why not undici's `Pool`: when every connection is busy, `Pool` opens a new connection and binds
 * the request to it. At a high open-model rate every event-loop turn finds its connections "busy"
 * (their answers sit unread in the kernel until the loop polls), so `Pool` kept opening
 * connections: ~1,000 at 4,400 req/s on one core, and the CPU they cost was what limited the rate
 * (bench/load: capped at 32 connections, the same core held 8,000 req/s; uncapped it missed).
 *
 * Here a request that finds no free connection waits for the first that frees up. A new connection
 * is dialled only when a request has waited `dialAfterMs` with every connection busy, or at once
 * when no connection is busy (nothing could free up), and at most `maxPendingDials` at once. So the
 * pool grows to what the target's latency needs (rate × latency, Little's law) and no further; an
 * idle surplus is closed by undici's keep-alive timeout.
 *
 * Open model still: arrivals are never held back by this queue (the generator drops beyond
 * `maxInFlight`, queued requests included), and latency runs from the intended send, so the time a
 * request waits here is in its latency (see builtin-generator.ts).
 */
import { isIP } from 'node:net';
import type { Socket } from 'node:net';
import { buildConnector, Client } from 'undici';
import type { Dispatcher } from 'undici';
import { createBusyLog, type Conn } from './busy-log.js';

/** A request handed to the pool. */
export interface PooledRequest {
  /** Takes the request out of the queue if it is still waiting (no effect once it is sent). */
  withdraw(): void;
}

/** What sendRequest needs of a pool (a test may give its own). */
export interface RequestDispatcher {
  /** Sends the request on a free connection, or queues it until one frees up or is opened. */
  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): PooledRequest;
}

/** Options of {@link createConnectionPool}. */
export interface ConnectionPoolOptions {
  /** The target (only its origin is used: scheme, host and port). */
  origin: URL;
  /** Value of the Host header the requests carry, when not the URL's (its name is the TLS SNI). */
  hostHeader?: string;
  /** A connect (TCP, and TLS for https) fails after this many ms. */
  connectTimeoutMs: number;
  /** Most connections open or being opened at once. */
  maxConnections: number;
  /**
   * Most connections being opened at once. Small: a connect on the same machine takes ~0.1 ms, and
   * a burst of arrivals is better served by the connections that free up meanwhile.
   * @default 16
   */
  maxPendingDials?: number;
  /**
   * How long a request waits for a busy connection to free up before a new one is dialled for it.
   * Shorter grows the pool on every burst of arrivals; longer adds that wait to latency while the
   * pool grows (e.g. when the target slows down and more requests are in flight at once).
   * @default 1
   */
  dialAfterMs?: number;
}

/** A pool of connections with one wait queue. */
export interface ConnectionPool extends RequestDispatcher {
  /** Connections open now. */
  open(): number;
  /** Most connections open at once so far. */
  peak(): number;
  /** Closes every connection; requests still queued or running end with an error. */
  destroy(): Promise<void>;
}

interface Waiting {
  options: Dispatcher.DispatchOptions;
  handler: Dispatcher.DispatchHandler;
  state: 'queued' | 'sent' | 'withdrawn';
}

// What a handler receives in place of a controller when its request failed before it had one.
const NO_CONTROLLER = { abort() {}, pause() {}, resume() {}, paused: false, aborted: true, reason: null } as unknown as Dispatcher.DispatchController;

// The handle of a request that went out at once: nothing to withdraw.
const SENT: PooledRequest = { withdraw() {} };

/** The TLS server name undici would use for a Host header (none for an IP address). */
function serverName(host: string | undefined): string | null {
  if (!host) return null;
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.split(':')[0]!;
  return isIP(name) ? '' : name;
}

/** Creates the pool; no connection is opened before the first request. */
export function createConnectionPool(o: ConnectionPoolOptions): ConnectionPool {
  const connect = buildConnector({ timeout: o.connectTimeoutMs });
  const maxPendingDials = o.maxPendingDials ?? 16;
  const dialAfterMs = o.dialAfterMs ?? 1;
  const port = o.origin.port || (o.origin.protocol === 'https:' ? '443' : '80');
  const target = { hostname: o.origin.hostname, host: o.origin.host, protocol: o.origin.protocol, port, servername: serverName(o.hostHeader) || null };
  const busy = createBusyLog();
  const idle: Conn[] = [];
  const conns = new Set<Conn>();
  // FIFO of waiting requests; `head` moves forward instead of shifting the array.
  let queue: Waiting[] = [];
  let head = 0;
  let waiting = 0;
  let dialing = 0;
  let peak = 0;
  let destroyed = false;
  // A check is scheduled (check phase, or a timer then the check phase).
  let checking = false;

  /** The oldest request still waiting, left in the queue. */
  const oldestWaiting = (): Waiting | undefined => {
    while (head < queue.length && queue[head]!.state !== 'queued') head++;
    if (head < queue.length) return queue[head];
    [queue, head] = [[], 0];
    return undefined;
  };
  /** Takes the oldest waiting request out of the queue. */
  const nextWaiting = (): Waiting | undefined => {
    const w = oldestWaiting();
    if (w === undefined) return undefined;
    head++;
    if (head > 1024 && head * 2 > queue.length) [queue, head] = [queue.slice(head), 0];
    waiting--;
    w.state = 'sent';
    return w;
  };

  const retire = (conn: Conn): void => {
    if (!conns.delete(conn)) return;
    busy.drop(conn);
    const at = idle.indexOf(conn);
    if (at >= 0) idle.splice(at, 1);
    conn.client.destroy().catch(() => {});
  };

  const send = (conn: Conn, options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler, now: number): void => {
    busy.sent(conn, now);
    try {
      conn.client.dispatch(options, handler);
    } catch (err) {
      // Refused before anything was sent (undici checks the options): the request fails, the
      // connection stays free. Never thrown: pump runs inside socket callbacks.
      busy.freed(conn);
      idle.push(conn);
      handler.onResponseError?.(NO_CONTROLLER, err as Error);
    }
  };

  const addConn = (socket: Socket): void => {
    let handedOver = false;
    const client = new Client(o.origin.origin, {
      pipelining: 1,
      // The generator's own per-request timer bounds the whole request; undici's would cut parts.
      headersTimeout: 0,
      bodyTimeout: 0,
      // The dialled socket first (asynchronously: undici expects the callback after it returns),
      // then, should undici reconnect this client, a fresh one.
      connect: (opts, cb) => {
        if (handedOver) return connect(opts, cb);
        handedOver = true;
        queueMicrotask(() => cb(null, socket));
      },
    });
    const conn = busy.conn(client);
    client.on('drain', () => {
      busy.freed(conn);
      if (!conns.has(conn)) return;
      idle.push(conn);
      pump();
    });
    // A closed connection (the server's keep-alive end, a reset) is not reused: a new one is dialled when needed.
    client.on('disconnect', () => retire(conn));
    conns.add(conn);
    peak = Math.max(peak, conns.size);
    idle.push(conn);
  };

  const dial = (): void => {
    dialing++;
    connect(target as Parameters<typeof connect>[0], (err, socket) => {
      dialing--;
      if (destroyed) {
        socket?.destroy();
        return;
      }
      if (err !== null || socket === null) {
        // The oldest waiting request fails with the connect error (as if it had dialled itself).
        const w = nextWaiting();
        w?.handler.onResponseError?.(NO_CONTROLLER, err ?? new Error('connect failed'));
      } else {
        addConn(socket);
      }
      pump();
    });
  };

  /** Dials for up to `n` waiting requests, within the bounds. */
  const dialFor = (n: number): void => {
    for (let i = 0; i < n && waiting > dialing && dialing < maxPendingDials && conns.size + dialing < o.maxConnections && !destroyed; i++) dial();
  };

  // A connection earns a new one only when it is still busy after a whole poll phase that began
  // dialAfterMs or more after its send: its answer was not in, so it waits for the target, not
  // for this event loop. `ref` is taken in a check phase two turns before the check: the poll phase
  // of the turn between began after `ref`, and so did the whole of the next one. (One turn is not
  // enough: a slow turn's poll may have begun just before the answer came.) A loop that is merely
  // behind (start-up, a burst, a GC pause) finds its answers at the next poll and dials nothing:
  // more connections would only cost the CPU it lacks (bench/load: at start-up, timing the wait
  // alone opened ~500 connections and the rate held fell).
  const check = (ref: number): void => {
    checking = false;
    if (waiting <= dialing || destroyed) return;
    dialFor(busy.countSince(ref - dialAfterMs, Math.min(waiting - dialing, maxPendingDials)));
    if (waiting > dialing) armCheck();
  };
  // setImmediate inside a check-phase callback runs in the next turn, after that turn's poll phase.
  const checkTwoTurnsOn = (): void => {
    const ref = performance.now();
    setImmediate(() => setImmediate(() => check(ref)));
  };
  const armCheck = (): void => {
    const oldest = busy.oldestSince();
    if (checking || oldest === undefined) return;
    checking = true;
    const wait = oldest + dialAfterMs - performance.now();
    if (wait <= 0) setImmediate(checkTwoTurnsOn);
    else setTimeout(checkTwoTurnsOn, Math.max(1, Math.ceil(wait)));
  };

  // Most-recently-used first (LIFO): surplus connections stay idle and undici closes them after its
  // keep-alive timeout, so the pool shrinks back after a burst.
  function pump(): void {
    if (waiting > 0 && idle.length > 0) {
      const now = performance.now();
      while (waiting > 0 && idle.length > 0) {
        const w = nextWaiting()!;
        send(idle.pop()!, w.options, w.handler, now);
      }
    }
    if (waiting <= dialing || destroyed) return;
    // No connection busy: none will free up, so waiting would only add latency.
    if (conns.size === idle.length) dialFor(waiting);
    else armCheck();
  }

  return {
    dispatch(options, handler) {
      if (destroyed) {
        handler.onResponseError?.(NO_CONTROLLER, new Error('connection pool destroyed'));
        return SENT;
      }
      // A free connection and nobody ahead: sent at once, nothing allocated for the queue.
      if (idle.length > 0 && waiting === 0) {
        send(idle.pop()!, options, handler, performance.now());
        return SENT;
      }
      const w: Waiting = { options, handler, state: 'queued' };
      queue.push(w);
      waiting++;
      pump();
      return {
        withdraw() {
          if (w.state !== 'queued') return;
          w.state = 'withdrawn';
          waiting--;
        },
      };
    },
    open: () => conns.size,
    peak: () => peak,
    async destroy() {
      destroyed = true;
      const err = new Error('connection pool destroyed');
      for (let w = nextWaiting(); w !== undefined; w = nextWaiting()) w.handler.onResponseError?.(NO_CONTROLLER, err);
      const all = [...conns];
      conns.clear();
      idle.length = 0;
      await Promise.all(all.map((c) => c.client.destroy().catch(() => {})));
    },
  };
}
