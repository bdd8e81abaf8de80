/**
 * Test support (not a test): runs a generated k6 script's init code and its iterations in plain
 * Node, with small stand-ins for the `k6/http`, `k6/metrics`, `k6/execution` and `k6/data` modules that record what the
 * script asks of them. No k6 binary is involved: this checks the JavaScript we write, not k6.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const PACKAGE = JSON.stringify({ name: 'k6', type: 'module', exports: { './http': './http.js', './metrics': './metrics.js', './execution': './execution.js', './data': './data.js' } });

const HTTP_STUB = `
export default {
  request(method, url, body, params) {
    globalThis.__calls.push({ method, url, body, params });
    return globalThis.__response;
  },
};
`;

const METRICS_STUB = `
const metric = (type) => class {
  constructor(name, isTime) { this.name = name; globalThis.__metrics.push({ type, name, isTime: isTime === true }); }
  add(value, tags) { globalThis.__adds.push({ name: this.name, value, tags }); }
};
export const Trend = metric('trend');
export const Counter = metric('counter');
export const Rate = metric('rate');
`;

// As k6 numbers an arrival-rate scenario's iterations: 0, 1, 2, ... across all VUs.
const EXECUTION_STUB = `
export default { scenario: { get iterationInTest() { return globalThis.__iteration; } } };
`;

// k6 calls the function once and shares the array between VUs; one runtime here: just call it.
const DATA_STUB = `
export class SharedArray {
  constructor(name, make) { globalThis.__sharedArrays.push(name); return make(); }
}
`;

const RUNNER = `
const [scriptPath, input] = process.argv.slice(2);
const { env, response, iterations } = JSON.parse(input);
Object.assign(globalThis, { __ENV: env, __response: response, __calls: [], __metrics: [], __adds: [], __iteration: 0, __sharedArrays: [] });
const out = { error: null };
try {
  const mod = await import(scriptPath);
  out.options = mod.options;
  if (response) for (; globalThis.__iteration < iterations; globalThis.__iteration++) mod.default();
} catch (err) {
  out.error = String(err && err.message);
}
Object.assign(out, { calls: globalThis.__calls, metrics: globalThis.__metrics, adds: globalThis.__adds, sharedArrays: globalThis.__sharedArrays });
process.stdout.write(JSON.stringify(out));
`;

/** A response as the stub `http.request` returns it. */
export interface StubResponse {
  status: number;
  headers: Record<string, string>;
  error_code?: number;
  timings: { blocked: number; connecting: number; tls_handshaking: number; duration: number };
}

/** What the script did: its exported options, requests made, metrics declared and values added. */
export interface ScriptRun {
  error: string | null;
  options?: { scenarios: Record<string, Record<string, unknown>>; thresholds: Record<string, string[]> } & Record<string, unknown>;
  calls: { method: string; url: string; body: string | null; params: { headers: Record<string, string>; tags: Record<string, string>; timeout: string } }[];
  metrics: { type: string; name: string; isTime: boolean }[];
  adds: { name: string; value: number | boolean; tags: Record<string, string> }[];
  /** Names of the SharedArrays the script made. */
  sharedArrays: string[];
}

function run(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [file, ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** A temp dir holding the stub modules; `close()` removes it. */
export async function createScriptHarness() {
  const dir = await mkdtemp(path.join(tmpdir(), 'mesh-exp-k6-'));
  const pkg = path.join(dir, 'node_modules', 'k6');
  await mkdir(pkg, { recursive: true });
  await Promise.all([
    writeFile(path.join(pkg, 'package.json'), PACKAGE),
    writeFile(path.join(pkg, 'http.js'), HTTP_STUB),
    writeFile(path.join(pkg, 'metrics.js'), METRICS_STUB),
    writeFile(path.join(pkg, 'execution.js'), EXECUTION_STUB),
    writeFile(path.join(pkg, 'data.js'), DATA_STUB),
    writeFile(path.join(dir, 'runner.mjs'), RUNNER),
  ]);
  let n = 0;
  return {
    /** `node --check` of the script as an ES module: exit code and stderr. */
    async check(script: string) {
      const file = path.join(dir, `check-${n++}.mjs`);
      await writeFile(file, script);
      return run('--check', [file]);
    },
    /** Imports the script with `__ENV = env`, then runs `iterations` iterations (0, 1, ...) when `response` is given. */
    async run(script: string, env: Record<string, string> = {}, response?: StubResponse, iterations = 1): Promise<ScriptRun> {
      const file = path.join(dir, `script-${n++}.mjs`);
      await writeFile(file, script);
      const res = await run(path.join(dir, 'runner.mjs'), [file, JSON.stringify({ env, response, iterations })]);
      if (res.code !== 0) throw new Error(`runner failed (${res.code}): ${res.stderr}`);
      return JSON.parse(res.stdout) as ScriptRun;
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}
