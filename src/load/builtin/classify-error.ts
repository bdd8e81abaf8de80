/**
 * Maps an undici / socket error to the short `Sample.error` vocabulary, so reports and SLOs can
 * tell "the target is not there" from "the target hung up" from "the target was too slow".
 */

/** What {@link classifyError} returns. */
export type RequestErrorKind = 'connect' | 'reset' | 'timeout' | 'error';

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function codeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Classifies a request failure: "connect" (no connection could be made), "reset" (the connection
 * broke), "timeout" (a transport timeout), else "error". Looks at `err.code`, then at `err.cause`
 * (undici wraps socket errors) and at each error of an AggregateError (dual-stack connects).
 */
export function classifyError(err: unknown): RequestErrorKind {
  const candidates: unknown[] = [err];
  for (let i = 0; i < candidates.length && i < 8; i++) {
    const e = candidates[i];
    const code = codeOf(e);
    if (code !== undefined) {
      if (CONNECT_CODES.has(code)) return 'connect';
      if (RESET_CODES.has(code)) return 'reset';
      if (TIMEOUT_CODES.has(code)) return 'timeout';
    }
    if (typeof e === 'object' && e !== null) {
      const cause = (e as { cause?: unknown }).cause;
      if (cause !== undefined) candidates.push(cause);
      if (e instanceof AggregateError) candidates.push(...e.errors);
    }
  }
  return 'error';
}
