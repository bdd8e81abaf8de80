/**
 * `mesh-exp mesh` run in-process through runCli: the ready line, real traffic, a clean stop on the
 * context's abort signal with the signal's exit code, and exit 2 for bad input.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { createCaptureStream, createContext } from '../../../src/context.js';
import { SignalError } from '../../../src/errors.js';
import { freePort } from '../../../src/mesh/backends/command-backend.js';
import { bookinfo, fixture, repoRoot, waitFor } from '../../support/mesh.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'mesh-cmd-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function setup() {
  const stdout = createCaptureStream();
  const stderr = createCaptureStream();
  const controller = new AbortController();
  const ctx = createContext({ stdout, stderr, signal: controller.signal, cwd: repoRoot, env: {} });
  return { stdout, stderr, controller, ctx };
}

describe('mesh-exp mesh', () => {
  it('prints one ready line, serves the manifests, and stops on SIGTERM with exit 143', async () => {
    const { stdout, stderr, controller, ctx } = setup();
    const [dr, vs] = bookinfo('destination-rule-all.yaml', 'virtual-service-reviews-test-v2.yaml');
    const running = runCli(['mesh', '--manifest', dr!, '-m', vs!, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0'], ctx);
    const url = await waitFor(() => /^mesh-exp mesh listening on (http:\/\/127\.0\.0\.1:\d+)\n$/.exec(stdout.text())?.[1]);
    const jason = await request(url, { headers: { host: 'reviews', 'end-user': 'jason' } });
    expect(jason.headers['x-version']).toBe('v2');
    await jason.body.text();
    const other = await request(url, { headers: { host: 'reviews' } });
    expect(other.headers['x-version']).toBe('v1');
    await other.body.text();
    expect(stderr.text()).toMatch(/admin on http:\/\/127\.0\.0\.1:\d+ /);
    controller.abort(new SignalError('SIGTERM'));
    expect(await running).toBe(143);
    expect(stdout.text().split('\n').filter(Boolean)).toHaveLength(1);
    await expect(request(url, { headers: { host: 'reviews' } })).rejects.toThrow();
  });

  it('serves Gateways on offset ports and prints the mapping to stderr', async () => {
    const { stdout, stderr, controller, ctx } = setup();
    // An offset that maps gateway port 80 to a port known to be free a moment ago.
    const port = await freePort();
    const running = runCli(['mesh', '-m', ...fixture('gateways/httpbin-gateway.yaml'), '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0', '--port-offset', String(port - 80)], ctx);
    await waitFor(() => stdout.text().includes('listening on'));
    expect(stderr.text()).toContain(`gateway HTTP :80 (default/httpbin-gateway) on http://127.0.0.1:${port}\n`);
    expect(stderr.text()).toMatch(/1 Gateway\(s\)/);
    const r = await request(`http://127.0.0.1:${port}/status/200`, { headers: { host: 'httpbin.example.com' } });
    expect(r.statusCode).toBe(200);
    await r.body.text();
    controller.abort(new SignalError('SIGTERM'));
    expect(await running).toBe(143);
  });

  it('a bad --port-offset is a usage error (exit 2)', async () => {
    const { stderr, ctx } = setup();
    expect(await runCli(['mesh', '-m', ...fixture('gateways/httpbin-gateway.yaml'), '--port-offset', '-5'], ctx)).toBe(2);
    expect(stderr.text()).toMatch(/--port-offset: "-5" is neither a number 0–65535 nor "free"/);
  });

  it('exits 130 on SIGINT', async () => {
    const { stdout, controller, ctx } = setup();
    const running = runCli(['mesh', '-m', ...bookinfo('destination-rule-reviews.yaml'), '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0'], ctx);
    await waitFor(() => stdout.text().includes('listening on'));
    controller.abort(new SignalError('SIGINT'));
    expect(await running).toBe(130);
  });

  it('invalid manifests exit 2 with located problems and nothing started', async () => {
    const bad = path.join(tmp, 'bad.yaml');
    writeFileSync(bad, ['apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata:', '  name: reviews', 'spec:', '  hosts: [reviews]', '  http:', '  - route:', '    - destination:', '        host: reviews', '        subset: v9', ''].join('\n'));
    const { stdout, stderr, ctx } = setup();
    const code = await runCli(['mesh', '-m', ...bookinfo('destination-rule-reviews.yaml'), '-m', bad, '--listen', '127.0.0.1:0', '--admin', '127.0.0.1:0'], ctx);
    expect(code).toBe(2);
    // Located: the file as given and the line the object starts on, then the field path.
    expect(stderr.text()).toContain(`${bad}:1 spec.http[0].route[0].destination: VirtualService default/reviews: host reviews.default.svc.cluster.local has no subset "v9"`);
    expect(stdout.text()).toBe('');
  });

  it('a bad --listen is a usage error (exit 2)', async () => {
    const { stderr, ctx } = setup();
    const code = await runCli(['mesh', '-m', ...bookinfo('destination-rule-reviews.yaml'), '--listen', 'here'], ctx);
    expect(code).toBe(2);
    expect(stderr.text()).toMatch(/--listen: "here" is not a listen address/);
  });

  it('--help shows examples', async () => {
    const { stdout, ctx } = setup();
    expect(await runCli(['mesh', '--help'], ctx)).toBe(0);
    expect(stdout.text()).toMatch(/Examples:\n {2}\$ mesh-exp mesh --manifest istio\//);
    expect(stdout.text()).toMatch(/--port-offset <n\|free>/);
    expect(stdout.text()).toMatch(/80 → 10080 by default/);
  });
});
