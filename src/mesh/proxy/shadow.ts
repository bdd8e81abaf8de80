/**
 * Sends mirrored copies (fire-and-forget): one try to an endpoint of the mirror's cluster, the
 * response drained and discarded, failures ignored. The copy is recorded as reporter="destination"
 * for the mirror workload — what the mirror's own sidecar would report — and, every copy (failed
 * ones with code 0), under mesh-exp's own mirror metrics (`mirror-metrics.ts`); it never touches
 * the client's response or its metrics. Copies are abandoned after {@link SHADOW_TIMEOUT_MS}.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { ForwardContext } from './forward.js';
import { Flag } from './local-reply.js';
import type { CompiledMirror } from '../config/mirror.js';
import type { RequestBody } from './request-body.js';
import type { TryOwner, UpstreamTry } from './upstream.js';

/** A mirrored request is abandoned after this long (Envoy bounds shadows by the route timeout). */
export const SHADOW_TIMEOUT_MS = 30_000;

/** Owner of mirror tries: records completed copies, ignores everything else. */
function shadowOwner(ctx: ForwardContext): TryOwner {
  return {
    onTryStart(t) {
      t.startedAt = ctx.now();
      const timer = setTimeout(abortShadow, SHADOW_TIMEOUT_MS, t);
      timer.unref();
      timers.set(t, timer);
    },
    onTryResponse: () => undefined,
    onTryDone(t, complete) {
      clearTimeout(timers.get(t));
      timers.delete(t);
      const ms = ctx.now() - t.startedAt;
      if (complete) ctx.metrics.record(ctx.metrics.labelsFor('destination', t.endpoint.workload), t.status, Flag.NONE, ms);
      // The mesh's own count of copies includes those cut short: no response is code 0.
      ctx.metrics.mirrors.record(t.endpoint.workload, complete ? t.status : 0, ms);
    },
    onTryFailure(t) {
      clearTimeout(timers.get(t));
      timers.delete(t);
      ctx.metrics.mirrors.record(t.endpoint.workload, 0, ctx.now() - t.startedAt);
    },
  };
}

const timers = new WeakMap<UpstreamTry, NodeJS.Timeout>();
const owners = new WeakMap<ForwardContext, TryOwner>();

function abortShadow(t: UpstreamTry): void {
  timers.delete(t);
  t.abort();
}

/** Sends one copy of the request to `mirror`'s cluster. */
export function sendShadow(ctx: ForwardContext, mirror: CompiledMirror, method: string, path: string, headers: OutgoingHttpHeaders, body: RequestBody): void {
  const ep = mirror.cluster.lb.pick(ctx.random);
  if (!ep) return;
  let owner = owners.get(ctx);
  if (!owner) owners.set(ctx, (owner = shadowOwner(ctx)));
  ctx.upstream.send(ep, mirror.cluster.connections, method, path, headers, body, false, owner);
}
