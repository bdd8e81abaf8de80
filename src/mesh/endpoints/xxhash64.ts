/**
 * xxHash64 (Yann Collet's XXH64, the hash Envoy uses for ring hash, Maglev and request hash
 * policies: `HashUtil::xxHash64`), written from the algorithm's specification
 * (https://github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md). BigInt keeps the 64-bit
 * arithmetic exact; it runs only for clusters with consistent hashing (a few µs per short key).
 * Test vectors come from the reference C library (libxxhash 0.8).
 */

const M = 0xffffffffffffffffn;
const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;

const rotl = (x: bigint, r: bigint): bigint => ((x << r) | (x >> (64n - r))) & M;
const round = (acc: bigint, input: bigint): bigint => (rotl((acc + input * P2) & M, 31n) * P1) & M;
const merge = (acc: bigint, v: bigint): bigint => (((acc ^ round(0n, v)) * P1) + P4) & M;

/** XXH64 of `input` (a string is hashed as its UTF-8 bytes) with `seed`, as an unsigned 64-bit BigInt. */
export function xxHash64(input: string | Uint8Array, seed = 0n): bigint {
  const b = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const len = b.length;
  let i = 0;
  let h: bigint;
  if (len >= 32) {
    let v1 = (seed + P1 + P2) & M;
    let v2 = (seed + P2) & M;
    let v3 = seed & M;
    let v4 = (seed - P1) & M;
    for (; i + 32 <= len; i += 32) {
      v1 = round(v1, b.readBigUInt64LE(i));
      v2 = round(v2, b.readBigUInt64LE(i + 8));
      v3 = round(v3, b.readBigUInt64LE(i + 16));
      v4 = round(v4, b.readBigUInt64LE(i + 24));
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & M;
    h = merge(merge(merge(merge(h, v1), v2), v3), v4);
  } else {
    h = (seed + P5) & M;
  }
  h = (h + BigInt(len)) & M;
  for (; i + 8 <= len; i += 8) h = ((rotl(h ^ round(0n, b.readBigUInt64LE(i)), 27n) * P1) + P4) & M;
  if (i + 4 <= len) {
    h = ((rotl(h ^ ((BigInt(b.readUInt32LE(i)) * P1) & M), 23n) * P2) + P3) & M;
    i += 4;
  }
  for (; i < len; i++) h = (rotl(h ^ ((BigInt(b[i]!) * P5) & M), 11n) * P1) & M;
  h ^= h >> 33n;
  h = (h * P2) & M;
  h ^= h >> 29n;
  h = (h * P3) & M;
  h ^= h >> 32n;
  return h;
}

/** Envoy's `Hex::uint64ToHex`: 16 lowercase hex digits. */
export function hex64(v: bigint): string {
  return v.toString(16).padStart(16, '0');
}
