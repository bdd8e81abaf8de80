import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.js';
import { createDefaultLoadGeneratorRegistry, createLoadGeneratorRegistry } from './registry.js';
import type { LoadGenerator } from './types.js';

const fake = (name: string): LoadGenerator => ({
  name,
  run: async () => ({ scheduled: 0, completed: 0, failed: 0, dropped: 0, elapsedMs: 0 }),
});

describe('createLoadGeneratorRegistry', () => {
  it('returns the factory registered under a name and passes the options through', () => {
    const registry = createLoadGeneratorRegistry();
    const seen: unknown[] = [];
    registry.register('zeta', (options) => {
      seen.push(options);
      return fake('zeta');
    });
    registry.register('alpha', () => fake('alpha'));
    expect(registry.names()).toEqual(['zeta', 'alpha']);
    expect(registry.has('zeta')).toBe(true);
    expect(registry.has('k6')).toBe(false);
    const options = { cwd: '/tmp' };
    expect(registry.create('zeta', options).name).toBe('zeta');
    expect(seen).toEqual([options]);
    expect(registry.get('alpha')({}).name).toBe('alpha');
  });

  it('throws a UsageError listing the known names for an unknown one', () => {
    const registry = createLoadGeneratorRegistry();
    registry.register('builtin', () => fake('builtin'));
    registry.register('other', () => fake('other'));
    let err: unknown;
    try {
      registry.get('k6');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toContain('"k6"');
    expect((err as UsageError).hint).toBe('known generators: builtin, other');
    expect(() => createLoadGeneratorRegistry().get('x')).toThrow(UsageError);
  });

  it('refuses to register a name twice', () => {
    const registry = createLoadGeneratorRegistry();
    registry.register('a', () => fake('a'));
    expect(() => registry.register('a', () => fake('a'))).toThrow(/already registered/);
  });
});

describe('createDefaultLoadGeneratorRegistry', () => {
  it('holds the builtin, vegeta and k6 generators', () => {
    const registry = createDefaultLoadGeneratorRegistry();
    expect(registry.names()).toEqual(['builtin', 'vegeta', 'k6']);
    expect(registry.create('k6').name).toBe('k6');
    expect(registry.create('builtin').name).toBe('builtin');
    expect(registry.create('vegeta').name).toBe('vegeta');
    // A fresh registry each call: registering in one does not leak into the next.
    registry.register('extra', () => fake('extra'));
    expect(createDefaultLoadGeneratorRegistry().has('extra')).toBe(false);
  });
});
