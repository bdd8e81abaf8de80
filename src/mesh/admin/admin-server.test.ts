import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createAdminServer } from './admin-server.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

async function start(ready: { value: boolean }) {
  const server = createAdminServer({ ready: () => ready.value, metricsText: () => 'm_total{a="b"} 1\n', configDump: () => ({ generation: 3 }) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  close = () => new Promise((r) => server.close(() => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('admin server', () => {
  it('/ready is 503 until ready, then 200 "ready"', async () => {
    const ready = { value: false };
    const url = await start(ready);
    const before = await request(`${url}/ready`);
    expect(before.statusCode).toBe(503);
    await before.body.text();
    ready.value = true;
    const after = await request(`${url}/ready`);
    expect([after.statusCode, await after.body.text()]).toEqual([200, 'ready\n']);
  });

  it('serves metrics, the config dump and 404 for the rest', async () => {
    const url = await start({ value: true });
    const m = await request(`${url}/stats/prometheus`);
    expect(m.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await m.body.text()).toBe('m_total{a="b"} 1\n');
    const c = await request(`${url}/config_dump`);
    expect(await c.body.json()).toEqual({ generation: 3 });
    const n = await request(`${url}/nope`);
    expect(n.statusCode).toBe(404);
    await n.body.text();
  });
});
