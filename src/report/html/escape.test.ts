import { describe, expect, it } from 'vitest';
import { escapeHtml, html, trustedHtml } from './escape.js';

describe('escapeHtml', () => {
  it('escapes the XSS probe so it is text, not an element', () => {
    expect(escapeHtml('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('escapes every character that can end text or an attribute value', () => {
    expect(escapeHtml(`a & b < c > d " e ' f \` g`)).toBe('a &amp; b &lt; c &gt; d &quot; e &#39; f &#96; g');
  });

  it('escapes & first, so entities in the input stay visible as written', () => {
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
  });

  it('converts non-strings and treats null/undefined as empty', () => {
    expect(escapeHtml(42)).toBe('42');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(undefined)).toBe('');
  });

  it('leaves plain text unchanged', () => {
    expect(escapeHtml('canary p99 latency 412ms')).toBe('canary p99 latency 412ms');
  });
});

describe('html template', () => {
  it('escapes interpolated strings and arrays of strings', () => {
    expect(html`<td>${'<b>'}</td>${['<i>', '&']}`.html).toBe('<td>&lt;b&gt;</td>&lt;i&gt;&amp;');
  });

  it('keeps nested html fragments and trusted literals as markup', () => {
    const inner = html`<b>${'x<y'}</b>`;
    expect(html`<p>${inner}${trustedHtml('<br>')}</p>`.html).toBe('<p><b>x&lt;y</b><br></p>');
  });

  it('does not trust data shaped like a fragment (e.g. from result.json)', () => {
    const forged = JSON.parse('{"html":"<script>alert(1)</script>"}');
    expect(html`${forged}`.html).not.toContain('<script>');
  });
});
