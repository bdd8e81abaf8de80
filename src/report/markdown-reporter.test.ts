import { describe, expect, it } from 'vitest';
import { loadHostileRunResult, loadRunResult } from '../../test/unit/report/fixture.js';
import { renderMarkdownReport } from './markdown-reporter.js';

describe('renderMarkdownReport', () => {
  const result = loadRunResult();
  const text = renderMarkdownReport(result);

  it('starts with the verdict and the summary sentence', () => {
    const lines = text.split('\n');
    expect(lines[0]).toBe('## ❌ reviews-canary: rolled back');
    expect(lines[2]).toBe(result.summary.replace(/[\\`*_[\]~|#]/g, (c) => `\\${c}`));
  });

  it('has one table row per step and lists the failed check with its message', () => {
    expect(text).toContain('| 1 | canary 5% | 5% | 20s | 3 passed | continue |');
    expect(text).toContain('| 2 | canary 25% | 25% | 20s | 1 failed, 2 passed | **rollback** |');
    expect(text).toContain('- step 2, canary-latency-p99 (FAIL): canary p99 latency 412ms &gt; 250ms max (FAIL, 512 requests)');
    expect(text).toContain('exit code 1 · mesh restored');
  });

  it('stays short (for PR comments)', () => {
    expect(text.split('\n').length).toBeLessThan(30);
  });

  it('says loudly when the mesh was not restored', () => {
    expect(renderMarkdownReport({ ...result, restored: false })).toContain('**mesh NOT restored');
  });

  it('is green and has no failure list for a clean promotion', () => {
    const steps = result.steps.map((s) => ({ ...s, checks: s.checks.map((c) => ({ ...c, verdict: 'pass' as const })) }));
    const promoted = renderMarkdownReport({ ...result, outcome: 'promoted', steps });
    expect(promoted.split('\n')[0]).toBe('## ✅ reviews-canary: promoted');
    expect(promoted).not.toContain('did not pass');
  });

  it('escapes hostile strings (no raw HTML, no broken tables)', () => {
    const hostile = renderMarkdownReport(loadHostileRunResult());
    expect(hostile).not.toMatch(/<(img|script)/);
    expect(hostile).toContain('&lt;img src=x onerror=alert\\(1)&gt;'.replace('\\(', '('));
    for (const row of hostile.split('\n').filter((l) => l.startsWith('| '))) {
      expect(row.split(/(?<!\\)\|/).length).toBe(8);
    }
  });
});
