/**
 * Property tests (fast-check, 10 000+ cases in total): a signed delivery whose body bytes,
 * signature header or signed timestamp is changed never verifies, and nothing but a
 * `WebhookSignatureVerificationError` ever escapes — from either verifier, which always
 * agree. The seed is fixed so runs are reproducible; set FC_SEED to explore others.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WebhookHmacFormat } from '../src/webhooks/index.js';
import { FROZEN, frozenAt, type Outcome, runAsync, runSync } from './webhook-harness.js';

const SEED = process.env.FC_SEED === undefined ? 20260101 : Number(process.env.FC_SEED);
const RUNS = 2_000;
const params = (numRuns = RUNS) => ({ numRuns, seed: SEED });

const FORMATS: WebhookHmacFormat[] = ['legacy', 'github', 'custom', 'stripe', 'slack', 'aws-sns'];
const CUSTOM_HEADER = 'X-Acme-Signature';
const SIGNATURE_HEADER: Record<WebhookHmacFormat, string> = {
  legacy: 'X-Webhook-Signature',
  github: 'X-Hub-Signature-256',
  custom: CUSTOM_HEADER,
  stripe: 'Stripe-Signature',
  slack: 'X-Slack-Signature',
  'aws-sns': 'x-amz-sns-signature',
};
const HEX = '0123456789abcdef';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * A cheap synchronous signer: these properties run 10 000 times, and the independent async
 * signer of @knoxcall/testing (checked against every format in webhook-signer.test.ts)
 * would dominate the suite's time.
 */
async function signWebhook(input: {
  body: Uint8Array;
  secret: string;
  format: WebhookHmacFormat;
  headerName?: string;
  timestamp: number;
}): Promise<Record<string, string>> {
  const { body, secret, format, timestamp } = input;
  const mac = (prefix: string) => createHmac('sha256', secret).update(prefix).update(body);
  switch (format) {
    case 'stripe':
      return { 'Stripe-Signature': `t=${timestamp},v1=${mac(`${timestamp}.`).digest('hex')}` };
    case 'slack':
      return { 'X-Slack-Request-Timestamp': String(timestamp), 'X-Slack-Signature': `v0=${mac(`v0:${timestamp}:`).digest('hex')}` };
    case 'aws-sns':
      return { 'x-amz-sns-signature': mac('').digest('base64') };
    default:
      return { [SIGNATURE_HEADER[format]]: `sha256=${mac('').digest('hex')}` };
  }
}

const optionsFor = (format: WebhookHmacFormat, nowSeconds = FROZEN) => ({
  format,
  headerName: CUSTOM_HEADER,
  now: frozenAt(nowSeconds),
});

/** A JSON envelope with random content (timestamp = the frozen clock), or arbitrary bytes. */
const bodyArb = fc.oneof(
  fc
    .record({ event: fc.string(), data: fc.jsonValue(), extra: fc.string() })
    .map(({ event, data, extra }) => new TextEncoder().encode(JSON.stringify({ event, timestamp: '2026-01-01T00:00:00Z', data, extra }))),
  fc.uint8Array({ minLength: 0, maxLength: 256 }),
);
const secretArb = fc.string({ minLength: 1, maxLength: 40 });
const formatArb = fc.constantFrom(...FORMATS);

/** Both verifiers agree, the delivery did not verify, and the failure is the typed error. */
function expectRejected(sync: Outcome, async_: Outcome): void {
  expect(async_).toStrictEqual(sync);
  expect(sync.ok).toBe(false);
  if (!sync.ok) {
    expect(sync.verificationError, sync.message).toBe(true);
    expect(sync.knoxError).toBe(true);
  }
}

async function both(body: unknown, headers: unknown, secret: unknown, options: unknown): Promise<[Outcome, Outcome]> {
  return [runSync(body, headers, secret, options), await runAsync(body, headers, secret, options)];
}

describe('property: mutated deliveries never verify', () => {
  it('a changed, inserted or removed body byte → signature_mismatch', async () => {
    await fc.assert(
      fc.asyncProperty(
        formatArb,
        secretArb,
        bodyArb,
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.constantFrom('flip', 'insert', 'remove'),
        async (format, secret, body, position, byte, kind) => {
          const headers = await signWebhook({ body, secret, format, headerName: CUSTOM_HEADER, timestamp: FROZEN });
          let mutated: Uint8Array;
          if (kind === 'insert' || body.length === 0) {
            const at = body.length === 0 ? 0 : position % (body.length + 1);
            mutated = new Uint8Array([...body.subarray(0, at), byte, ...body.subarray(at)]);
          } else if (kind === 'flip') {
            mutated = body.slice();
            const at = position % body.length;
            mutated[at] = mutated[at]! ^ byte;
          } else {
            const at = position % body.length;
            mutated = new Uint8Array([...body.subarray(0, at), ...body.subarray(at + 1)]);
          }
          const [sync, async_] = await both(mutated, headers, secret, optionsFor(format));
          expectRejected(sync, async_);
          expect(!sync.ok && sync.code).toBe('signature_mismatch');
        },
      ),
      params(),
    );
  });

  it('a changed signature character → signature_mismatch', async () => {
    await fc.assert(
      fc.asyncProperty(formatArb, secretArb, bodyArb, fc.nat(), fc.nat(), async (format, secret, body, position, replacement) => {
        const headers = await signWebhook({ body, secret, format, headerName: CUSTOM_HEADER, timestamp: FROZEN });
        const name = SIGNATURE_HEADER[format];
        const value = headers[name]!;
        // The signature is always the value's tail: 64 hex digits, or 44 base64 characters.
        const alphabet = format === 'aws-sns' ? BASE64 : HEX;
        const length = format === 'aws-sns' ? 44 : 64;
        const index = value.length - length + (position % length);
        const current = value[index]!.toLowerCase();
        const choices = [...alphabet].filter((c) => (format === 'aws-sns' ? c !== value[index] : c !== current));
        const changed = value.slice(0, index) + choices[replacement % choices.length] + value.slice(index + 1);
        const [sync, async_] = await both(body, { ...headers, [name]: changed }, secret, optionsFor(format));
        expectRejected(sync, async_);
        expect(!sync.ok && sync.code).toBe('signature_mismatch');
      }),
      params(),
    );
  });

  it('a changed signed timestamp (stripe t=, slack header) → signature_mismatch', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('stripe' as const, 'slack' as const),
        secretArb,
        bodyArb,
        fc.integer({ min: -1000, max: 1000 }).filter((d) => d !== 0),
        async (format, secret, body, delta) => {
          const headers = await signWebhook({ body, secret, format, timestamp: FROZEN });
          const moved = String(FROZEN + delta);
          const mutated =
            format === 'stripe'
              ? { ...headers, 'Stripe-Signature': headers['Stripe-Signature']!.replace(`t=${FROZEN}`, `t=${moved}`) }
              : { ...headers, 'X-Slack-Request-Timestamp': moved };
          const [sync, async_] = await both(body, mutated, secret, { ...optionsFor(format), toleranceSeconds: null });
          expectRejected(sync, async_);
          expect(!sync.ok && sync.code).toBe('signature_mismatch');
        },
      ),
      params(1_000),
    );
  });

  it('a clock more than the tolerance away → timestamp_out_of_tolerance; within it → verifies', async () => {
    await fc.assert(
      fc.asyncProperty(
        formatArb,
        secretArb,
        fc.integer({ min: -5000, max: 5000 }),
        fc.integer({ min: 1, max: 900 }),
        async (format, secret, offset, tolerance) => {
          const body = new TextEncoder().encode('{"event":"request.success","timestamp":"2026-01-01T00:00:00Z","data":{}}');
          const headers = await signWebhook({ body, secret, format, headerName: CUSTOM_HEADER, timestamp: FROZEN });
          const options = { ...optionsFor(format, FROZEN + offset), toleranceSeconds: tolerance };
          const [sync, async_] = await both(body, headers, secret, options);
          expect(async_).toStrictEqual(sync);
          if (Math.abs(offset) <= tolerance) expect(sync.ok).toBe(true);
          else expect(!sync.ok && sync.code).toBe('timestamp_out_of_tolerance');
        },
      ),
      params(1_000),
    );
  });
});

describe('property: nothing but WebhookSignatureVerificationError escapes', () => {
  it('replacing the signature header with any value', async () => {
    const anyValue = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.array(fc.string()), fc.anything());
    await fc.assert(
      fc.asyncProperty(formatArb, secretArb, bodyArb, anyValue, async (format, secret, body, value) => {
        const headers: Record<string, unknown> = await signWebhook({ body, secret, format, headerName: CUSTOM_HEADER, timestamp: FROZEN });
        const name = SIGNATURE_HEADER[format];
        const [sync, async_] = await both(body, { ...headers, [name]: value }, secret, optionsFor(format));
        expectRejected(sync, async_);
      }),
      params(),
    );
  });

  it('arbitrary bodies, headers, secrets and options', async () => {
    const headersArb = fc.oneof(
      fc.anything(),
      fc.dictionary(fc.constantFrom(...Object.values(SIGNATURE_HEADER), 'x-slack-request-timestamp', 'X-WEBHOOK-SIGNATURE'), fc.anything()),
    );
    const optionsArb = fc.oneof(
      fc.anything(),
      fc.record(
        { format: fc.oneof(formatArb, fc.anything()), headerName: fc.anything(), toleranceSeconds: fc.anything(), now: fc.constant(frozenAt(FROZEN)) },
        { requiredKeys: [] },
      ),
    );
    const bodyAnyArb = fc.oneof(fc.anything(), fc.string(), bodyArb);
    const secretAnyArb = fc.oneof(fc.anything(), secretArb, fc.array(fc.anything()));
    await fc.assert(
      fc.asyncProperty(bodyAnyArb, headersArb, secretAnyArb, optionsArb, async (body, headers, secret, options) => {
        const [sync, async_] = await both(body, headers, secret, options);
        expectRejected(sync, async_);
      }),
      params(),
    );
  });
});
