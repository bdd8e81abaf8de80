/**
 * Istio `HTTPFaultInjection` (Envoy's fault filter). Delay and abort are independent draws; the
 * delay is applied first, then the abort decision. A percentage is `percentage.value` (float
 * 0–100), or the deprecated integer `percent`; when neither is given Istio configures a 0%
 * fraction, so NOTHING is injected (this surprises people; it is what Istio does).
 * An aborted request is answered locally: never forwarded, retried or mirrored.
 */
import type { FaultAbort, FaultDelay, HTTPFaultInjection } from '../../istio/types.js';
// Timer-bounded: a manifest's duration past 24.8 days would overflow setTimeout (it fires at once).
import { parseTimerDuration } from '../../input/units.js';
import type { Diagnostics } from './diagnostics.js';

/** Body of an aborted request, as Envoy's fault filter writes it. */
export const FAULT_ABORT_BODY = 'fault filter abort';

/** A compiled fault. Fractions are 0–1; a zero fraction means "never". */
export interface CompiledFault {
  /** Delay added before forwarding, ms. */
  delayMs: number;
  /** Share of requests delayed, 0–1. */
  delayFraction: number;
  /** HTTP status returned instead of forwarding; 0 when there is no abort. */
  abortStatus: number;
  /** Share of requests aborted, 0–1. */
  abortFraction: number;
}

/** What the fault does to one request. */
export interface FaultDecision {
  /** Milliseconds to wait before going on (0 = no delay). */
  delayMs: number;
  /** Status to answer with instead of forwarding (0 = forward). */
  abortStatus: number;
}

const NONE: FaultDecision = { delayMs: 0, abortStatus: 0 };

/** Draws the decision for one request: delay first, then abort, independently. */
export function decideFault(f: CompiledFault, random: () => number): FaultDecision {
  const delayed = f.delayFraction > 0 && random() < f.delayFraction;
  const aborted = f.abortFraction > 0 && random() < f.abortFraction;
  if (!delayed && !aborted) return NONE;
  return { delayMs: delayed ? f.delayMs : 0, abortStatus: aborted ? f.abortStatus : 0 };
}

/** Compiles `fault` found at `path`; undefined when it injects nothing at all. */
export function compileFault(fault: HTTPFaultInjection | undefined, path: string, diag: Diagnostics): CompiledFault | undefined {
  if (fault === undefined || fault === null) return undefined;
  const out: CompiledFault = { delayMs: 0, delayFraction: 0, abortStatus: 0, abortFraction: 0 };
  if (fault.delay !== undefined) compileDelay(fault.delay, `${path}.delay`, diag, out);
  if (fault.abort !== undefined) compileAbort(fault.abort, `${path}.abort`, diag, out);
  return out.delayFraction > 0 || out.abortFraction > 0 ? out : undefined;
}

function compileDelay(d: FaultDelay, path: string, diag: Diagnostics, out: CompiledFault): void {
  if (d.fixedDelay === undefined) {
    if (d['exponentialDelay'] !== undefined) diag.warn(`${path}.exponentialDelay`, 'exponentialDelay is not supported (Istio does not support it either); no delay injected');
    else diag.error(path, 'a delay needs fixedDelay', 'e.g. fixedDelay: 5s');
    return;
  }
  const ms = typeof d.fixedDelay === 'string' ? parseTimerDuration(d.fixedDelay) : undefined;
  if (ms === undefined) {
    diag.error(`${path}.fixedDelay`, `invalid duration ${JSON.stringify(d.fixedDelay)}`, 'write e.g. "500ms", "7s"');
    return;
  }
  out.delayMs = ms;
  out.delayFraction = fraction(d, path, diag);
}

function compileAbort(a: FaultAbort, path: string, diag: Diagnostics, out: CompiledFault): void {
  if (a.httpStatus === undefined) {
    if (a.grpcStatus !== undefined) diag.warn(`${path}.grpcStatus`, 'gRPC aborts are not supported by the local mesh (HTTP/1.1 only); no abort injected');
    else if (a.http2Error !== undefined) diag.warn(`${path}.http2Error`, 'HTTP/2 error aborts are not supported by the local mesh (HTTP/1.1 only); no abort injected');
    else diag.error(path, 'an abort needs httpStatus');
    return;
  }
  const status = a.httpStatus;
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    diag.error(`${path}.httpStatus`, `httpStatus must be an integer 200–599, got ${String(status)}`);
    return;
  }
  out.abortStatus = status;
  out.abortFraction = fraction(a as { percentage?: { value?: number }; percent?: number }, path, diag);
}

/** The share of requests affected, from `percentage.value` or the deprecated integer `percent`. */
function fraction(x: { percentage?: { value?: number }; percent?: number }, path: string, diag: Diagnostics): number {
  if (x.percentage !== undefined) {
    const v = x.percentage?.value ?? 0;
    if (typeof v !== 'number' || !(v >= 0 && v <= 100)) {
      diag.error(`${path}.percentage.value`, `percentage must be a number 0–100, got ${String(v)}`);
      return 0;
    }
    return v / 100;
  }
  if (x.percent !== undefined) {
    const v = x.percent;
    if (!Number.isInteger(v) || v < 0 || v > 100) {
      diag.error(`${path}.percent`, `percent must be an integer 0–100, got ${String(v)}`);
      return 0;
    }
    return v / 100;
  }
  // Istio: no percentage → a 0% fractional percent → the fault never fires. Say so: it is a common trap.
  diag.warn(`${path}.percentage`, 'no percentage given: Istio injects nothing in that case', 'add percentage: {value: 100} to fault every request');
  return 0;
}
