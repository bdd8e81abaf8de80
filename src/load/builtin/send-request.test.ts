import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectionPool, type ConnectionPool } from './connection-pool.js';
import { sendRequest, type RequestOutcome } from './send-request.js';

// Answers as the mesh and its backends do: Envoy's fault abort (no version header, its body),
// another local answer, and a backend that names its version.
const ANSWERS: Record<string, { status: number; body: string; version?: string }> = {
  '/fault': { status: 503, body: 'fault filter abort' },
  '/teapot-fault': { status: 418, body: 'fault filter abort' },
  '/no-upstream': { status: 503, body: 'no healthy upstream' },
  '/backend-error': { status: 500, body: 'fault filter abort', version: 'v2' },
  '/ok': { status: 200, body: 'fault filter abort' },
};

let server: Server;
let pool: ConnectionPool;

beforeAll(async () => {
  server = createServer((req, res) => {
    const a = ANSWERS[req.url ?? '']!;
    res.writeHead(a.status, { 'content-type': 'text/plain', ...(a.version ? { 'x-version': a.version } : {}) });
    res.end(a.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  pool = createConnectionPool({ origin: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`), connectTimeoutMs: 2000, maxConnections: 4 });
});

afterAll(async () => {
  await pool.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const send = (path: string) =>
  new Promise<RequestOutcome>((resolve) => {
    sendRequest({ dispatcher: pool, request: { path, method: 'GET' }, timeoutMs: 2000, versionHeader: 'x-version', onEnd: resolve });
  });

describe('sendRequest and the mesh\'s own answers', () => {
  it('marks an error answered with Envoy\'s "fault filter abort" and no version header as a fault abort', async () => {
    expect(await send('/fault')).toEqual({ status: 503, meshReply: 'fault-abort' });
    expect(await send('/teapot-fault')).toEqual({ status: 418, meshReply: 'fault-abort' });
  });

  it('leaves other answers without a version unmarked, and never marks a version\'s own answer', async () => {
    expect(await send('/no-upstream')).toEqual({ status: 503 });
    expect(await send('/backend-error')).toEqual({ status: 500, version: 'v2' });
    expect(await send('/ok')).toEqual({ status: 200 });
  });
});
