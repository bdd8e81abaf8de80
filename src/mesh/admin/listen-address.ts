/**
 * "host:port" listen addresses: "127.0.0.1:15001", "[::1]:0", ":8080" and "8080" (loopback).
 * Also starts a server on one with a clear error when the address is taken.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RuntimeError, UsageError } from '../../errors.js';

/** A parsed address. */
export interface ListenAddress {
  /** Host or IP to bind. */
  host: string;
  /** Port; 0 picks a free one. */
  port: number;
}

/** Parses `text`; throws UsageError naming `what` (e.g. "--listen") when it is not an address. */
export function parseListenAddress(text: string, what: string): ListenAddress {
  const t = text.trim();
  let host = '127.0.0.1';
  let portText = t;
  const bracket = /^\[([^\]]+)\]:(\d+)$/.exec(t);
  if (bracket) {
    host = bracket[1]!;
    portText = bracket[2]!;
  } else if (t.includes(':')) {
    const i = t.lastIndexOf(':');
    host = t.slice(0, i) || '127.0.0.1';
    portText = t.slice(i + 1);
  }
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535 || !host) {
    throw new UsageError(`${what}: "${text}" is not a listen address`, { hint: 'write host:port, e.g. 127.0.0.1:15001 (port 0 picks a free port)' });
  }
  return { host, port };
}

/** True for 127.0.0.0/8, ::1 and "localhost". */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Listens on `addr`; returns the bound address. */
export async function listenOn(server: Server, addr: ListenAddress, what: string): Promise<ListenAddress> {
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(new RuntimeError(`${what}: cannot listen on ${addr.host}:${addr.port}: ${err.code === 'EADDRINUSE' ? 'address already in use' : err.message}`, {
        hint: 'choose another address, e.g. 127.0.0.1:0 for a free port',
        cause: err,
      }));
    };
    server.once('error', onError);
    server.listen(addr.port, addr.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const a = server.address() as AddressInfo;
  return { host: addr.host, port: a.port };
}

/** "http://host:port" (IPv6 in brackets). */
export function urlOf(addr: ListenAddress): string {
  return `http://${addr.host.includes(':') ? `[${addr.host}]` : addr.host}:${addr.port}`;
}
