import { describe, expect, it } from 'vitest';
import { chooseIdempotencyKey } from '../src/transport/idempotency.js';
import { encodeUlidRandom, encodeUlidTime, ulid } from '../src/transport/ulid.js';

const CROCKFORD_ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

describe('ULIDs (contract transport §7)', () => {
  it('encodes the time part as in the contract vectors', () => {
    expect(encodeUlidTime(0)).toBe('0000000000');
    expect(encodeUlidTime(1767225600000)).toBe('01KDVDNA00');
    // The largest 48-bit time: every character but the first (which only has 3 bits) is Z.
    expect(encodeUlidTime(2 ** 48 - 1)).toBe('7ZZZZZZZZZ');
  });

  it('encodes the random part as in the contract vectors, 5 bits per character big-endian', () => {
    expect(encodeUlidRandom(new Uint8Array(10))).toBe('0000000000000000');
    expect(encodeUlidRandom(new Uint8Array(10).fill(0xff))).toBe('ZZZZZZZZZZZZZZZZ');
    // 0x80 then zeros: the top bit set → first character 10000b = 16 = 'G'.
    expect(encodeUlidRandom(Uint8Array.of(0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0))).toBe('G000000000000000');
    // The lowest bit set → last character 1.
    expect(encodeUlidRandom(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 1))).toBe('0000000000000001');
  });

  it('a new ULID is the time now plus an independent random part', () => {
    const a = ulid(1767225600000);
    const b = ulid(1767225600000);
    expect(a).toMatch(CROCKFORD_ULID);
    expect(a.slice(0, 10)).toBe('01KDVDNA00');
    expect(b.slice(0, 10)).toBe('01KDVDNA00');
    expect(a.slice(10)).not.toBe(b.slice(10));
    const before = Date.now();
    const key = chooseIdempotencyKey('POST', undefined);
    expect(key).toMatch(CROCKFORD_ULID);
    expect(key!.slice(0, 10) >= encodeUlidTime(before)).toBe(true);
    expect(key!.slice(0, 10) <= encodeUlidTime(Date.now())).toBe(true);
  });
});
