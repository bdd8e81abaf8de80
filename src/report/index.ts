/**
 * Reports of a run: result.json, report.html and summary.md (registry keyed by name).
 */
export type { Reporter } from './types.js';
export { writeReports, type WriteReportsOptions } from './write-reports.js';
export { createReporterRegistry, defaultReporters, getReporter, DEFAULT_REPORT_NAMES, type ReporterRegistry } from './registry.js';
export { createJsonReporter, JSON_REPORT_FILE } from './json-reporter.js';
export { createHtmlReporter, renderHtmlReport, HTML_REPORT_FILE } from './html-reporter.js';
export { createMarkdownReporter, renderMarkdownReport, MARKDOWN_REPORT_FILE } from './markdown-reporter.js';
export { escapeHtml } from './html/escape.js';
export { escapeMarkdown } from './markdown/escape.js';
export { stableStringify } from './stable-json.js';
