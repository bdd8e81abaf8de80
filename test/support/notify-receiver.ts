/**
 * A real webhook receiver for the notification tests: a node:http server on loopback that records
 * every request (time, headers, JSON body) and answers each with the next scripted reply: a status
 * (with headers, e.g. Retry-After), or "hang" (read the request, never answer). Its URL carries a
 * random secret in the path, as a Slack webhook does, so tests can look for it where it must not be.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/** How the receiver answers one request. */
export type ReceiverReply = { status: number; headers?: Record<string, string> } | 'hang';

/** One request as received. */
export interface ReceivedRequest {
  /** performance.now() when its body was complete. */
  at: number;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: unknown;
}

/** A running receiver. */
export interface NotifyReceiver {
  /** The URL to notify (the secret included). */
  url: string;
  /** The secret part of the URL (its path token). */
  secret: string;
  /** Every request so far, in arrival order. */
  requests: ReceivedRequest[];
  /** Replies used before `fallback`, one per request, in order. */
  replies: ReceiverReply[];
  /** The reply once `replies` is used up. */
  fallback: ReceiverReply;
  /** Resolves once `n` requests have arrived (or rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<void>;
  /** Stops the server, dropping hanging requests. */
  close(): Promise<void>;
}

/** Starts a receiver; `fallback` answers every request after the scripted `replies`. @default 200 */
export async function startNotifyReceiver(replies: ReceiverReply[] = [], fallback: ReceiverReply = { status: 200 }): Promise<NotifyReceiver> {
  const secret = `s3cr3t-${randomBytes(12).toString('hex')}`;
  const hanging = new Set<ServerResponse>();
  const requests: ReceivedRequest[] = [];
  const waiters: Array<() => void> = [];
  const receiver = { secret, requests, replies: [...replies], fallback } as NotifyReceiver;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      requests.push({ at: performance.now(), method: req.method ?? '', path: req.url ?? '', headers: req.headers, json });
      for (const w of waiters.splice(0)) w();
      const reply = receiver.replies.shift() ?? receiver.fallback;
      if (reply === 'hang') {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      res.end(reply.status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  receiver.url = `http://127.0.0.1:${port}/services/T000/B000/${secret}`;
  receiver.waitFor = (n, ms = 10_000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`receiver: ${requests.length} of ${n} requests after ${ms} ms`)), ms);
      const check = () => {
        if (requests.length >= n) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(check);
      };
      check();
    });
  receiver.close = async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return receiver;
}

/** A starter of receivers for one test file: each is closed after the test that started it. */
export function useNotifyReceivers(): typeof startNotifyReceiver {
  const open: NotifyReceiver[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.close()));
  });
  return async (...args) => {
    const r = await startNotifyReceiver(...args);
    open.push(r);
    return r;
  };
}
