import { describe, expect, it } from 'vitest';
import { terminalCode, terminalSafe, toTerminal } from './terminal-text.js';

const HOSTILE = 'a\u001b[2J\u001b]0;pwned\u0007\u202eb';

describe('terminalSafe', () => {
  it('shows C0 controls (but \\n and \\t), DEL, C1 and bidi overrides and isolates as \\uXXXX', () => {
    expect(terminalSafe(HOSTILE)).toBe('a\\u001b[2J\\u001b]0;pwned\\u0007\\u202eb');
    const unsafe = [0x00, 0x08, 0x0b, 0x0d, 0x1f, 0x7f, 0x80, 0x9b, 0x9f, 0x202a, 0x202e, 0x2066, 0x2069];
    for (const code of unsafe) expect(terminalSafe(String.fromCharCode(code))).toBe(`\\u${code.toString(16).padStart(4, '0')}`);
  });

  it('leaves newlines, tabs and ordinary text alone (accents, arrows, emoji, right-to-left letters)', () => {
    const text = 'line 1\n\tcafé → ✓ 🚀 שלום\u200e';
    expect(terminalSafe(text)).toBe(text);
  });
});

describe('toTerminal', () => {
  it("writes mesh-exp's own marked codes as they are, and outside text made safe around them", () => {
    const written = toTerminal(`${terminalCode('\u001b[31m')}error:${terminalCode('\u001b[0m')} ${HOSTILE}${terminalCode('\r')}`);
    expect(written).toBe('\u001b[31merror:\u001b[0m a\\u001b[2J\\u001b]0;pwned\\u0007\\u202eb\r');
  });

  it('keeps JSON the same JSON: a control inside a string becomes its escape', () => {
    const value = { name: `x\u007f\u0085${HOSTILE}`, n: 1 };
    const written = toTerminal(JSON.stringify(value));
    expect(written).not.toMatch(/[\u007f-\u009f\u202e]/);
    expect(JSON.parse(written)).toEqual(value);
  });

  it('is idempotent: text already made safe is written unchanged', () => {
    expect(toTerminal(terminalSafe(HOSTILE))).toBe(terminalSafe(HOSTILE));
  });
});
