import { describe, expect, it } from 'vitest';
import { parseListenText } from './listen-address.js';

describe('parseListenText', () => {
  it('parses host:port forms, port 0 to 65535', () => {
    expect(parseListenText('127.0.0.1:15001')).toEqual({ address: { host: '127.0.0.1', port: 15001 } });
    expect(parseListenText('[::1]:0')).toEqual({ address: { host: '::1', port: 0 } });
    expect(parseListenText('localhost:65535')).toEqual({ address: { host: 'localhost', port: 65535 } });
    expect(parseListenText(':8080')).toEqual({ address: { host: '127.0.0.1', port: 8080 } });
    expect(parseListenText('8080')).toEqual({ address: { host: '127.0.0.1', port: 8080 } });
  });

  it('gives the reason anything else is not an address', () => {
    const reason = (t: string) => ('reason' in parseListenText(t) ? (parseListenText(t) as { reason: string }).reason : undefined);
    expect(reason('127.0.0.1:99999')).toBe('port 99999 is over 65535');
    expect(reason('127.0.0.1:123456')).toBe('port 123456 is over 65535');
    expect(reason('localhost:http')).toBe('the port "http" is not a number');
    expect(reason('127.0.0.1:')).toBe('the port is missing');
    expect(reason('300.1.1.1:80')).toBe('"300.1.1.1" is not an IP address or a host name');
    expect(reason('bad host:80')).toBe('"bad host" is not an IP address or a host name');
    expect(reason('::1:80')).toBe('an IPv6 address goes in brackets, e.g. "[::1]:8080"');
    expect(reason('[nope]:80')).toBe('"nope" in brackets is not an IPv6 address');
  });
});
