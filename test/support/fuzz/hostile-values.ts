/**
 * Values that break expectations, whatever field they land in: another type, extreme numbers and
 * durations, long strings, control characters, CR/LF, unicode tricks, prototype keys, huge arrays.
 */
import fc from 'fast-check';

/** Numbers at the edges: zero, negatives, float limits, beyond 32-bit timers and safe integers. */
export const EXTREME_NUMBERS: readonly number[] = [
  0, -0, -1, 1, 0.5, 1e-300, 1e308, -1e308, Number.MAX_VALUE, Number.MIN_VALUE, NaN, Infinity, -Infinity,
  2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53 + 2, 1e20, 65535, 65536, 99999, 100, 101, 100.0001, 599, 600,
];

/** Strings that parse as durations or percentages, at and beyond every sensible limit. */
export const EXTREME_UNIT_STRINGS: readonly string[] = [
  '0ms', '0s', '1ms', '0.0001ms', '600h', '596h', '597h', '24856h', '99999999999999999999h', '1e308s', '9'.repeat(400) + 'ms',
  '1h1h1h1h1h1h1h1h', '1.5s', '-1s', '1d', 'NaN', 'Infinity', '10', '0%', '100%', '100.0001%', '101%', '1e3%',
  '999999999999999999999%', '-1%', '%', '',
];

/** Control characters, CR/LF, terminal escapes and unicode that renders misleadingly. */
export const NASTY_STRINGS: readonly string[] = [
  'a\r\nb', 'x-injected: 1\r\nevil: yes', '\n', '\r', '\t', '\u0000', 'nul\u0000byte', '\u0007bell', '\u001b[2J\u001b[31mred', '\u001b]0;title\u0007',
  '\u009b31m', '\u007f', '\u202eevil\u202c', 'zero\u200bwidth', '\ufeffbom', '\ud83d\ude00', '\ud800', 'ǅ', 'İ', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', 'ｆｕｌｌ', 'e\u0301',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '../../../../etc/passwd', '/', '.', '..', '~', '*', '{{ x }}', '{{', '${HOME}', '$(id)',
  '%s%n', "'", '"', '\\', 'null', 'true', 'yes', 'off', '~', '.nan', '.inf', '0x1F', '0o17', '1_000', '1e3', 'http://', 'http://127.0.0.1:9/', 'http://[::1', ':::', '127.0.0.1:99999',
  '127.0.0.1:-1', '127.0.0.1:65536', '0.0.0.0:0', '[::]:0', 'localhost:0',
  // Paths a file field (local.manifests, load.script) must refuse without blocking or reading forever.
  '/dev/zero', '/dev/stdin', '/dev/null', '/proc/self/environ', '/proc/self/fd/0',
];

/** Keys that are not in any schema, including the ones that reach the prototype. */
export const NASTY_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype', 'toString', '', ' ', 'a.b', '[0]', '<<', '?', '-', 'KIND', 'apiversion', 'Spec', '\u0000', 'ké'];

const string = fc.string({ maxLength: 40 });
const anyUnicode = fc.string({ unit: 'binary', maxLength: 40 });
const longString = fc.constantFrom(1_000, 10_000, 100_000, 300_000).chain((n) => fc.constantFrom('a'.repeat(n), 'é'.repeat(n / 2), 'a\n'.repeat(n / 2), '\u001b'.repeat(n / 10)));
const hugeArray = fc.constantFrom(1_000, 20_000, 100_000).map((n) => new Array<number>(n).fill(1));

/** Any value that breaks expectations: extremes, nasty strings, another type, nested junk. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constantFrom(...EXTREME_NUMBERS), weight: 4 },
  { arbitrary: fc.constantFrom(...EXTREME_UNIT_STRINGS), weight: 4 },
  { arbitrary: fc.constantFrom(...NASTY_STRINGS), weight: 4 },
  { arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], { '': null }), weight: 2 },
  { arbitrary: fc.oneof(string, anyUnicode, fc.integer(), fc.double()), weight: 3 },
  { arbitrary: longString, weight: 1 },
  { arbitrary: hugeArray, weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
  { arbitrary: fc.dictionary(fc.constantFrom(...NASTY_KEYS), fc.oneof(string, fc.integer()), { maxKeys: 3 }), weight: 1 },
);

/** A key no schema has: a nasty one, a random one, or a near miss of a real one (one letter off). */
export function unknownKey(known: readonly string[]): fc.Arbitrary<string> {
  const nearMiss =
    known.length === 0
      ? fc.constant('x')
      : fc.tuple(fc.constantFrom(...known), fc.nat(), fc.constantFrom('', 'x', 'E')).map(([k, i, c]) => {
          const at = k.length === 0 ? 0 : i % k.length;
          return `${k.slice(0, at)}${c}${k.slice(at + 1)}`;
        });
  return fc.oneof(fc.constantFrom(...NASTY_KEYS), fc.string({ minLength: 1, maxLength: 20 }), nearMiss);
}
