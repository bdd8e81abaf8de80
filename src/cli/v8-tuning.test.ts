import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tuneV8, V8_FLAGS } from './v8-tuning.js';

describe('V8 tuning of the mesh-exp process', () => {
  it('sets its flags without complaint, as often as it is called', () => {
    expect(V8_FLAGS).toEqual(['--no-allocation-site-pretenuring']);
    expect(() => {
      tuneV8();
      tuneV8();
    }).not.toThrow();
  });

  it('is applied by the launcher before the CLI is loaded, and by the load benchmark before the engines', () => {
    const launcher = readFileSync(new URL('../../bin/mesh-exp.js', import.meta.url), 'utf8');
    expect(launcher.indexOf('tuneV8()')).toBeGreaterThan(0);
    expect(launcher.indexOf('tuneV8()')).toBeLessThan(launcher.indexOf("import('../dist/cli/main.js')"));
    const bench = readFileSync(new URL('../../bench/load/engine-child.mjs', import.meta.url), 'utf8');
    expect(bench.indexOf('tuneV8()')).toBeGreaterThan(0);
    expect(bench.indexOf('tuneV8()')).toBeLessThan(bench.indexOf("import('../../dist/load/registry.js')"));
  });
});
