/**
 * A reflector (client-go's name) for one resource: list, then watch from the list's
 * resourceVersion, forever. A watch the server ends cleanly resumes from the last version seen;
 * "410 Gone" (the version was compacted away) re-lists at once; any other failure — the API
 * server gone, a 5xx, a refused watch — re-lists after an exponential backoff with jitter.
 * Each list hands over the complete set of objects, so whatever an outage hid (deletions
 * included) is caught up. The client is an interface, so the loop is tested without a server.
 */
import { backoffMs, TWENTY_PERCENT_JITTER } from '../../kube/backoff.js';

/** A watch in progress. */
export interface WatchHandle {
  /** Ends it; its `onDone` may still be called (and is ignored once the reflector stops). */
  abort(): void;
}

/** What the reflector needs from the API: one resource in one namespace. */
export interface ResourceClient {
  /** Lists the objects and the list's resourceVersion. */
  list(): Promise<{ items: unknown[]; resourceVersion: string }>;
  /**
   * Watches from `resourceVersion`: `onEvent(type, object)` per event (ADDED, MODIFIED, DELETED,
   * BOOKMARK, ERROR), `onDone(err)` once when it ends (null when the server closed it).
   */
  watch(resourceVersion: string, onEvent: (type: string, obj: unknown) => void, onDone: (err: unknown) => void): Promise<WatchHandle>;
}

/** What the reflector tells its owner. */
export interface ReflectorHandlers {
  /** After every successful list: the complete set of objects. */
  replace(items: unknown[]): void;
  /** One change seen by the watch. */
  event(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: unknown): void;
  /** A list or a watch failed; the reflector re-lists in `retryInMs`. */
  failed(err: unknown, retryInMs: number): void;
  /** The watch's version is too old (410 Gone); the reflector re-lists now. @default nothing */
  expired?(): void;
}

/** Options of {@link startReflector}. */
export interface ReflectorOptions {
  /** First retry delay, ms. @default 250 */
  initialBackoffMs?: number;
  /** Longest retry delay, ms. @default 4000 */
  maxBackoffMs?: number;
  /** A list that has not answered by then counts as failed, ms. @default 30000 */
  listTimeoutMs?: number;
  /** Random source in [0,1) for the jitter. @default Math.random */
  random?: () => number;
}

/** A running reflector. */
export interface Reflector {
  /** Stops it: no handler is called afterwards. */
  stop(): Promise<void>;
}

/** How one watch ended. */
type Outcome = { kind: 'closed'; events: number } | { kind: 'gone' } | { kind: 'error'; err: unknown };

/** A watch that ran this long, or delivered an event, proves the connection healthy again, ms. */
const HEALTHY_WATCH_MS = 1000;

/** Whether an error or a watch ERROR event's Status means "410 Gone". */
export function isGone(err: unknown): boolean {
  const e = err as { statusCode?: unknown; code?: unknown; status?: unknown } | null;
  return e?.statusCode === 410 || e?.code === 410 || e?.status === 410;
}

/** Retry delay after `attempt` failures in a row: exponential, capped, ±20% jitter. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: () => number): number {
  return Math.round(backoffMs(attempt, { initialMs, maxMs, jitter: TWENTY_PERCENT_JITTER, random }));
}

/** Starts listing and watching at once. */
export function startReflector(client: ResourceClient, handlers: ReflectorHandlers, o: ReflectorOptions = {}): Reflector {
  const initial = o.initialBackoffMs ?? 250;
  const max = o.maxBackoffMs ?? 4000;
  const listTimeout = o.listTimeoutMs ?? 30_000;
  const random = o.random ?? Math.random;
  let stopped = false;
  let rv = '';
  let handle: WatchHandle | undefined;
  let wake: (() => void) | undefined;
  const stopping = new Promise<void>((resolve) => (wake = resolve));
  // Every wait of the loop also ends when the reflector stops.
  const race = <T>(p: Promise<T>) => Promise.race([p, stopping.then(() => undefined)]);
  const sleep = (ms: number) => race(new Promise<void>((r) => setTimeout(r, ms).unref()));

  const listOnce = () =>
    new Promise<{ items: unknown[]; resourceVersion: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to the list within ${listTimeout} ms`)), listTimeout);
      timer.unref();
      client.list().then(resolve, reject).finally(() => clearTimeout(timer));
    });

  const watchOnce = () =>
    new Promise<Outcome>((resolve) => {
      let settled = false;
      let events = 0;
      const finish = (out: Outcome) => {
        if (settled) return;
        settled = true;
        handle?.abort();
        handle = undefined;
        resolve(out);
      };
      const onEvent = (type: string, obj: unknown) => {
        if (stopped || settled) return;
        events++;
        if (type === 'ERROR') return finish(isGone(obj) ? { kind: 'gone' } : { kind: 'error', err: statusError(obj) });
        const version = (obj as { metadata?: { resourceVersion?: string } } | null)?.metadata?.resourceVersion;
        if (version) rv = version;
        if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') handlers.event(type, obj);
      };
      const onDone = (err: unknown) => finish(err ? (isGone(err) ? { kind: 'gone' } : { kind: 'error', err }) : { kind: 'closed', events });
      client.watch(rv, onEvent, onDone).then(
        (h) => (settled || stopped ? h.abort() : (handle = h)),
        (err: unknown) => onDone(err ?? new Error('the watch could not start')),
      );
    });

  const loop = async () => {
    let failures = 0;
    const fail = async (err: unknown) => {
      rv = '';
      const ms = backoffDelay(failures++, initial, max, random);
      handlers.failed(err, ms);
      await sleep(ms);
    };
    while (!stopped) {
      if (!rv) {
        let listed;
        try {
          listed = await race(listOnce());
        } catch (err) {
          if (!stopped) await fail(err);
          continue;
        }
        if (!listed) return;
        rv = listed.resourceVersion;
        handlers.replace(listed.items);
      }
      const t0 = Date.now();
      const out = await race(watchOnce());
      if (!out || stopped) return;
      const healthy = out.kind === 'closed' ? out.events > 0 || Date.now() - t0 >= HEALTHY_WATCH_MS : true;
      if (out.kind === 'gone') {
        rv = '';
        handlers.expired?.();
      } else if (out.kind === 'error') {
        await fail(out.err);
        continue;
      } else if (!healthy) {
        // Closed at once without a word: do not spin; resume after a backoff.
        await sleep(backoffDelay(failures++, initial, max, random));
        continue;
      }
      failures = 0;
    }
  };
  const done = loop();
  return {
    async stop() {
      stopped = true;
      handle?.abort();
      handle = undefined;
      wake?.();
      await done;
    },
  };
}

/** An Error for a watch ERROR event's Status object. */
function statusError(obj: unknown): Error {
  const s = obj as { code?: number; reason?: string; message?: string } | null;
  return Object.assign(new Error(s?.message ?? s?.reason ?? 'the watch reported an error'), { statusCode: s?.code });
}
