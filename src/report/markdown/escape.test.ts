import { describe, expect, it } from 'vitest';
import { escapeMarkdown } from './escape.js';

describe('escapeMarkdown', () => {
  it('turns HTML into entities', () => {
    expect(escapeMarkdown('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('escapes table pipes, emphasis, links and code', () => {
    expect(escapeMarkdown('a|b *c* _d_ [e](f) `g` ~h~ #1 \\')).toBe('a\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\`g\\` \\~h\\~ \\#1 \\\\');
  });

  it('defuses @mentions and keeps values on one line', () => {
    expect(escapeMarkdown('ping @team\nnow')).toBe('ping &#64;team now');
  });

  it('leaves ordinary text alone', () => {
    expect(escapeMarkdown('canary p99 latency 412ms > 250ms max (FAIL, 512 requests)')).toBe('canary p99 latency 412ms &gt; 250ms max (FAIL, 512 requests)');
  });
});
