/**
 * The Web Crypto verifier imports each secret's HMAC key once and signs later deliveries with
 * the key it kept; an import that failed is not kept, so the next delivery imports again.
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifyWithWebCrypto } from '../src/webhooks/verify-async.js';

const BODY = '{"event":"request.success","timestamp":"2026-01-01T00:00:00Z","data":{}}';
const signed = (secret: string) => ({ 'x-webhook-signature': createHmac('sha256', secret).update(BODY).digest('hex') });
const OPTIONS = { toleranceSeconds: null };

afterEach(() => vi.restoreAllMocks());

describe('Web Crypto HMAC keys', () => {
  it('imports a secret once, then signs with the kept key', async () => {
    const secret = `whsec_once_${Math.random()}`;
    const importKey = vi.spyOn(crypto.subtle, 'importKey');
    const sign = vi.spyOn(crypto.subtle, 'sign');
    for (let i = 0; i < 5; i++) {
      const { event } = await verifyWithWebCrypto(BODY, signed(secret), secret, OPTIONS);
      expect(event.event).toBe('request.success');
    }
    expect(importKey).toHaveBeenCalledTimes(1);
    expect(sign).toHaveBeenCalledTimes(5);
  });

  it('deliveries arriving while the import is still running all wait for that one import', async () => {
    const secret = `whsec_concurrent_${Math.random()}`;
    const importKey = vi.spyOn(crypto.subtle, 'importKey');
    const results = await Promise.all(Array.from({ length: 4 }, () => verifyWithWebCrypto(BODY, signed(secret), secret, OPTIONS)));
    expect(results.map((r) => r.event.event)).toEqual(Array(4).fill('request.success'));
    expect(importKey).toHaveBeenCalledTimes(1);
  });

  it('a failed import is not kept: the delivery fails, the next one imports again and verifies', async () => {
    const secret = `whsec_flaky_${Math.random()}`;
    const importKey = vi.spyOn(crypto.subtle, 'importKey').mockRejectedValueOnce(new Error('import failed'));
    await expect(verifyWithWebCrypto(BODY, signed(secret), secret, OPTIONS)).rejects.toThrow('import failed');
    const { event } = await verifyWithWebCrypto(BODY, signed(secret), secret, OPTIONS);
    expect(event.event).toBe('request.success');
    expect(importKey).toHaveBeenCalledTimes(2);
  });
});
