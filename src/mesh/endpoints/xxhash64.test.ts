import { describe, expect, it } from 'vitest';
import { hex64, xxHash64 } from './xxhash64.js';

// Expected values computed with the reference C library (libxxhash 0.8.1, XXH64).
describe('xxHash64', () => {
  it.each([
    ['', 0n, 0xef46db3751d8e999n],
    ['a', 0n, 0xd24ec4f1a98c6e5bn],
    ['abc', 0n, 0x44bc2cf5ad770999n],
    ['Nobody inspects the spammish repetition', 0n, 0xfbcea83c8a378bf1n],
    ['127.0.0.1:4000_0', 0n, 0xcdb9cbd2d5428215n],
    ['abcdefghijklmnopqrstuvwxyz0123456789', 0n, 0x64f23ecf1609b766n],
    ['abc', 1n, 0xbea9ca8199328908n],
    ['xyz123', 0x9e3779b97f4a7c15n, 0x9b19d957b8e4966n],
  ])('XXH64(%j, seed %s)', (text, seed, want) => {
    expect(xxHash64(text, seed)).toBe(want);
  });

  it('hex64 pads to 16 digits', () => {
    expect(hex64(0x9b19d957b8e4966n)).toBe('09b19d957b8e4966');
  });
});
