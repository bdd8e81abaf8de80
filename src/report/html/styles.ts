/**
 * The report's only stylesheet, inlined in a <style> element and allowed by its SHA-256 hash in
 * the Content-Security-Policy (no 'unsafe-inline', no style attributes anywhere).
 */
import { createHash } from 'node:crypto';

/** CSS of report.html: light and dark, narrow screens (tables scroll sideways) and print. */
export const REPORT_CSS = `
:root { --fg: #1f2328; --muted: #59636e; --bg: #fff; --line: #d1d9e0; --head: #f6f8fa;
  --good: #1a7f37; --good-bg: #dafbe1; --bad: #cf222e; --bad-bg: #ffebe9; --warn: #9a6700; --warn-bg: #fff8c5; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --line: #3d444d; --head: #151b23;
    --good: #3fb950; --good-bg: #12261e; --bad: #f85149; --bad-bg: #2d1214; --warn: #d29922; --warn-bg: #272115; }
}
* { box-sizing: border-box; }
body { margin: 0; padding: 1rem; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--fg); background: var(--bg); max-width: 80rem; margin-inline: auto; }
h1 { font-size: 1.4rem; margin: .2rem 0; overflow-wrap: anywhere; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
.verdict { border-radius: 8px; padding: 1rem 1.2rem; border: 2px solid; }
.verdict.good { border-color: var(--good); background: var(--good-bg); }
.verdict.bad { border-color: var(--bad); background: var(--bad-bg); }
.verdict.warn { border-color: var(--warn); background: var(--warn-bg); }
.outcome { font-weight: 700; letter-spacing: .06em; margin: 0; }
.good .outcome { color: var(--good); } .bad .outcome { color: var(--bad); } .warn .outcome { color: var(--warn); }
.summary { font-size: 1.05rem; margin: .4rem 0 .6rem; overflow-wrap: anywhere; }
.description { color: var(--muted); margin: .2rem 0; }
.facts { display: flex; flex-wrap: wrap; gap: .3rem 1.5rem; margin: 0; font-size: .9rem; }
.facts div { display: flex; gap: .4rem; } .facts dt { color: var(--muted); } .facts dd { margin: 0; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; font-size: .9rem; min-width: 100%; }
th, td { border: 1px solid var(--line); padding: .3rem .55rem; text-align: left; vertical-align: top; }
th { background: var(--head); white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.msg { min-width: 18rem; overflow-wrap: anywhere; }
tr.all td { font-weight: 600; }
.v-pass { color: var(--good); font-weight: 600; }
.v-fail, .d-rollback { color: var(--bad); font-weight: 700; }
.v-no-data { color: var(--warn); font-weight: 600; }
.d-promote { color: var(--good); font-weight: 700; }
.muted { color: var(--muted); }
pre { background: var(--head); border: 1px solid var(--line); border-radius: 6px; padding: .8rem; overflow-x: auto;
  font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
footer { margin-top: 2rem; color: var(--muted); font-size: .8rem; }
@media (max-width: 40rem) { body { padding: .6rem; font-size: 14px; } th, td { padding: .25rem .4rem; } }
@media print {
  :root { --fg: #000; --muted: #444; --bg: #fff; --line: #999; --head: #eee; }
  body { padding: 0; max-width: none; font-size: 10pt; }
  .verdict { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .scroll { overflow: visible; } pre { white-space: pre-wrap; overflow: visible; }
  h2, h3 { break-after: avoid; } tr, .verdict { break-inside: avoid; }
}
`;

/** The CSP source allowing exactly `css` as an inline stylesheet: `'sha256-<base64>'`. */
export function styleHash(css: string): string {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}

/**
 * The report's Content-Security-Policy: nothing may load or run (default-src 'none', no
 * scripts, no images, no fonts, no connections); only the inline stylesheet with this hash.
 */
export function contentSecurityPolicy(css: string): string {
  return `default-src 'none'; style-src ${styleHash(css)}; base-uri 'none'; form-action 'none'`;
}
