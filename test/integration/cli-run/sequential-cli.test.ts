/**
 * analysis.mode through the CLI in-process: validate accepts the shipped sequential example and
 * refuses its fields in mode fixed, located, with hints; plan says how each step is judged.
 */
import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../support/cli.js';

describe('analysis.mode in validate and plan', () => {
  it('validate accepts experiments/sequential-canary.yaml', async () => {
    const { code, stdout, stderr } = await runCliInProcess(['validate', 'experiments/sequential-canary.yaml']);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('OK experiments/sequential-canary.yaml');
  });

  it('validate refuses promoteEarly and nonInferiority with mode fixed, at file:line, with a hint (exit 2)', async () => {
    const { code, stdout, stderr } = await runCliInProcess(['validate', 'test/fixtures/sequential/promote-early-fixed.yaml']);
    expect(code).toBe(2);
    // validate lists the problems on stdout (its report), not as an error.
    const out = stdout + stderr;
    expect(out).toContain(
      'test/fixtures/sequential/promote-early-fixed.yaml:20:5 spec.analysis.promoteEarly: only with mode sequential: a fixed analysis judges each step once at its end, so nothing can end it early\n    hint: set "mode: sequential" in spec.analysis, or remove it',
    );
    expect(out).toContain('promote-early-fixed.yaml:21:5 spec.analysis.nonInferiority: only with mode sequential');
    expect(out).not.toMatch(/\n\s+at /);
  });

  it('plan says the mode: the SLOs tested every second and their α, or fixed', async () => {
    const seq = await runCliInProcess(['plan', 'experiments/sequential-canary.yaml']);
    expect(seq.code, seq.stderr).toBe(0);
    expect(seq.stdout).toContain(
      '\nAnalysis: sequential: canary-vs-stable-error-rate (α 1%), canary-vs-stable-latency (α 1%), canary-latency-p99 (α 1%) tested every second; a certain regression stops the step and rolls back\n',
    );
    const fixed = await runCliInProcess(['plan', 'experiments/canary.yaml', '--output', 'json']);
    expect(JSON.parse(fixed.stdout).analysis).toBe('fixed (each SLO judged once over each step)');
  });
});
