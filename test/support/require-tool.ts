/**
 * Real-component tests need real programs (k6, prometheus, chromium, ...). When one is absent a test
 * skips with a loud reason — except under CI=true, where absence is a failure (CI provisions them).
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

/** Result of looking for a tool. */
export interface ToolLookup {
  /** Absolute path when found. */
  path?: string;
  /** Why it is unusable, when not found. */
  reason?: string;
}

/** Finds `name` as an absolute/relative path or on PATH. */
export function findTool(name: string): ToolLookup {
  if (name.includes('/')) {
    try {
      accessSync(name, constants.X_OK);
      return { path: name };
    } catch {
      return { reason: `${name} is not an executable file` };
    }
  }
  try {
    const path = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    return path ? { path } : { reason: `${name} not found on PATH` };
  } catch {
    return { reason: `${name} not found on PATH` };
  }
}

/**
 * Returns the tool's path, or undefined after printing a loud skip notice. Under CI=true a missing
 * tool throws, so the suite fails instead of passing with the real-component test skipped.
 */
export function requireTool(name: string, why: string): string | undefined {
  const found = findTool(name);
  if (found.path) return found.path;
  const msg = `${name} is required for ${why}: ${found.reason}`;
  if (process.env['CI'] === 'true') throw new Error(`${msg} (CI=true: .ci/run must provision it)`);
  process.stderr.write(`\n*** SKIPPING real-component test — ${msg} ***\n\n`);
  return undefined;
}

/**
 * Loads an npm package the test needs (e.g. playwright-core, a devDependency), or returns
 * undefined after a loud skip notice; under CI=true a missing package throws, like a missing tool.
 */
export async function requirePackage<T>(name: string, why: string): Promise<T | undefined> {
  try {
    return (await import(name)) as T;
  } catch (err) {
    const msg = `the npm package ${name} is required for ${why}: ${(err as Error).message.split('\n')[0]}`;
    if (process.env['CI'] === 'true') throw new Error(`${msg} (CI=true: run npm ci)`);
    process.stderr.write(`\n*** SKIPPING real-component test — ${msg} ***\n\n`);
    return undefined;
  }
}
