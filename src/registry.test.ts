import { describe, expect, it } from 'vitest';
import { ExitCode, exitCodeOf, UsageError } from './errors.js';
import { createRegistry } from './registry.js';

/** The error `fn` throws (the test fails when it throws nothing). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('createRegistry', () => {
  it('returns what was registered, and lists names in registration order', () => {
    const registry = createRegistry<number>({ kind: 'widget' });
    registry.register('zeta', 1);
    registry.register('alpha', 2);
    registry.register('mid', 3);
    expect(registry.get('alpha')).toBe(2);
    expect(registry.find('zeta')).toBe(1);
    expect(registry.find('nope')).toBeUndefined();
    expect(registry.has('mid')).toBe(true);
    expect(registry.has('nope')).toBe(false);
    expect(registry.names()).toEqual(['zeta', 'alpha', 'mid']);
    expect(registry.values()).toEqual([1, 2, 3]);
    expect(registry.kind).toBe('widget');
  });

  it('throws on a name registered twice, and keeps the first value', () => {
    const registry = createRegistry<string>({ kind: 'widget' });
    registry.register('a', 'first');
    expect(() => registry.register('a', 'second')).toThrow('widget "a" is already registered');
    expect(registry.get('a')).toBe('first');
  });

  it('makes an unknown name a usage error (exit 2) with a "did you mean" hint', () => {
    const registry = createRegistry<string>({ kind: 'traffic provider' });
    for (const name of ['local', 'local-attach', 'istio', 'gateway-api']) registry.register(name, name);
    const err = thrown(() => registry.get('isito'));
    expect(err).toBeInstanceOf(UsageError);
    expect(exitCodeOf(err)).toBe(ExitCode.INVALID_INPUT);
    expect((err as UsageError).message).toBe('unknown traffic provider "isito"');
    expect((err as UsageError).hint).toBe('did you mean "istio"?');
  });

  it('lists the known names, in registration order, when no name is close', () => {
    const registry = createRegistry<string>({ kind: 'report format', plural: 'formats' });
    registry.register('json', 'j');
    registry.register('html', 'h');
    const err = thrown(() => registry.get('pdf')) as UsageError;
    expect(err.hint).toBe('known formats: json, html');
    const empty = thrown(() => createRegistry<string>({ kind: 'metric source' }).get('prometheus')) as UsageError;
    expect(empty).toBeInstanceOf(UsageError);
    expect(empty.hint).toBe('no metric source is registered');
  });
});
