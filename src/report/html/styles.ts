/**
 * The report's only stylesheet, inlined in a <style> element and allowed by its SHA-256 hash in
 * the Content-Security-Policy (no 'unsafe-inline', no style attributes anywhere), and the policy
 * itself, which allows exactly the inline stylesheet and scripts of the page by their hashes.
 */
import { createHash } from 'node:crypto';

/** CSS of report.html: light and dark, narrow screens (tables scroll sideways) and print. */
export const REPORT_CSS = `
:root { --fg: #1f2328; --muted: #59636e; --bg: #fff; --line: #d1d9e0; --head: #f6f8fa;
  --good: #1a7f37; --good-bg: #dafbe1; --bad: #cf222e; --bad-bg: #ffebe9; --warn: #9a6700; --warn-bg: #fff8c5;
  --c-stable: #0969da; --c-canary: #bc4c00; --c-3: #8250df; --c-4: #1a7f37; --c-5: #bf3989; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --line: #3d444d; --head: #151b23;
    --good: #3fb950; --good-bg: #12261e; --bad: #f85149; --bad-bg: #2d1214; --warn: #d29922; --warn-bg: #272115;
    --c-stable: #4493f8; --c-canary: #f0883e; --c-3: #ab7df8; --c-4: #3fb950; --c-5: #db61a2; }
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
.partial { border: 2px dashed var(--warn); background: var(--warn-bg); color: var(--warn); border-radius: 8px; padding: .6rem 1.2rem; font-weight: 600; margin: 0 0 1rem; }
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
tr.mirrored td { font-style: italic; }
.v-pass { color: var(--good); font-weight: 600; }
.v-fail, .d-rollback { color: var(--bad); font-weight: 700; }
.v-no-data { color: var(--warn); font-weight: 600; }
.d-promote { color: var(--good); font-weight: 700; }
.muted { color: var(--muted); }
pre { background: var(--head); border: 1px solid var(--line); border-radius: 6px; padding: .8rem; overflow-x: auto;
  font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
footer { margin-top: 2rem; color: var(--muted); font-size: .8rem; }
.chart { min-height: 3rem; color: var(--muted); overflow: hidden; }
.chart h3 { font-size: .9rem; margin: .8rem 0 .2rem; color: var(--fg); }
.chart .uplot { color: var(--fg); font-family: inherit; }
.chart .u-legend { font-size: .8rem; }
.chart-notes { position: absolute; inset: 0; pointer-events: none; }
.chart-note { position: absolute; font: 11px/13px system-ui, sans-serif; white-space: nowrap; padding: 0 2px;
  background: color-mix(in srgb, var(--bg) 80%, transparent); color: var(--muted); }
.chart-note.mark { color: var(--fg); } .chart-note.limit { color: var(--bad); }
.chart-rule { position: absolute; left: 0; right: 0; border-top: 1px dashed var(--bad); }
.chart-rule.zero { border-top-color: var(--muted); } .chart-rule.bound { border-top-style: solid; }
.early { color: var(--warn); font-weight: 600; }
h4 { font-size: .95rem; margin: 1rem 0 .2rem; } h5 { font-size: .85rem; margin: .6rem 0 0; font-weight: 600; }
.seq-test { border-top: 1px solid var(--line); padding-top: .2rem; }
.seq-caption { margin: .2rem 0 .4rem; overflow-wrap: anywhere; }
.seq-body { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; align-items: flex-start; }
.seq-charts { flex: 3 1 24rem; min-width: 0; } .seq-numbers { flex: 1 1 16rem; }
.seq-numbers table { min-width: 0; width: 100%; } .seq-numbers th { white-space: normal; }
tr.crossing td { font-weight: 700; }
details summary { cursor: pointer; margin: .4rem 0; }
.chart .u-legend th, .chart .u-legend td { border: 0; background: none; padding: 1px 4px; white-space: nowrap; }
.delta-worse { color: var(--bad); font-weight: 600; } .delta-better { color: var(--good); }
@media (max-width: 40rem) { body { padding: .6rem; font-size: 14px; } th, td { padding: .25rem .4rem; } }
@media print {
  :root { --fg: #000; --muted: #444; --bg: #fff; --line: #999; --head: #eee; }
  body { padding: 0; max-width: none; font-size: 10pt; }
  .verdict { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .scroll { overflow: visible; } pre { white-space: pre-wrap; overflow: visible; }
  h2, h3 { break-after: avoid; } tr, .verdict, .chart .uplot { break-inside: avoid; }
  .chart .u-legend { display: none; }
}
`;

/** The CSP source allowing exactly `text` as an inline element: `'sha256-<base64>'`. */
export function sourceHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** What the page inlines. */
export interface InlineContent {
  /** Contents of each <style> element. */
  styles: readonly string[];
  /** Contents of each executable <script> element (data blocks need no permission). */
  scripts: readonly string[];
}

/**
 * The report's Content-Security-Policy: nothing may load (default-src 'none': no images, fonts,
 * frames or connections, so no beacon can leave the page); only the inline stylesheets and
 * scripts with these hashes may apply or run; Trusted Types are required, so even a bug that
 * handed a user string to innerHTML would throw instead of creating markup.
 */
export function contentSecurityPolicy(inline: InlineContent): string {
  const list = (texts: readonly string[]) => texts.map(sourceHash).join(' ');
  return [
    "default-src 'none'",
    ...(inline.scripts.length ? [`script-src ${list(inline.scripts)}`] : []),
    `style-src ${list(inline.styles)}`,
    "base-uri 'none'",
    "form-action 'none'",
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join('; ');
}
