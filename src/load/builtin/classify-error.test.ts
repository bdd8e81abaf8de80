import { describe, expect, it } from 'vitest';
import { classifyError } from './classify-error.js';

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('classifyError', () => {
  it.each([
    ['ECONNREFUSED', 'connect'],
    ['EHOSTUNREACH', 'connect'],
    ['UND_ERR_CONNECT_TIMEOUT', 'connect'],
    ['ECONNRESET', 'reset'],
    ['EPIPE', 'reset'],
    ['UND_ERR_SOCKET', 'reset'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
    ['UND_ERR_BODY_TIMEOUT', 'timeout'],
    ['ETIMEDOUT', 'timeout'],
    ['UND_ERR_INVALID_ARG', 'error'],
  ])('maps code %s to %s', (code, kind) => {
    expect(classifyError(withCode(code))).toBe(kind);
  });

  it('looks through cause chains and aggregate errors', () => {
    const wrapped = new Error('fetch failed', { cause: withCode('ECONNRESET') });
    expect(classifyError(wrapped)).toBe('reset');
    const dual = new AggregateError([withCode('EADDRNOTAVAIL'), withCode('ECONNREFUSED')], 'connect failed');
    expect(classifyError(dual)).toBe('connect');
  });

  it('falls back to "error" for anything without a known code', () => {
    expect(classifyError(new Error('boom'))).toBe('error');
    expect(classifyError('a string')).toBe('error');
    expect(classifyError(null)).toBe('error');
    expect(classifyError({ code: 42 })).toBe('error');
  });
});
