import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { createBuiltinGenerator } from '../../../src/load/builtin/builtin-generator.js';

// The server runs in its own process (its own core), so the test measures the generator.
const SERVER = `
const http = require('node:http');
let n = 0;
const s = http.createServer((req, res) => { res.setHeader('x-version', (n++ & 1) ? 'v2' : 'v1'); res.end('ok'); });
s.keepAliveTimeout = 60000;
s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));
`;

let child: ChildProcess | undefined;

afterEach(async () => {
  if (child !== undefined && child.exitCode === null) {
    child.kill();
    await once(child, 'exit');
  }
  child = undefined;
});

describe('builtin generator at 2000 req/s', () => {
  // How fast it can go is a benchmark's question (bench/); this checks that at a high rate nothing
  // is lost or double-counted: every scheduled request ends as exactly one sample or one drop.
  it('accounts for every scheduled request against a fast local server', async () => {
    child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'], env: {} });
    const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
    const port = Number(chunk.toString().trim());
    let samples = 0;
    const versions = new Map<string, number>();
    const summary = await createBuiltinGenerator().run(
      {
        url: `http://127.0.0.1:${port}/`,
        method: 'GET',
        headers: {},
        rate: 2000,
        durationMs: 2000,
        timeoutMs: 5000,
        maxInFlight: 1000,
        versionHeader: 'x-version',
      },
      (sample) => {
        samples++;
        if (sample.version) versions.set(sample.version, (versions.get(sample.version) ?? 0) + 1);
      },
      new AbortController().signal,
    );
    expect(summary.scheduled).toBe(4000);
    expect(samples).toBe(4000);
    expect(summary.completed + summary.failed + summary.dropped + (summary.aborted ?? 0)).toBe(4000);
    // The server alternates versions per response; every completed response carried one.
    expect((versions.get('v1') ?? 0) + (versions.get('v2') ?? 0)).toBe(summary.completed);
    expect(summary.completed).toBeGreaterThan(0);
  });
});
