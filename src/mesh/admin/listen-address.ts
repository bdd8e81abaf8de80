/**
 * Listen addresses for the mesh's servers: parsing is in src/input/listen-address.ts (the
 * experiment's schema checks `local.listen` with it too); here, flags' errors and starting a
 * server on an address with a clear error when the address is taken.
 */
import type { Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { RuntimeError, UsageError } from '../../errors.js';
import { parseListenText, type ListenAddress } from '../../input/listen-address.js';

// Re-exported: the mesh's callers (local-mesh, the mesh command) know these names from here.
export { isLoopback, type ListenAddress } from '../../input/listen-address.js';

/** Parses `text`; throws UsageError naming `what` (e.g. "--listen") when it is not an address. */
export function parseListenAddress(text: string, what: string): ListenAddress {
  const parsed = parseListenText(text);
  if ('address' in parsed) return parsed.address;
  throw new UsageError(`${what}: "${text}" is not a listen address: ${parsed.reason}`, { hint: 'write host:port, e.g. 127.0.0.1:15001 (port 0 picks a free port)' });
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
