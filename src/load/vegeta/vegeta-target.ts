/**
 * The target line vegeta reads for every request (`vegeta attack -lazy -format=json`): one JSON
 * object per line, headers as lists, the body base64-encoded.
 */
import type { LoadPlan } from '../types.js';

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

/** Builds the target of `plan` (the same request every time, like the built-in generator sends). */
export function vegetaTarget(plan: LoadPlan): VegetaTarget {
  const header: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(plan.headers)) header[name] = [value];
  // After the plan's headers: the Host the mesh routes by wins, as in the built-in generator.
  if (plan.hostHeader !== undefined) {
    for (const name of Object.keys(header)) if (name.toLowerCase() === 'host') delete header[name];
    header['Host'] = [plan.hostHeader];
  }
  const target: VegetaTarget = { method: plan.method, url: plan.url, header };
  if (plan.body !== undefined) target.body = Buffer.from(plan.body, 'utf8').toString('base64');
  return target;
}

/** The target as the one line vegeta reads (newline-terminated). */
export function vegetaTargetLine(plan: LoadPlan): string {
  return `${JSON.stringify(vegetaTarget(plan))}\n`;
}

/**
 * vegeta's `-rate` value for `rate` requests per second: "N/1s" for a whole rate, else the rate
 * over 1000 s rounded to a request (vegeta's frequency is an integer).
 */
export function vegetaRate(rate: number): string {
  return Number.isInteger(rate) ? `${rate}/1s` : `${Math.max(1, Math.round(rate * 1000))}/1000s`;
}
