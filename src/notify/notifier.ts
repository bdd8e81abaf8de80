/**
 * Sends events to every target that wants them, off the run's path: `send` returns at once (a
 * run never waits for a receiver, and a restore never awaits a notification); each target's
 * events go in order, one after the other. `close` waits for what is still being sent only up to
 * a grace time, then cancels it, and warns once per target that missed anything.
 */
import { Agent } from 'undici';
import type { Logger } from '../context.js';
import { deliver } from './deliver.js';
import type { NotificationEvent } from './payload-schema.js';
import { createDefaultNotifyRegistry, type NotifyRegistry } from './registry.js';
import type { ResolvedTarget } from './types.js';

/** How long `close` waits for outstanding sends, ms (the end of a run is delayed by at most this). */
export const NOTIFY_GRACE_MS = 5_000;

/** How long `close` waits once the user asked to stop (Ctrl-C, a signal), ms. */
export const INTERRUPTED_GRACE_MS = 1_000;

/** How long {@link Notifier.close} waits. */
export interface CloseOptions {
  /** The grace time. @default NOTIFY_GRACE_MS */
  graceMs?: number;
  /** The run's abort signal: once it aborts (before or during the wait), the wait ends `interruptedGraceMs` after. @default none */
  signal?: AbortSignal;
  /** The grace time left after `signal` aborts. @default INTERRUPTED_GRACE_MS */
  interruptedGraceMs?: number;
}

/** Options of {@link createNotifier}. */
export interface NotifierOptions {
  /** Where the one warning per failed target goes. */
  logger: Pick<Logger, 'warn'>;
  /** Formats by type. @default createDefaultNotifyRegistry() */
  registry?: NotifyRegistry;
  /** A number in [0, 1) for the backoff's jitter. @default Math.random */
  random?: () => number;
}

/** Tells the targets of a run (or a game day) what happens. */
export interface Notifier {
  /** Queues `event` for every target whose `on` lists it; returns at once, never throws. */
  send(event: NotificationEvent): void;
  /**
   * Waits for outstanding sends up to the grace time (shorter once `signal` aborts), cancels the
   * rest, closes the connections and warns once per target that missed an event. Later sends are
   * dropped. Idempotent.
   */
  close(options?: CloseOptions): Promise<void>;
}

interface TargetState {
  target: ResolvedTarget;
  chain: Promise<void>;
  queued: number;
  failed: number;
  /** The first failure: what went wrong before anything was cancelled. */
  firstReason?: string;
}

/** A notifier for `targets` (resolved: their URLs read). With none, every call does nothing. */
export function createNotifier(targets: readonly ResolvedTarget[], options: NotifierOptions): Notifier {
  const registry = options.registry ?? createDefaultNotifyRegistry();
  // Unknown types fail here, when the run is set up, not at the first event.
  const states = targets.map((target) => ({ state: { target, chain: Promise.resolve(), queued: 0, failed: 0 } as TargetState, format: registry.get(target.type) }));
  const cancel = new AbortController();
  // Its own connections: closed with the notifier, so no socket outlives the run.
  let agent: Agent | undefined;
  let closed: Promise<void> | undefined;
  const record = (s: TargetState, reason: string) => {
    s.failed++;
    s.firstReason ??= reason;
  };
  return {
    send(event) {
      if (closed) return;
      for (const { state: s, format } of states) {
        if (!s.target.on.includes(event.event)) continue;
        s.queued++;
        let body: string;
        try {
          body = JSON.stringify(format.render(event));
        } catch (err) {
          record(s, `cannot render the ${event.event} event: ${(err as Error).message}`);
          continue;
        }
        agent ??= new Agent({ connections: 2 });
        const dispatcher = agent;
        const delivery = { url: s.target.url, body, timeoutMs: s.target.timeoutMs, retries: s.target.retries };
        s.chain = s.chain.then(async () => {
          const out = await deliver(delivery, { dispatcher, signal: cancel.signal, ...(options.random ? { random: options.random } : {}) });
          if (!out.ok) record(s, `${event.event}: ${out.reason ?? 'not sent'}`);
        });
      }
    },
    close(closeOptions = {}) {
      return (closed ??= (async () => {
        const ended = await waitAtMost(Promise.all(states.map(({ state }) => state.chain)), closeOptions);
        // Attempts in flight and backoffs stop at once; events still queued are not sent.
        cancel.abort();
        await Promise.all(states.map(({ state }) => state.chain));
        await agent?.destroy().catch(() => {});
        for (const { state: s } of states) {
          if (s.failed === 0) continue;
          const waited = ended === 'sent' ? '' : `; ${ended}`;
          options.logger.warn(`notification to ${s.target.label} (${s.target.type}): ${s.failed} of ${s.queued} event(s) not delivered (first: ${s.firstReason})${waited}`);
        }
      })());
    },
  };
}

/**
 * Resolves with "sent" when `work` settles, or with how the wait ended when the grace time ran
 * out first (e.g. "stopped waiting after 5000 ms"); no timer or listener outlives it.
 */
async function waitAtMost(work: Promise<unknown>, options: CloseOptions): Promise<string> {
  const { graceMs = NOTIFY_GRACE_MS, signal, interruptedGraceMs = INTERRUPTED_GRACE_MS } = options;
  const started = performance.now();
  const timers: NodeJS.Timeout[] = [];
  let onAbort: (() => void) | undefined;
  const grace = new Promise<string>((resolve) => {
    timers.push(setTimeout(resolve, graceMs, `stopped waiting after ${graceMs} ms`));
    // A signal shortens the wait: the user asked to stop, a receiver must not hold them up.
    onAbort = () => {
      const left = Math.max(0, Math.min(interruptedGraceMs, graceMs - (performance.now() - started)));
      timers.push(setTimeout(resolve, left, `stopped waiting ${interruptedGraceMs} ms after the interruption`));
    };
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work.then(() => 'sent'), grace]);
  } finally {
    for (const t of timers) clearTimeout(t);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
