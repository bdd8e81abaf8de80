import { describe, expect, it } from 'vitest';
import { UsageError } from '../../errors.js';
import { isLoopback, parseListenAddress, urlOf } from './listen-address.js';

describe('listen addresses', () => {
  it('parses host:port forms', () => {
    expect(parseListenAddress('127.0.0.1:15001', '--listen')).toEqual({ host: '127.0.0.1', port: 15001 });
    expect(parseListenAddress('[::1]:0', '--listen')).toEqual({ host: '::1', port: 0 });
    expect(parseListenAddress(':8080', '--listen')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseListenAddress('8080', '--listen')).toEqual({ host: '127.0.0.1', port: 8080 });
  });

  it('refuses anything else with a usage error naming the flag', () => {
    expect(() => parseListenAddress('localhost:http', '--admin')).toThrow(UsageError);
    expect(() => parseListenAddress('1.2.3.4:99999', '--admin')).toThrow(/--admin: "1.2.3.4:99999" is not a listen address/);
  });

  it('knows loopback and writes URLs', () => {
    expect([isLoopback('127.0.0.1'), isLoopback('127.1.2.3'), isLoopback('::1'), isLoopback('0.0.0.0'), isLoopback('10.0.0.1')]).toEqual([true, true, true, false, false]);
    expect(urlOf({ host: '::1', port: 80 })).toBe('http://[::1]:80');
  });
});
