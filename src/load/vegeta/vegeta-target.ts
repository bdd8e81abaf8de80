/**
 * The target line vegeta reads for every request (`vegeta attack -lazy -format=json`): one JSON
 * object per line, headers as lists, the body base64-encoded.
 */
import type { LoadPlan, PickedRequest } from '../types.js';

/**
 * The URL fragment naming a picked request's index ("#mesh-exp-r=3"). Go's HTTP client never sends
 * a fragment, and vegeta echoes the target's URL in each result, so the fragment tells which named
 * request a result belongs to (two names may share a method and path; results carry no request
 * headers).
 */
export const REQUEST_FRAGMENT = '#mesh-exp-r=';

/** One vegeta JSON target (the fields of vegeta v12's `Target`). */
export interface VegetaTarget {
  /** HTTP method. */
  method: string;
  /** Full URL. */
  url: string;
  /** Headers, each a list of values; "Host" sets the request's Host (vegeta honours it). */
  header: Record<string, string[]>;
  /** Request body, base64. @default absent: no body */
  body?: string;
}

/**
 * Builds the target of `plan`: its one request, or `picked` (a request of the plan's picker, its
 * index in the URL's fragment).
 */
export function vegetaTarget(plan: LoadPlan, picked?: PickedRequest): VegetaTarget {
  const shape = picked ?? plan;
  const header: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(shape.headers)) header[name] = [value];
  // After the plan's headers: the Host the mesh routes by wins, as in the built-in generator.
  if (plan.hostHeader !== undefined) {
    for (const name of Object.keys(header)) if (name.toLowerCase() === 'host') delete header[name];
    header['Host'] = [plan.hostHeader];
  }
  const url = picked ? `${picked.url}${REQUEST_FRAGMENT}${picked.index}` : plan.url;
  const target: VegetaTarget = { method: shape.method, url, header };
  if (shape.body !== undefined) target.body = Buffer.from(shape.body, 'utf8').toString('base64');
  return target;
}

/** The target as the one line vegeta reads (newline-terminated). */
export function vegetaTargetLine(plan: LoadPlan, picked?: PickedRequest): string {
  return `${JSON.stringify(vegetaTarget(plan, picked))}\n`;
}

/** The next `count` target lines: the plan's one request repeated, or the picker's next choices. */
export function vegetaTargetChunk(plan: LoadPlan, count: number): string {
  const picker = plan.picker;
  if (picker === undefined) return vegetaTargetLine(plan).repeat(count);
  let out = '';
  for (let i = 0; i < count; i++) out += vegetaTargetLine(plan, picker.next());
  return out;
}

/**
 * vegeta's `-rate` value for `rate` requests per second: "N/1s" for a whole rate, else the rate
 * over 1000 s rounded to a request (vegeta's frequency is an integer).
 */
export function vegetaRate(rate: number): string {
  return Number.isInteger(rate) ? `${rate}/1s` : `${Math.max(1, Math.round(rate * 1000))}/1000s`;
}
