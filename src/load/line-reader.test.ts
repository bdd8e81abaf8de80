import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forEachLine } from './line-reader.js';

const linesOf = async (chunks: (string | Buffer)[], maxLineLength?: number): Promise<string[]> => {
  const out: string[] = [];
  await forEachLine(Readable.from(chunks, { objectMode: false }), (l) => out.push(l), maxLineLength === undefined ? {} : { maxLineLength });
  return out;
};

describe('forEachLine', () => {
  it('splits lines across any chunking, as split("\\n") does, dropping a final empty line and CRs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('a', 'bc', '\n', '\r\n', 'é', '{"x":1}'), { maxLength: 40 }), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1 }), async (parts, cuts) => {
        const text = parts.join('');
        const chunks: Buffer[] = [];
        const bytes = Buffer.from(text);
        for (let i = 0, c = 0; i < bytes.length; c++) {
          const n = cuts[c % cuts.length]!;
          chunks.push(bytes.subarray(i, i + n));
          i += n;
        }
        const expected = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
        if (expected.at(-1) === '') expected.pop();
        expect(await linesOf(chunks)).toEqual(expected);
      }),
    );
  });

  it('refuses a line longer than the bound, and passes on what onLine throws', async () => {
    await expect(linesOf(['x'.repeat(50), 'y'.repeat(60)], 100)).rejects.toThrow(/longer than 100/);
    await expect(forEachLine(Readable.from(['a\nb\n']), () => { throw new Error('bad line'); })).rejects.toThrow('bad line');
  });
});
