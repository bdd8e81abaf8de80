/**
 * The <head> of a self-contained mesh-exp page (report.html, a game day's index.html): the strict
 * Content-Security-Policy allowing exactly its inline stylesheet and scripts by their hashes, no
 * referrer, and the title (escaped).
 */
import { VERSION } from '../../version.js';
import { html, trustedHtml, type SafeHtml } from './escape.js';
import { contentSecurityPolicy } from './styles.js';

/** The page's <head>; `css` and `scripts` are the exact texts of its inline <style> and <script> elements. */
export function pageHead(title: string, css: string, scripts: readonly string[]): SafeHtml {
  // The CSP goes before <style> so it governs it. It is trusted as is: literals and base64 only,
  // no double quote, so it cannot leave its attribute (and stays readable without &#39;).
  return html`<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${trustedHtml(contentSecurityPolicy({ styles: [css], scripts }))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="mesh-exp ${VERSION}">
<title>${title}</title>
<style>${trustedHtml(css)}</style>
</head>`;
}
