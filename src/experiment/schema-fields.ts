/**
 * The field builders of the experiment schema: the units a user writes ("10s", "1%", a traffic
 * share, a Kubernetes name), each parsed to the number the runner works with. Every duration has
 * bounds, stated in its description (and so in the JSON Schema and the editor's hover text).
 */
import { z } from 'zod';
import { headerNameProblem, headerValueProblem, isHeaderName } from '../input/http-syntax.js';
import { parseListenText } from '../input/listen-address.js';
import { DURATION_PATTERN, PERCENT_PATTERN, parseDuration, parsePercent } from '../input/units.js';
import { userMap } from './user-map.js';

/** Shortest and longest value of a duration field, as a user writes them ("100ms", "24h"). */
export interface DurationBounds {
  /** Shortest accepted duration. */
  min: string;
  /** Longest accepted duration. */
  max: string;
}

/**
 * A step: shift.interval, fault.duration, mirror.duration, load.duration. A run sleeps through it
 * with one timer, which holds at most 24.8 days (MAX_TIMER_MS); a day is far beyond any canary
 * step. At least 100ms: a shorter step cannot apply a change, drive load and judge it.
 */
export const STEP_DURATION: DurationBounds = { min: '100ms', max: '24h' };
/**
 * A bound on one request or one answer: load.timeout, metrics.prometheus.timeout and
 * fault.delay.fixedDelay (Istio's own minimum is 1ms). Above 0 (a 0ms timeout fails every
 * request), and an hour at most: nothing a canary judges takes longer.
 */
export const REQUEST_DURATION: DurationBounds = { min: '1ms', max: '1h' };
/**
 * A latency SLO's max: above 0 and at most an hour, like a request bound, but sub-millisecond
 * limits are legitimate (a fast in-cluster hop answers in microseconds; latencies are recorded in µs).
 */
export const LATENCY_LIMIT: DurationBounds = { min: '0.001ms', max: '1h' };
/**
 * How often something is read again: metrics.prometheus.scrapeInterval (mode sequential reads
 * Prometheus that often during a step). At least 100ms, so a typo cannot turn it into a query every
 * millisecond; an hour at most, as above.
 */
export const POLL_INTERVAL: DurationBounds = { min: '100ms', max: '1h' };
/** A wait that may be none: metrics.prometheus.settle, a demo backend's latency. An hour at most, as above. */
export const WAIT_DURATION: DurationBounds = { min: '0ms', max: '1h' };

/**
 * An Istio setting written into a VirtualService or DestinationRule (retries.perTryTimeout,
 * outlierDetection.interval, connection-pool timeouts): the mesh refuses or ignores one that is not
 * positive or that no timer can hold, so validation refuses the same (Istio's own minimum is 1ms).
 */
export const ISTIO_SETTING_DURATION: DurationBounds = { min: '1ms', max: '596h' };
/** An Istio setting where 0 means something (consistentHash.httpCookie.ttl "0s": a session cookie). */
export const ISTIO_SETTING_WAIT: DurationBounds = { min: '0ms', max: '596h' };

/** Every bounds set the schema uses (a test holds each maximum under the timer limit). */
export const DURATION_BOUNDS: readonly DurationBounds[] = [STEP_DURATION, REQUEST_DURATION, LATENCY_LIMIT, POLL_INTERVAL, WAIT_DURATION, ISTIO_SETTING_DURATION, ISTIO_SETTING_WAIT];

/** `text` with `range` put before its `@default` tag (or at its end), e.g. "… From 1ms to 1h. @default "5s"". */
export function withRange(text: string, range: string): string {
  const at = text.indexOf(' @default');
  return at < 0 ? `${text} ${range}` : `${text.slice(0, at)} ${range}${text.slice(at)}`;
}

/** A duration string refused outside `bounds`, kept as written (for Istio fields copied into a manifest). */
export const durationText = (description: string, bounds: DurationBounds) => {
  const min = parseDuration(bounds.min)!;
  const max = parseDuration(bounds.max)!;
  // Text that is no duration at all gets only the regex's message, not these two as well.
  const ms = (s: string) => parseDuration(s) ?? min;
  return z
    .string()
    .regex(DURATION_PATTERN, 'expected a duration such as "500ms", "10s" or "1m30s"')
    .refine((s) => ms(s) >= min, `must be at least ${bounds.min}`)
    .refine((s) => ms(s) <= max, `must be at most ${bounds.max}`)
    .describe(withRange(description, `From ${bounds.min} to ${bounds.max}.`));
};

/** A duration string parsed to milliseconds, refused outside `bounds` (a value past the maximum never reaches a timer). */
export const duration = (description: string, bounds: DurationBounds) =>
  durationText(description, bounds)
    .transform((s) => parseDuration(s)!)
    .describe(withRange(description, `From ${bounds.min} to ${bounds.max}.`));

/** A percentage string ("1%") parsed to a fraction (0.01). */
export const percentString = (description: string) =>
  z
    .string()
    .regex(PERCENT_PATTERN, 'expected a percentage such as "1%" or "0.5%"')
    .transform((s) => parsePercent(s)!)
    .refine((f) => f <= 1, 'a percentage cannot exceed 100%')
    .describe(description);

/** A share of traffic, 0–100, as Istio writes weights and percentages. */
export const trafficPercent = (description: string) => z.number().min(0).max(100).describe(description);

/** A name Kubernetes accepts (DNS-1123 label-ish, which also makes a safe directory name). */
export const k8sName = (description: string) =>
  z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'expected a lowercase name (a-z, 0-9, "-", "."), e.g. "reviews-canary"')
    .max(253)
    .describe(description);

/** A string refused with the message `problemOf` gives (undefined: accepted). */
function refusing(problemOf: (s: string) => string | undefined) {
  return z.string().superRefine((s, ctx) => {
    const problem = problemOf(s);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });
}

/** A listen address "host:port" (port 0 to 65535; 0 picks a free one), parsed as the mesh parses it. */
export const listenAddress = (description: string) =>
  refusing((s) => {
    const parsed = parseListenText(s);
    return 'reason' in parsed ? `not a listen address: ${parsed.reason}` : undefined;
  }).describe(withRange(description, 'host:port, port 0 to 65535.'));

/** Request headers: names are RFC 9110 tokens (not ones the client sets itself), values have no CR, LF or NUL. */
export const requestHeaders = (description: string) => userMap(refusing(headerNameProblem), refusing(headerValueProblem)).describe(description);

/** Labels: any keys (even "__proto__"), string values. */
export const labelMap = (description: string) => userMap(z.string(), z.string()).describe(description);

/** A header value (e.g. the Host header): no CR, LF, NUL or other control character. */
export const headerValue = (description: string) => refusing(headerValueProblem).describe(description);

/** A header name: an RFC 9110 token. */
export const headerName = (description: string) => refusing((s) => (isHeaderName(s) ? undefined : 'not a valid header name (RFC 9110 token)')).describe(description);
