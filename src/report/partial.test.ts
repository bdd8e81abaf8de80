import { describe, expect, it } from 'vitest';
import { loadRunResult } from '../../test/unit/report/fixture.js';
import { runResultSchema } from '../model/result-schema.js';
import { renderHtmlReport } from './html-reporter.js';
import { renderJunitReport } from './junit-reporter.js';
import { renderMarkdownReport } from './markdown-reporter.js';

const reason = 'the run was killed after step 1 of 3; recovered at 2025-05-14T09:31:00.000Z';
const partial = () => ({ ...loadRunResult(), partial: true as const, partialReason: reason });

describe('a partial report (written by recover from the steps of a killed run)', () => {
  it('is a valid result.json', () => {
    expect(runResultSchema.parse(partial())).toMatchObject({ partial: true, partialReason: reason });
  });

  it('says so in a banner above the verdict of report.html, and in its title', () => {
    const page = renderHtmlReport(partial());
    expect(page).toContain(`<p class="partial" role="alert">PARTIAL REPORT: ${reason}. Only the 2 step(s) that finished are shown.</p>\n<header class="verdict`);
    expect(page).toMatch(/<title>PARTIAL ROLLED BACK: /);
    expect(renderHtmlReport(loadRunResult())).not.toContain('class="partial"');
  });

  it('says so in summary.md and junit.xml', () => {
    expect(renderMarkdownReport(partial())).toContain(`> **⚠️ PARTIAL REPORT:** ${reason}. Only the steps that finished are shown.`);
    expect(renderMarkdownReport(loadRunResult())).not.toContain('PARTIAL');
    expect(renderJunitReport(partial())).toContain(`<property name="partial" value="${reason}"/>`);
    expect(renderJunitReport(loadRunResult())).not.toContain('name="partial"');
  });
});
