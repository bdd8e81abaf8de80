/**
 * "host:port" listen addresses, parsed without side effects so the experiment's schema
 * (`local.listen`, `local.admin`), the `mesh` command's flags and the mesh itself accept exactly
 * the same text: "127.0.0.1:15001", "[::1]:0", "localhost:8080", ":8080" and "8080" (loopback).
 */
import { isIP } from 'node:net';

/** A parsed address. */
export interface ListenAddress {
  /** Host or IP to bind. */
  host: string;
  /** Port, 0 to 65535; 0 picks a free one. */
  port: number;
}

/** The host used when only a port is given. */
export const DEFAULT_LISTEN_HOST = '127.0.0.1';

// A DNS name (RFC 1123 labels): what getaddrinfo can resolve to an address to bind.
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*$/;

/**
 * Parses a listen address. Returns the address, or the reason it is not one (a phrase for
 * "…: <reason>", e.g. `port 99999 is over 65535`).
 */
export function parseListenText(text: string): { address: ListenAddress } | { reason: string } {
  const t = text.trim();
  let host = DEFAULT_LISTEN_HOST;
  let portText = t;
  const bracket = /^\[([^\]]*)\]:(.*)$/.exec(t);
  if (bracket) {
    host = bracket[1]!;
    if (isIP(host) !== 6) return { reason: `"${host}" in brackets is not an IPv6 address` };
    portText = bracket[2]!;
  } else if (t.includes(':')) {
    const i = t.lastIndexOf(':');
    host = t.slice(0, i) || DEFAULT_LISTEN_HOST;
    portText = t.slice(i + 1);
    if (host.includes(':')) return { reason: 'an IPv6 address goes in brackets, e.g. "[::1]:8080"' };
    if (isIP(host) === 0 && (/^[\d.]+$/.test(host) || !HOSTNAME.test(host))) return { reason: `"${host}" is not an IP address or a host name` };
  }
  if (!/^\d+$/.test(portText)) return { reason: portText === '' ? 'the port is missing' : `the port "${portText}" is not a number` };
  const port = Number(portText);
  if (port > 65535) return { reason: `port ${port} is over 65535` };
  return { address: { host, port } };
}

/** True for 127.0.0.0/8, ::1 and "localhost". */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
