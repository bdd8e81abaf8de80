/**
 * Backends served by real processes: readiness, clear errors when a command fails to start or
 * never answers, and the process group killed on close.
 */
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../../../src/errors.js';
import { startCommandBackend } from '../../../src/mesh/backends/command-backend.js';
import { createLocalMesh } from '../../../src/mesh/local-mesh.js';
import { echoBackendPath, repoRoot } from '../../support/mesh.js';
import { pidAlive as alive, waitGone } from '../../support/processes.js';


describe('command backends', () => {
  it('start with PORT set, answer once ready, and die with their process group on close', async () => {
    const b = await startCommandBackend({ argv: [process.execPath, echoBackendPath, 'v9'], cwd: repoRoot, env: { READY_DELAY_MS: '300' }, readyPath: '/', label: 'echo-v9-0' });
    const r = await request(`http://127.0.0.1:${b.port}/hello`);
    expect(r.headers['x-version']).toBe('v9');
    await r.body.text();
    expect(await alive(b.pid!)).toBe(true);
    await b.close();
    expect(await waitGone(b.pid!)).toBe(true);
  });

  it('a command that exits before it is ready is a RuntimeError quoting its stderr', async () => {
    const err = await startCommandBackend({ argv: [process.execPath, echoBackendPath, 'v1'], cwd: repoRoot, env: { EXIT_AT_START: '1' }, readyPath: '/', label: 'reviews-v1-0' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    const msg = (err as RuntimeError).message;
    expect(msg).toMatch(/^backend reviews-v1-0: command ".*echo-backend.mjs v1" exited with code 3 before it was ready/);
    expect(msg).toMatch(/echo-backend v1: refusing to start/);
    expect((err as RuntimeError).hint).toMatch(/\$PORT/);
  });

  it('a command that never answers times out with a RuntimeError naming it', async () => {
    const err = await startCommandBackend({ argv: [process.execPath, echoBackendPath, 'v1'], cwd: repoRoot, env: { READY_DELAY_MS: '60000' }, readyPath: '/health', readyTimeoutMs: 400, label: 'slow-0' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as RuntimeError).message).toMatch(/^backend slow-0: command ".*" did not answer GET http:\/\/127\.0\.0\.1:\d+\/health within 400 ms \(no stderr output\)/);
  });

  it('a program that does not exist is a RuntimeError', async () => {
    const err = await startCommandBackend({ argv: ['/nonexistent/mesh-exp-backend'], cwd: repoRoot, env: {}, readyPath: '/', label: 'x-0' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as RuntimeError).message).toMatch(/^backend x-0: command "\/nonexistent\/mesh-exp-backend" could not be started/);
  });

  it('createLocalMesh fails with the backend error (and starts nothing else) when a command fails', async () => {
    const err = await createLocalMesh({
      virtualServices: [],
      destinationRules: [{ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'r' }, spec: { host: 'reviews', subsets: [{ name: 'v1' }, { name: 'v2' }] } }],
      backends: [{ host: 'reviews', subset: 'v2', replicas: 1, readyPath: '/', command: [process.execPath, echoBackendPath] }],
      env: { EXIT_AT_START: '1' },
      listen: '127.0.0.1:0',
      admin: '127.0.0.1:0',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as RuntimeError).message).toMatch(/backend reviews-v2-0/);
  });
});
