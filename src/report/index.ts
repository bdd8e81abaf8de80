/**
 * Reports of a run: result.json, report.html, summary.md and junit.xml (registry keyed by name).
 */
export type { Reporter, ReportOptions } from './types.js';
export { writeReports, type WriteReportsOptions } from './write-reports.js';
export { createReporterRegistry, defaultReporters, getReporter, DEFAULT_REPORT_NAMES, type ReporterRegistry } from './registry.js';
export { createJsonReporter, JSON_REPORT_FILE } from './json-reporter.js';
export { createHtmlReporter, renderHtmlReport, HTML_REPORT_FILE } from './html-reporter.js';
export { createMarkdownReporter, renderMarkdownReport, MARKDOWN_REPORT_FILE } from './markdown-reporter.js';
export { createJunitReporter, renderJunitReport, JUNIT_REPORT_FILE } from './junit-reporter.js';
export { readSavedResult, readSavedRun, type SavedGameDay, type SavedResult, type SavedRun } from './read-result.js';
export { buildResultJsonSchema, RESULT_SCHEMA_PATH } from './result-schema.js';
export { runResultSchema } from '../model/result-schema.js';
export { escapeHtml } from './html/escape.js';
export { escapeMarkdown } from './markdown/escape.js';
export { stableStringify } from './stable-json.js';
