import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/auth/sha256.js';

const reference = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('sha256Hex (the sync digest behind every cache key)', () => {
  it('matches the FIPS 180-4 vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it('agrees with node:crypto on every length around the block and padding boundaries, and on non-ASCII text', () => {
    for (let length = 0; length <= 200; length++) {
      const text = randomBytes(length).toString('latin1');
      expect(sha256Hex(text), `length ${length}`).toBe(reference(text));
    }
    for (const text of ['é', '秘密のキー', '🔑'.repeat(40), 'x'.repeat(100_000)]) expect(sha256Hex(text)).toBe(reference(text));
  });
});
