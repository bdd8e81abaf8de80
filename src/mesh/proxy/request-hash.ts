/**
 * A request's hash under consistent hashing, as Envoy's route `hash_policy` computes it: XXH64 of
 * the header value, of the cookie value, of the query parameter value, or of the client's IP.
 * Without the key the request has no hash (the balancer then uses a random one) — except a cookie
 * policy with a `ttl`, where Envoy generates the cookie: its value is the hex XXH64 of the
 * connection's remote and local addresses, the request hashes on that value, and the response
 * carries `Set-Cookie: name="value"; Max-Age=ttl; Path=path; HttpOnly`.
 */
import type { ProxyRequest } from './proxy-io.js';
import type { HashKey } from '../endpoints/consistent-hash.js';
import { hex64, xxHash64 } from '../endpoints/xxhash64.js';

/** The hash and, when Envoy would generate the cookie, the Set-Cookie value for the response. */
export interface RequestHash {
  /** Undefined when the request lacks the key. */
  hash: bigint | undefined;
  /** Set-Cookie header value to add to the response. */
  setCookie?: string;
}

/** Computes the hash of one request (`query` is the raw query string without "?"). */
export function requestHash(key: HashKey, req: ProxyRequest, query: string): RequestHash {
  switch (key.kind) {
    case 'header': {
      const v = req.headers[key.name];
      if (v === undefined) return { hash: undefined };
      // Several values of one header: Envoy hashes them sorted and joined.
      return { hash: xxHash64(Array.isArray(v) ? [...v].sort().join('') : v) };
    }
    case 'query': {
      if (!query) return { hash: undefined };
      const v = new URLSearchParams(query).get(key.name);
      return { hash: v === null ? undefined : xxHash64(v) };
    }
    case 'sourceIp': {
      const ip = req.socket.remoteAddress;
      return { hash: ip ? xxHash64(ip) : undefined };
    }
    case 'cookie': {
      const v = cookieValue(req.headers.cookie, key.name);
      if (v !== undefined) return { hash: xxHash64(v) };
      if (key.ttlSeconds === undefined) return { hash: undefined };
      const s = req.socket;
      const value = hex64(xxHash64(`${s.remoteAddress}:${s.remotePort}${s.localAddress}:${s.localPort}`));
      let cookie = `${key.name}="${value}"`;
      if (key.ttlSeconds > 0) cookie += `; Max-Age=${key.ttlSeconds}`;
      if (key.path) cookie += `; Path=${key.path}`;
      return { hash: xxHash64(value), setCookie: `${cookie}; HttpOnly` };
    }
  }
}

/** The value of cookie `name` in a Cookie header (quotes removed), if present. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const v = part.slice(eq + 1).trim();
    return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
  }
  return undefined;
}
