import { gzipSync } from 'node:zlib';
import { constructWebhookEvent } from '@knoxcall/core';
import { describe, expect, it } from 'vitest';
import { useApp } from './app-fixture.js';
import { errorTypeOf } from './error-code.js';
import { SECRET, envelopeBody, post, postRaw, signedDelivery } from './deliveries.js';
import { type AdapterUnderTest, CONTRACT_PATHS, type ContractWebhookConfig } from './types.js';

/**
 * Where the adapters used to disagree: an empty Content-Type is a missing one; a repeated
 * Content-Type is judged by its first value; an encoded body (Content-Encoding) is 415; and a
 * misconfigured webhook fails when the app is built, with the verifier's own message.
 */
export function consistencyCases(adapter: AdapterUnderTest): void {
  describe('content type and encoding, the same everywhere', () => {
    const ran: string[] = [];
    const app = useApp(adapter, () => ({ webhook: { secret: SECRET, on: { '*': (event) => void ran.push(event.event) } } }));
    const url = () => app.url + CONTRACT_PATHS.webhook;

    it('an empty Content-Type value is treated as missing → 200', async () => {
      const delivery = await signedDelivery(envelopeBody(), { contentType: null });
      const answer = await postRaw(url(), delivery.body, { ...delivery.headers, 'content-type': '' });
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body).toEqual({ received: true });
    });

    it('a repeated Content-Type is judged by its first value', async () => {
      const delivery = await signedDelivery(envelopeBody(), { contentType: null });
      for (const [values, status] of [
        [['application/json', 'application/json'], 200],
        [['application/json', 'text/plain'], 200],
        [['text/plain', 'application/json'], 415],
      ] as const) {
        const answer = await postRaw(url(), delivery.body, { ...delivery.headers, 'content-type': [...values] });
        expect(answer.status, `${values.join(' + ')}: ${answer.text}`).toBe(status);
        if (status === 415) expect(errorTypeOf(adapter, answer.body)).toBe('unsupported_media_type');
      }
    });

    it('an encoded body (Content-Encoding: gzip, br) → 415 unsupported_media_type, whatever was signed', async () => {
      const ranBefore = ran.length;
      const body = envelopeBody();
      const zipped = new Uint8Array(gzipSync(body));
      // signed over the compressed bytes, and over the JSON before compression: both refused
      for (const signedBody of [zipped, body]) {
        const delivery = await signedDelivery(signedBody);
        for (const encoding of ['gzip', 'br']) {
          const answer = await post(url(), { body: zipped, headers: { ...delivery.headers, 'content-encoding': encoding } });
          expect(answer.status, `${encoding}: ${answer.text}`).toBe(415);
          expect(errorTypeOf(adapter, answer.body)).toBe('unsupported_media_type');
        }
      }
      expect(ran).toHaveLength(ranBefore); // no encoded delivery ran a handler
    });
  });

  describe('a misconfigured webhook fails when the app is built', () => {
    const misconfigurations: Array<[string, Partial<ContractWebhookConfig>]> = [
      ["format: 'stirpe'", { format: 'stirpe' as never }],
      ["format: 'custom' without headerName", { format: 'custom' }],
      ['toleranceSeconds: -5', { toleranceSeconds: -5 }],
    ];
    for (const [what, options] of misconfigurations) {
      it(`${what}: start-up throws constructWebhookEvent's own message`, async () => {
        let expected = '';
        try {
          constructWebhookEvent('{}', {}, SECRET, options as never);
        } catch (error) {
          expected = (error as Error).message;
        }
        expect(expected).not.toBe('');
        let app: { close(): Promise<void> } | undefined;
        await expect(
          (async () => {
            app = await adapter.start({ webhook: { secret: SECRET, on: { '*': () => {} }, ...options } });
          })(),
        ).rejects.toThrow(expected);
        await app?.close();
      });
    }

    it('a replay store of the earlier claim/release interface: start-up throws, naming what to add', async () => {
      const old = { claim: async () => true, release: async () => {} };
      await expect(adapter.start({ webhook: { secret: SECRET, replayStore: old as never, on: { '*': () => {} } } })).rejects.toThrow(
        /earlier claim\/release interface/,
      );
    });
  });
}
