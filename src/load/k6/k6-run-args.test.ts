import { describe, expect, it } from 'vitest';
import { testLoadPlan } from '../../../test/support/load-test-server.js';
import { k6RunArgs } from './k6-generator.js';

/** The `-e` variables of the arguments, as an object. */
function envOf(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  args.forEach((a, i) => {
    if (a === '-e') {
      const [k, ...v] = args[i + 1]!.split('=');
      out[k!] = v.join('=');
    }
  });
  return out;
}

describe('k6RunArgs', () => {
  it('gives the step as -e variables: a constant rate as is, the iterations of earlier steps as the offset', () => {
    const args = k6RunArgs(testLoadPlan('http://127.0.0.1:9/r', { rate: 40, durationMs: 2000.4, hostHeader: 'reviews' }), '/run/k6-script.js', 321);
    expect(envOf(args)).toEqual({
      MESH_EXP_TARGET: 'http://127.0.0.1:9/r',
      MESH_EXP_RATE: '40',
      MESH_EXP_DURATION: '2000ms',
      MESH_EXP_ITERATION_OFFSET: '321',
      MESH_EXP_VERSION_HEADER: 'x-version',
      MESH_EXP_HOST: 'reviews',
    });
    expect(args.at(-1)).toBe('/run/k6-script.js');
  });

  it('with stages, MESH_EXP_RATE is the profile\'s peak (what the generated script scales its stages by), not its start rate', () => {
    const plan = testLoadPlan('http://127.0.0.1:9/', { rate: 0, profile: { startRate: 0, stages: [{ rate: 120, durationMs: 1000 }, { rate: 30, durationMs: 1000 }] } });
    expect(envOf(k6RunArgs(plan, 's.js'))).toMatchObject({ MESH_EXP_RATE: '120', MESH_EXP_ITERATION_OFFSET: '0' });
  });
});
