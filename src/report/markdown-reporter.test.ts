import { describe, expect, it } from 'vitest';
import { loadHostileRunResult, loadRunResult, loadSequentialRunResult } from '../../test/unit/report/fixture.js';
import { renderMarkdownReport } from './markdown-reporter.js';

describe('renderMarkdownReport', () => {
  const result = loadRunResult();
  const text = renderMarkdownReport(result);

  it('starts with the verdict and the summary sentence', () => {
    const lines = text.split('\n');
    expect(lines[0]).toBe('## ❌ reviews-canary: rolled back');
    expect(lines[2]).toBe(result.summary.replace(/[\\`*_[\]~|#]/g, (c) => `\\${c}`));
  });

  it('has one table row per step and a row per check that did not pass, with value, threshold, samples and why', () => {
    expect(text).toContain('| 1 | canary 5% | 5% | 20s | 3 passed | continue |');
    expect(text).toContain('| 2 | canary 25% | 25% | 20s | 1 failed, 2 passed | **rollback** |');
    expect(text).toContain('| 2 | canary-latency-p99 | 412ms | ≤ 250ms | 512 | — | **FAIL** | canary p99 latency 412ms &gt; 250ms max (FAIL, 512 requests) |');
    expect(text).toContain('exit code 1 · mesh restored');
  });

  it('shows a check\'s confidence interval', () => {
    const r = loadRunResult();
    r.steps[1]!.checks.find((c) => c.verdict === 'fail')!.interval = { low: 301.5, high: 520, confidence: 0.98 };
    expect(renderMarkdownReport(r)).toContain('| 512 | \\[302ms, 520ms\\] at 98% | **FAIL** |');
  });

  it('with a previous run, puts its figures beside this run\'s, the worse changes in bold', () => {
    const previous = loadRunResult();
    previous.steps[1]!.checks.find((c) => c.verdict === 'fail')!.value = 300;
    previous.steps[1]!.stats.find((s) => s.version === 'v3')!.latency.p99 = 290;
    const cmp = renderMarkdownReport(result, { previous });
    expect(cmp).toContain('**Compared with the previous run** (reviews-canary, 2025-05-14 09:30:00 UTC, rolled back)');
    expect(cmp).toContain('| 2 | canary-latency-p99 | 300ms → 412ms (**+112ms**) | FAIL → FAIL |');
    expect(cmp).toContain('| 2 | v3 | 44.1ms → 44.1ms (±0) | 290ms → 412ms (**+122ms**) | 0.59% → 0.59% (±0) |');
    expect(text).not.toContain('Compared with');
  });

  it('explains the requests no subset answered: the mesh\'s fault aborts apart from unknown ones', () => {
    const r = loadRunResult();
    const v = r.steps[0]!.stats.find((s) => s.version !== 'all')!;
    r.steps[0]!.stats.splice(-1, 0, { ...v, version: 'mesh:fault-abort', count: 57, errors: 57, errorRate: 1 }, { ...v, version: 'unknown', count: 2, errors: 2, errorRate: 1 });
    const lines = renderMarkdownReport(r).split('\n');
    expect(lines).toContain('**Requests no subset answered**');
    expect(lines.find((l) => l.startsWith('| 1 | answered by the mesh (fault abort) | 57 | 100.00% |'))).toMatch(/the fault injection aborted them before any backend \|$/);
    expect(lines.find((l) => l.startsWith('| 1 | unknown | 2 | 100.00% |'))).toContain('no version header came back');
    for (const step of r.steps) step.stats = step.stats.filter((s) => s.version === 'all' || !['mesh:fault-abort', 'unknown'].includes(s.version));
    expect(renderMarkdownReport(r)).not.toContain('no subset answered');
  });

  it('gives the mirrored traffic its own figures, measured by the mesh, only when a step mirrored', () => {
    const r = loadRunResult();
    r.steps[0]!.mirrored = { version: 'v3', measuredBy: 'mesh', count: 498, errors: 0, errorRate: 0, latency: { p50: 5.1, p95: 19.7, p99: 24.1 } };
    const lines = renderMarkdownReport(r).split('\n');
    expect(lines.find((l) => l.startsWith('**Mirrored (shadow) traffic, measured by the mesh**'))).toBeDefined();
    expect(lines).toContain('| 1 | v3: mirrored (shadow) traffic, measured by the mesh | 498 | 0.00% | 5.1ms | 24.1ms |');
    expect(text).not.toContain('Mirrored');
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
    // Every row of a table has as many cells as its header: no user string adds a column.
    const cells = (row: string) => row.split(/(?<!\\)\|/).length;
    for (const table of hostile.split('\n\n').filter((b) => b.startsWith('| '))) {
      const [head, ...rows] = table.split('\n').filter((l) => l.startsWith('|'));
      for (const row of rows) expect(cells(row), row).toBe(cells(head!));
    }
  });

  it('one line per sequential test with its decision, crossing and e-value against 1/α; the step that ended early says so', () => {
    const seq = renderMarkdownReport(loadSequentialRunResult());
    expect(seq).toContain('| 2 | canary 10% | 10% | 14.2s | 2 failed, 2 passed | **rollback** (ended early: certain regression) |');
    const lines = seq.split('\n').filter((l) => l.startsWith('- Step '));
    expect(lines).toEqual([
      "- Step 1, canary-error-rate (error-rate, α = 0.01): no certain conclusion by the step's end (e-value 0.21 &lt; 100)",
      "- Step 1, error-rate-vs-stable (relative-error-rate, α = 0.01): no certain conclusion by the step's end (e-value 0.339 &lt; 100)",
      "- Step 1, latency-vs-stable (relative-latency, α = 0.01): no certain conclusion by the step's end (e-value 9 &lt; 100)",
      "- Step 2, canary-error-rate (error-rate, α = 0.01): no certain conclusion by the step's end (e-value 49.9 &lt; 100)",
      '- Step 2, error-rate-vs-stable (relative-error-rate, α = 0.01): **certain regression after 14 s on 160 canary / 1,633 stable requests (e-value 125 ≥ 100 = 1/α)**',
      "- Step 2, latency-vs-stable (relative-latency, α = 0.01): no certain conclusion by the step's end (e-value 10.3 &lt; 100)",
    ]);
    expect(text).not.toContain('Sequential tests');
  });
});

