/**
 * Answers the proxy writes itself, with Envoy's bodies and response flags, so clients and metrics
 * see what they would see behind a real sidecar:
 * | case                         | status | flags | body                                   |
 * |------------------------------|--------|-------|----------------------------------------|
 * | no virtual host / no route   | 404    | NR    | (empty)                                |
 * | no endpoint / all weights 0  | 503    | UH    | no healthy upstream                    |
 * | fault abort                  | config | FI    | fault filter abort                     |
 * | route or per-try timeout     | 504    | UT    | upstream request timeout               |
 * | connection refused           | 503    | UF    | upstream connect error or ... failure  |
 * | reset before headers         | 503    | UC    | upstream connect error or ... termination |
 * | circuit breaker overflow     | 503    | UO    | upstream connect error or ... overflow  |
 * Flags combine with "," in Envoy's order (e.g. "DI,FI", "UF,URX", "UT,URX").
 */
import type { ProxyResponse } from './proxy-io.js';

/** Envoy response flags the local mesh sets. */
export const Flag = {
  NONE: '-',
  NO_ROUTE: 'NR',
  NO_HEALTHY_UPSTREAM: 'UH',
  DELAY_INJECTED: 'DI',
  FAULT_INJECTED: 'FI',
  UPSTREAM_TIMEOUT: 'UT',
  UPSTREAM_CONNECT_FAILURE: 'UF',
  UPSTREAM_CONNECTION_TERMINATION: 'UC',
  RETRY_LIMIT_EXCEEDED: 'URX',
  UPSTREAM_OVERFLOW: 'UO',
  DOWNSTREAM_DISCONNECT: 'DC',
} as const;

// Envoy's order (the bit order of its ResponseFlag enum), so combined flags read as Envoy writes them.
const ORDER = ['LH', 'UH', 'UT', 'LR', 'UR', 'UF', 'UC', 'UO', 'NR', 'DI', 'FI', 'RL', 'UAEX', 'RLSE', 'DC', 'URX'];

/** Joins flags in a stable order; "-" when there are none. */
export function joinFlags(flags: readonly string[]): string {
  if (flags.length === 0) return Flag.NONE;
  if (flags.length === 1) return flags[0]!;
  return [...flags].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b)).join(',');
}

/** Body text of each local answer. */
export const LocalBody = {
  UH: 'no healthy upstream',
  UT: 'upstream request timeout',
  UF: 'upstream connect error or disconnect/reset before headers. reset reason: connection failure',
  UC: 'upstream connect error or disconnect/reset before headers. reset reason: connection termination',
  FI: 'fault filter abort',
  UO: 'upstream connect error or disconnect/reset before headers. reset reason: overflow',
} as const;

/** Writes a complete local answer (text/plain) unless headers were already sent. */
export function sendLocal(res: ProxyResponse, status: number, body: string | Buffer, extra?: Record<string, string>): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  const headers: Record<string, string | number> = { 'content-length': buf.length };
  if (buf.length) headers['content-type'] = 'text/plain';
  if (extra) Object.assign(headers, extra);
  res.writeHead(status, headers);
  res.end(buf);
}
