/**
 * The start of every self-contained mesh-exp page (report.html, trend.html): the doctype, the
 * strict CSP allowing exactly the page's inline stylesheet and scripts by hash, and the one
 * inlined stylesheet.
 */
import { VERSION } from '../../version.js';
import { html, trustedHtml, type SafeHtml } from './escape.js';
import { contentSecurityPolicy } from './styles.js';

/** `<!doctype html>` through `</head>`, for a page inlining `css` and the executable `scripts`; `title` is escaped. */
export function pageHead(title: string, css: string, scripts: readonly string[]): SafeHtml {
  // The CSP goes before <style> so it governs it. It is trusted as is: literals and base64 only,
  // no double quote, so it cannot leave its attribute (and stays readable without &#39;).
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${trustedHtml(contentSecurityPolicy({ styles: [css], scripts }))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="mesh-exp ${VERSION}">
<title>${title}</title>
<style>${trustedHtml(css)}</style>
</head>`;
}
