import { describe, expect, it } from 'vitest';
import { createContext } from './context.js';
import { UsageError } from './errors.js';
import { createFailpoint, parseFailpoints, type FailpointName } from './failpoints.js';

function armed(spec: string | undefined) {
  const killed: string[] = [];
  const lines: string[] = [];
  const fp = createFailpoint({ spec, kill: (name) => void killed.push(name), write: (l) => void lines.push(l) });
  return { fp, killed, lines };
}

describe('failpoints', () => {
  it('parses name[:n][=action] lists', () => {
    expect(parseFailpoints('before-apply:2, mid-restore=sleep(150),after-end=kill')).toEqual([
      { name: 'before-apply', hit: 2, action: { kind: 'kill' } },
      { name: 'mid-restore', hit: 1, action: { kind: 'sleep', ms: 150 } },
      { name: 'after-end', hit: 1, action: { kind: 'kill' } },
    ]);
  });

  it('rejects unknown names and bad syntax with a usage error listing the names', () => {
    expect(() => parseFailpoints('before-aply')).toThrow(UsageError);
    expect(() => parseFailpoints('before-aply')).toThrow('no failpoint named "before-aply"');
    expect(() => parseFailpoints('after-end:0')).toThrow('hits count from 1');
    const err = (() => {
      try {
        return parseFailpoints('after-end=explode');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).hint).toContain('names: after-read, after-snapshot, before-claim');
  });

  it('kills at the n-th hit of the named point only, saying so first', async () => {
    const { fp, killed, lines } = armed('after-verify:2');
    await fp('after-verify');
    await fp('before-apply');
    expect(killed).toEqual([]);
    await fp('after-verify');
    expect(killed).toEqual(['after-verify']);
    expect(lines).toEqual(['failpoint after-verify:2: SIGKILL']);
    await fp('after-verify');
    expect(killed).toHaveLength(1);
  });

  it('sleeps, then goes on', async () => {
    const { fp, killed } = armed('mid-restore=sleep(60)');
    const t0 = performance.now();
    await fp('mid-restore');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
    expect(killed).toEqual([]);
  });

  it('is a no-op when unset, and a malformed spec throws at the first point reached', async () => {
    const { fp, killed } = armed(undefined);
    for (const name of ['after-snapshot', 'before-end'] as FailpointName[]) await fp(name);
    expect(killed).toEqual([]);
    await expect(armed('nope').fp('after-snapshot')).rejects.toThrow(UsageError);
  });

  it('reads MESH_EXP_FAILPOINT from the context env; in-process the kill throws instead', async () => {
    const ctx = createContext({ env: { MESH_EXP_FAILPOINT: 'after-claim' } });
    await ctx.failpoint('after-snapshot');
    await expect(ctx.failpoint('after-claim')).rejects.toThrow('failpoint after-claim reached (in-process: thrown instead of SIGKILL)');
  });
});
