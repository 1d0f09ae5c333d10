/**
 * Contract webhooks.md §12 (every negative case), plus the input shapes of §2 and the
 * diagnoses our messages add — always through both verifiers, always checking that the
 * message carries neither the secret nor a signature.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WebhookSignatureVerificationError, webhookErrorStatus } from '../src/errors.js';
import { decodeHex, encodeHex } from '../src/webhooks/signature-encoding.js';
import { cachedKeyCount } from '../src/webhooks/web-crypto-hmac.js';
import { expectEvent, expectFailure, FROZEN, frozenAt, runAsync, runSync, SECRET, verifyBoth } from './webhook-harness.js';

const LEAK_SECRET = 'whsec_test_do_not_leak';
const envelope = (timestamp: string | undefined, extra = '') =>
  `{"event":"request.success",${timestamp === undefined ? '' : `"timestamp":"${timestamp}",`}"data":{}${extra}}`;
const BODY = envelope('2026-01-01T00:00:00Z');
const hmac = (secret: string, message: string | Uint8Array, encoding: 'hex' | 'base64' = 'hex') =>
  createHmac('sha256', secret).update(message).digest(encoding);
const at = (extra: Record<string, unknown> = {}, seconds = FROZEN) => ({ now: frozenAt(seconds), ...extra });

/** Runs both verifiers and asserts the failure, with the leak check on. */
async function fails(body: unknown, headers: unknown, secret: unknown, options: unknown, prefix: string, code: string) {
  const outcome = await verifyBoth(body, headers, secret, options);
  expectFailure(outcome, prefix, code, { body, headers, secret });
  return outcome;
}

describe('§12 negative cases', () => {
  it('wrong secret', async () => {
    const headers = { 'x-webhook-signature': `sha256=${hmac(LEAK_SECRET, BODY)}` };
    await fails(BODY, headers, 'whsec_construct_test', at(), 'webhook signature verification failed', 'signature_mismatch');
    // the message never names the secret the delivery was signed with either
    const outcome = await verifyBoth(BODY, headers, 'whsec_construct_test', at());
    expect(!outcome.ok && outcome.message).not.toContain(LEAK_SECRET);
  });

  it('missing signature header, for every format (lower-case header name in the message)', async () => {
    await fails(BODY, {}, SECRET, at(), 'missing webhook signature header (x-webhook-signature)', 'missing_header');
    await fails(BODY, { 'x-webhook-signature': '   ' }, SECRET, at(), 'missing webhook signature header (x-webhook-signature)', 'missing_header');
    await fails(BODY, { 'x-webhook-signature': [] }, SECRET, at(), 'missing webhook signature header (x-webhook-signature)', 'missing_header');
    await fails(BODY, {}, SECRET, at({ format: 'github' }), 'missing webhook signature header (x-hub-signature-256)', 'missing_header');
    await fails(BODY, {}, SECRET, at({ format: 'stripe' }), 'missing webhook signature header (stripe-signature)', 'missing_header');
    await fails(BODY, {}, SECRET, at({ format: 'slack' }), 'missing webhook signature header (x-slack-signature)', 'missing_header');
    await fails(BODY, {}, SECRET, at({ format: 'aws-sns' }), 'missing webhook signature header (x-amz-sns-signature)', 'missing_header');
    await fails(
      BODY,
      {},
      SECRET,
      at({ format: 'custom', headerName: 'X-Acme-Signature' }),
      'missing webhook signature header (x-acme-signature)',
      'missing_header',
    );
  });

  it('missing header names a header of another format that is present', async () => {
    const headers = { 'Stripe-Signature': `t=${FROZEN},v1=${hmac(SECRET, `${FROZEN}.${BODY}`)}` };
    const outcome = await fails(BODY, headers, SECRET, at(), 'missing webhook signature header (x-webhook-signature)', 'missing_header');
    expect(!outcome.ok && outcome.message).toContain("format: 'stripe'");
  });

  it('stale envelope timestamp: tolerance error; passes with tolerance null', async () => {
    const body = envelope('2025-12-31T22:53:20Z'); // 4000 s old
    const headers = { 'x-webhook-signature': hmac(SECRET, body) };
    await fails(body, headers, SECRET, at(), 'webhook timestamp outside the tolerance window', 'timestamp_out_of_tolerance');
    expectEvent(await verifyBoth(body, headers, SECRET, at({ toleranceSeconds: null })), body);
    expectEvent(await verifyBoth(body, headers, SECRET, at({ toleranceSeconds: 0 })), body);
    expectEvent(await verifyBoth(body, headers, SECRET, at({ toleranceSeconds: 4000 })), body);
  });

  it('correctly signed body that is not JSON', async () => {
    for (const body of ['not json', '', '{"event":', '\uFEFF\uFEFF{}']) {
      await fails(body, { 'x-webhook-signature': hmac(SECRET, body) }, SECRET, at(), 'webhook body is not valid JSON', 'invalid_payload');
    }
  });

  it('correctly signed JSON that is not an object', async () => {
    for (const body of ['[]', '"str"', '42', 'true', 'null', '[{"event":"request.success"}]']) {
      await fails(body, { 'x-webhook-signature': hmac(SECRET, body) }, SECRET, at(), 'webhook body is not a JSON object', 'invalid_payload');
    }
  });

  it('stripe: several v1, one matches → passes; header `nonsense` → malformed', async () => {
    const good = hmac(SECRET, `${FROZEN}.${BODY}`);
    const header = `t=${FROZEN},v1=${'0'.repeat(64)},v1=${good},v1=${'deadbeef'.repeat(8)}`;
    expectEvent(await verifyBoth(BODY, { 'stripe-signature': header }, SECRET, at({ format: 'stripe' })), BODY);
    await fails(BODY, { 'stripe-signature': 'nonsense' }, SECRET, at({ format: 'stripe' }), 'malformed Stripe-Signature header', 'malformed_header');
    await fails(BODY, { 'stripe-signature': `t=${FROZEN}` }, SECRET, at({ format: 'stripe' }), 'malformed Stripe-Signature header', 'malformed_header');
    await fails(BODY, { 'stripe-signature': `v1=${good}` }, SECRET, at({ format: 'stripe' }), 'malformed Stripe-Signature header', 'malformed_header');
    await fails(
      BODY,
      { 'stripe-signature': `t=${FROZEN},v0=${good}` },
      SECRET,
      at({ format: 'stripe' }),
      'malformed Stripe-Signature header',
      'malformed_header',
    );
  });

  it('stripe: t twice → the last wins; unknown parts are ignored', async () => {
    const good = hmac(SECRET, `${FROZEN}.${BODY}`);
    expectEvent(await verifyBoth(BODY, { 'stripe-signature': `t=1,t=${FROZEN},v0=abc,junk,v1=${good}` }, SECRET, at({ format: 'stripe' })), BODY);
  });

  for (const offset of [-4000, 400]) {
    it(`stripe / slack with a timestamp ${offset > 0 ? '+' : ''}${offset} s → tolerance error`, async () => {
      const t = FROZEN + offset;
      const stripeHeaders = { 'stripe-signature': `t=${t},v1=${hmac(SECRET, `${t}.${BODY}`)}` };
      await fails(BODY, stripeHeaders, SECRET, at({ format: 'stripe' }), 'webhook timestamp outside the tolerance window', 'timestamp_out_of_tolerance');
      const slackHeaders = { 'x-slack-request-timestamp': String(t), 'x-slack-signature': `v0=${hmac(SECRET, `v0:${t}:${BODY}`)}` };
      await fails(BODY, slackHeaders, SECRET, at({ format: 'slack' }), 'webhook timestamp outside the tolerance window', 'timestamp_out_of_tolerance');
    });
  }

  it('slack without X-Slack-Request-Timestamp', async () => {
    const headers = { 'x-slack-signature': `v0=${hmac(SECRET, `v0:${FROZEN}:${BODY}`)}` };
    await fails(BODY, headers, SECRET, at({ format: 'slack' }), 'missing webhook signature header (x-slack-request-timestamp)', 'missing_header');
  });

  it('slack with a non-numeric timestamp: malformed while tolerance is on, accepted when off', async () => {
    for (const ts of ['abc', '-1767225600', '+1767225600', '1767225600.5', '1_767_225_600']) {
      const headers = { 'x-slack-request-timestamp': ts, 'x-slack-signature': `v0=${hmac(SECRET, `v0:${ts}:${BODY}`)}` };
      await fails(BODY, headers, SECRET, at({ format: 'slack' }), 'malformed X-Slack-Request-Timestamp header', 'malformed_header');
      expectEvent(await verifyBoth(BODY, headers, SECRET, at({ format: 'slack', toleranceSeconds: null })), BODY);
    }
  });

  it('custom without headerName', async () => {
    for (const headerName of [undefined, '', '   ', 42]) {
      await fails(
        BODY,
        { 'x-webhook-signature': hmac(SECRET, BODY) },
        SECRET,
        at({ format: 'custom', headerName }),
        'header_name is required when format="custom"',
        'invalid_configuration',
      );
    }
  });

  it('unknown format', async () => {
    await fails(BODY, {}, SECRET, at({ format: 'md5' }), "unknown webhook signature format: 'md5'", 'invalid_configuration');
    await fails(BODY, {}, SECRET, at({ format: 'pkcs11' }), "unknown webhook signature format: 'pkcs11'", 'invalid_configuration');
    await fails(BODY, {}, SECRET, at({ format: 'Stripe' }), "unknown webhook signature format: 'Stripe'", 'invalid_configuration');
    await fails(BODY, {}, SECRET, at({ format: null }), "unknown webhook signature format: 'null'", 'invalid_configuration');
  });

  it('a secret passed in the wrong argument is never echoed', async () => {
    const asFormat = await fails(BODY, {}, SECRET, at({ format: LEAK_SECRET }), 'unknown webhook signature format', 'invalid_configuration');
    expect(!asFormat.ok && asFormat.message).not.toContain(LEAK_SECRET);
    const long = 'k'.repeat(80);
    const longFormat = await fails(BODY, {}, long, at({ format: long }), 'unknown webhook signature format', 'invalid_configuration');
    expect(!longFormat.ok && longFormat.message).not.toContain(long);
    const asHeader = await fails(
      BODY,
      {},
      'MySecretValue',
      at({ format: 'custom', headerName: 'MySecretValue' }),
      'missing webhook signature header (',
      'missing_header',
    );
    expect(!asHeader.ok && asHeader.message.toLowerCase()).not.toContain('mysecretvalue');
  });

  it('options are validated before any header is read', async () => {
    await fails(BODY, {}, SECRET, { format: 'md5' }, 'unknown webhook signature format', 'invalid_configuration');
    await fails(BODY, {}, SECRET, { toleranceSeconds: -1 }, 'invalid toleranceSeconds', 'invalid_configuration');
  });

  it('envelope without timestamp (or not a string, or not ISO-8601), tolerance on', async () => {
    const bodies = [
      envelope(undefined),
      '{"event":"request.success","timestamp":1767225600,"data":{}}',
      envelope('yesterday'),
      envelope('2026-02-30T00:00:00Z'),
      envelope('2026-01-01T24:00:00Z'),
      envelope('2026-01-01T00:00:00.1234567890Z'),
      envelope('2026-01-01T00:00:00+0'),
    ];
    for (const body of bodies) {
      await fails(
        body,
        { 'x-webhook-signature': hmac(SECRET, body) },
        SECRET,
        at(),
        'webhook envelope timestamp is missing or invalid',
        'timestamp_out_of_tolerance',
      );
      expectEvent(await verifyBoth(body, { 'x-webhook-signature': hmac(SECRET, body) }, SECRET, at({ toleranceSeconds: null })), body);
    }
  });

  it('envelope timestamp forms the official SDKs send all verify', async () => {
    for (const ts of [
      '2026-01-01T00:00:00.123Z',
      '2026-01-01T00:00:00.123456Z',
      '2026-01-01T00:00:00Z',
      '2026-01-01T00:00:00+00:00',
      '2026-01-01T05:30:00+05:30',
      '2025-12-31T19:00:00-0500',
      '2026-01-01 00:00:00z',
      '2026-01-01t00:00',
      '2026-01-01',
    ]) {
      const body = envelope(ts);
      expectEvent(await verifyBoth(body, { 'x-webhook-signature': hmac(SECRET, body) }, SECRET, at()), body);
    }
  });

  it('negative, NaN, infinite or non-numeric tolerance → invalid_configuration (fail closed)', async () => {
    const headers = { 'x-webhook-signature': hmac(SECRET, BODY) };
    for (const toleranceSeconds of [-1, -300, Number.NaN, Number.POSITIVE_INFINITY, '300', {}]) {
      await fails(BODY, headers, SECRET, at({ toleranceSeconds }), 'invalid toleranceSeconds', 'invalid_configuration');
    }
  });

  it('empty or non-string secret', async () => {
    const headers = { 'x-webhook-signature': hmac(SECRET, BODY) };
    for (const secret of ['', [], [''], [SECRET, ''], undefined, null, 42, { secret: SECRET }]) {
      await fails(BODY, headers, secret, at(), 'webhook secret is required', 'invalid_configuration');
    }
  });

  it('a body that is neither a string nor bytes (e.g. an already-parsed object) is diagnosed', async () => {
    const headers = { 'x-webhook-signature': hmac(SECRET, BODY) };
    const parsed = await fails(JSON.parse(BODY), headers, SECRET, at(), 'webhook body must be a string or bytes', 'invalid_payload');
    expect(!parsed.ok && parsed.message).toContain('was the raw body passed? (it looks like a parsed JSON object)');
    const array = await fails([1, 2], headers, SECRET, at(), 'webhook body must be a string or bytes', 'invalid_payload');
    expect(!array.ok && array.message).toContain('parsed JSON array');
    const missing = await fails(undefined, headers, SECRET, at(), 'webhook body must be a string or bytes', 'invalid_payload');
    expect(!missing.ok && missing.message).toContain('was the raw body passed?');
    for (const body of [null, 42, true, new Uint16Array(4), new Map()]) {
      await fails(body, headers, SECRET, at(), 'webhook body must be a string or bytes', 'invalid_payload');
    }
  });

  it('every failure is a WebhookSignatureVerificationError and a KnoxCallError, with the table status', async () => {
    let error: unknown;
    try {
      const { constructWebhookEvent } = await import('../src/node/webhook-verifier.js');
      constructWebhookEvent(BODY, {}, SECRET);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(WebhookSignatureVerificationError);
    const verificationError = error as WebhookSignatureVerificationError;
    expect(verificationError.status).toBeUndefined();
    expect(verificationError.requestId).toBeUndefined();
    expect(verificationError.headers).toStrictEqual({});
    expect(verificationError.httpStatus).toBe(400);
    expect(webhookErrorStatus('signature_mismatch')).toBe(401);
  });
});

describe('§2 input normalisation', () => {
  const signature = `sha256=${hmac(SECRET, BODY)}`;

  it('headers: plain object in any case (last name wins), Headers, Map, pairs, Node rawHeaders', async () => {
    expectEvent(await verifyBoth(BODY, { 'X-WEBHOOK-SIGNATURE': signature }, SECRET, at()), BODY);
    expectEvent(await verifyBoth(BODY, { 'x-webhook-signature': 'garbage', 'X-Webhook-Signature': signature }, SECRET, at()), BODY);
    await fails(
      BODY,
      { 'X-Webhook-Signature': signature, 'x-webhook-signature': 'garbage' },
      SECRET,
      at(),
      'webhook signature verification failed',
      'signature_mismatch',
    );
    expectEvent(await verifyBoth(BODY, new Headers({ 'X-Webhook-Signature': signature }), SECRET, at()), BODY);
    expectEvent(await verifyBoth(BODY, new Map([['X-Webhook-Signature', signature]]), SECRET, at()), BODY);
    expectEvent(
      await verifyBoth(
        BODY,
        [
          ['content-type', 'application/json'],
          ['X-Webhook-Signature', signature],
        ],
        SECRET,
        at(),
      ),
      BODY,
    );
    expectEvent(await verifyBoth(BODY, ['Content-Type', 'application/json', 'X-Webhook-Signature', signature], SECRET, at()), BODY);
    function* generated() {
      yield ['x-webhook-signature', signature] as const;
    }
    expectEvent(await verifyBoth(BODY, { [Symbol.iterator]: generated }, SECRET, at()), BODY);
    expectEvent(runSync(BODY, generated(), SECRET, at()), BODY); // a one-shot iterator
  });

  it('headers of an unsupported shape count as no headers', async () => {
    for (const headers of [undefined, null, 'x-webhook-signature', 42]) {
      await fails(BODY, headers, SECRET, at(), 'missing webhook signature header (x-webhook-signature)', 'missing_header');
    }
  });

  it('non-string or non-ASCII header values are a mismatch, never an exception', async () => {
    for (const value of [42, { toString: () => signature }, [42], `${signature}é`, `sha256=${'é'.repeat(64)}`]) {
      await fails(BODY, { 'x-webhook-signature': value }, SECRET, at(), 'webhook signature verification failed', 'signature_mismatch');
    }
    const t = FROZEN;
    await fails(
      BODY,
      { 'stripe-signature': `t=${t}é,v1=${hmac(SECRET, `${t}.${BODY}`)}` },
      SECRET,
      at({ format: 'stripe' }),
      'webhook signature verification failed',
      'signature_mismatch',
    );
    await fails(
      BODY,
      { 'x-slack-request-timestamp': `${t}\u00a0x`, 'x-slack-signature': hmac(SECRET, `v0:${t}:${BODY}`) },
      SECRET,
      at({ format: 'slack' }),
      'webhook signature verification failed',
      'signature_mismatch',
    );
  });

  it('sha256= prefix is optional and case-insensitive; wrong lengths and bad hex do not match', async () => {
    const hex = hmac(SECRET, BODY);
    expectEvent(await verifyBoth(BODY, { 'x-webhook-signature': `SHA256=${hex}` }, SECRET, at()), BODY);
    expectEvent(await verifyBoth(BODY, { 'x-webhook-signature': hex }, SECRET, at()), BODY);
    for (const bad of [hex.slice(0, 63), `${hex}0`, `${hex.slice(0, 63)}g`, `sha1=${hex}`, `sha256=sha256=${hex}`]) {
      await fails(BODY, { 'x-webhook-signature': bad }, SECRET, at(), 'webhook signature verification failed', 'signature_mismatch');
    }
  });

  it('the hex after the prefix is read in place: upper case, mixed-case prefix, odd lengths, nothing after it', async () => {
    const hex = hmac(SECRET, BODY);
    expectEvent(await verifyBoth(BODY, { 'x-webhook-signature': `ShA256=${hex.toUpperCase()}` }, SECRET, at()), BODY);
    for (const bad of [
      'sha256=',
      `sha256=${hex.slice(1)}`,
      `sha256=${hex}f`,
      `sha256 ${hex}`,
      `sha256${hex}`,
      `sha256=${hex.slice(0, 62)}zz`,
      `\u0013ha256=${hex}`,
    ]) {
      await fails(BODY, { 'x-webhook-signature': bad }, SECRET, at(), 'webhook signature verification failed', 'signature_mismatch');
    }
    // decodeHex from an offset: exactly the rest of the text, two digits a byte
    expect(decodeHex('sha256=0aFf', 2, 7)).toEqual(new Uint8Array([0x0a, 0xff]));
    expect(decodeHex('sha256=0aF', 2, 7)).toBeUndefined();
    expect(decodeHex('sha256=0aFf0', 2, 7)).toBeUndefined();
    expect(decodeHex('sha256=0aFg', 2, 7)).toBeUndefined();
  });

  it('hex encoding (replay keys) gives two lower-case digits for every byte value, and decodes back', () => {
    const every = Uint8Array.from({ length: 256 }, (_, i) => i);
    const hex = encodeHex(every);
    expect(hex).toBe([...every].map((byte) => byte.toString(16).padStart(2, '0')).join(''));
    expect(decodeHex(hex, 256)).toEqual(every);
    expect(encodeHex(new Uint8Array(0))).toBe('');
  });

  it('hex decoding accepts exactly 0-9, a-f and A-F (every UTF-16 code unit checked)', () => {
    for (let code = 0; code < 0x10000; code++) {
      const char = String.fromCharCode(code);
      const expected = /^[0-9a-fA-F]$/.test(char) ? Number.parseInt(char, 16) : undefined;
      expect(decodeHex(`${char}0`, 1)?.[0]).toBe(expected === undefined ? undefined : expected * 16);
      expect(decodeHex(`0${char}`, 1)?.[0]).toBe(expected);
    }
    expect(decodeHex('00ff', 1)).toBeUndefined();
  });

  it('aws-sns compares the padded standard base64 exactly', async () => {
    const b64 = hmac(SECRET, BODY, 'base64');
    expectEvent(await verifyBoth(BODY, { 'x-amz-sns-signature': ` ${b64} ` }, SECRET, at({ format: 'aws-sns' })), BODY);
    const urlSafe = b64.replace(/\+/g, '-').replace(/\//g, '_');
    for (const bad of [b64.replace(/=+$/, ''), `sha256=${b64}`, hmac(SECRET, BODY), ...(urlSafe === b64 ? [] : [urlSafe])]) {
      await fails(BODY, { 'x-amz-sns-signature': bad }, SECRET, at({ format: 'aws-sns' }), 'webhook signature verification failed', 'signature_mismatch');
    }
  });

  it('secret rotation: any candidate may match, order does not matter', async () => {
    const headers = { 'x-webhook-signature': signature };
    expectEvent(await verifyBoth(BODY, headers, ['whsec_new', SECRET], at()), BODY);
    expectEvent(await verifyBoth(BODY, headers, [SECRET, 'whsec_new'], at()), BODY);
    await fails(BODY, headers, ['whsec_new', 'whsec_newer'], at(), 'webhook signature verification failed', 'signature_mismatch');
  });

  it('a secret with a lone surrogate is hashed as UTF-8 (U+FFFD) by every path alike', async () => {
    const secret = 'whsec_\uD800_half';
    const headers = { 'x-webhook-signature': hmac(secret, BODY) };
    expectEvent(await verifyBoth(BODY, headers, secret, at()), BODY);
    expectEvent(await verifyBoth(BODY, headers, 'whsec_\uFFFD_half', at()), BODY);
  });

  it('imported keys are cached per secret, at most 64', async () => {
    for (let i = 0; i < 100; i++) {
      const secret = `whsec_many_${i}`;
      expectEvent(await verifyBoth(BODY, { 'x-webhook-signature': hmac(secret, BODY) }, secret, at()), BODY);
    }
    expect(cachedKeyCount()).toBeLessThanOrEqual(64);
    expect(cachedKeyCount()).toBeGreaterThan(0);
  });

  it('a leading UTF-8 BOM is ignored, in bytes and in strings alike', async () => {
    const withBom = `\uFEFF${BODY}`;
    const headers = { 'x-webhook-signature': hmac(SECRET, withBom) };
    expectEvent(await verifyBoth(withBom, headers, SECRET, at()), BODY);
    expectEvent(await verifyBoth(Buffer.from(withBom), headers, SECRET, at()), BODY);
  });

  it('a body view into a larger buffer uses only its own bytes', async () => {
    const big = Buffer.from(`xxxx${BODY}yyyy`);
    const view = big.subarray(4, 4 + Buffer.byteLength(BODY));
    expectEvent(await verifyBoth(view, { 'x-webhook-signature': signature }, SECRET, at()), BODY);
    expectEvent(await verifyBoth(new DataView(big.buffer, big.byteOffset + 4, view.length), { 'x-webhook-signature': signature }, SECRET, at()), BODY);
  });

  it('the event is returned unchanged (extra members and unknown event types survive)', async () => {
    const body = '{"event":"something.brand_new","timestamp":"2026-01-01T00:00:00Z","data":[1,2],"extra":{"x":null}}';
    expectEvent(await verifyBoth(body, { 'x-webhook-signature': hmac(SECRET, body) }, SECRET, at()), body);
  });

  it('the clock is injectable in epoch milliseconds; a bad clock is a configuration error', async () => {
    const headers = { 'x-webhook-signature': signature };
    await fails(BODY, headers, SECRET, { now: 'soon' }, 'invalid webhook verification options', 'invalid_configuration');
    await fails(BODY, headers, SECRET, { now: () => Number.NaN }, 'invalid webhook verification options', 'invalid_configuration');
    await fails(BODY, headers, SECRET, 'legacy', 'invalid webhook verification options', 'invalid_configuration');
    // a clock in seconds by mistake looks like 1970 and fails the window rather than passing
    await fails(BODY, headers, SECRET, { now: () => FROZEN }, 'webhook timestamp outside the tolerance window', 'timestamp_out_of_tolerance');
  });
});

describe('diagnoses after the contract message', () => {
  it('a body that looks re-serialized by a JSON parser', async () => {
    const sent = '{ "event": "request.success", "timestamp": "2026-01-01T00:00:00Z", "data": {} }';
    const headers = { 'x-webhook-signature': hmac(SECRET, sent) };
    const reserialized = JSON.stringify(JSON.parse(sent));
    const outcome = await fails(reserialized, headers, SECRET, at(), 'webhook signature verification failed — ', 'signature_mismatch');
    expect(!outcome.ok && outcome.message).toContain('re-serialized');
    const pretty = JSON.stringify(JSON.parse(sent), null, 2);
    const prettyOutcome = await fails(pretty, headers, SECRET, at(), 'webhook signature verification failed — ', 'signature_mismatch');
    expect(!prettyOutcome.ok && prettyOutcome.message).toContain('re-serialized');
    // the raw bytes themselves are not flagged
    const raw = await fails(
      sent,
      { 'x-webhook-signature': hmac('whsec_other', sent) },
      SECRET,
      at(),
      'webhook signature verification failed',
      'signature_mismatch',
    );
    expect(!raw.ok && raw.message).toBe('webhook signature verification failed');
  });

  it('only a string body is diagnosed: bytes come from a raw-body reader, never from a parser', async () => {
    const sent = '{ "event": "request.success", "timestamp": "2026-01-01T00:00:00Z", "data": {} }';
    const headers = { 'x-webhook-signature': hmac(SECRET, sent) };
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(sent)));
    const outcome = await fails(reserialized, headers, SECRET, at(), 'webhook signature verification failed', 'signature_mismatch');
    expect(!outcome.ok && outcome.message).toBe('webhook signature verification failed');
  });

  it('an empty body and "[object Object]"', async () => {
    const headers = { 'x-webhook-signature': hmac(SECRET, BODY) };
    const empty = await fails('', headers, SECRET, at(), 'webhook signature verification failed — ', 'signature_mismatch');
    expect(!empty.ok && empty.message).toContain('empty');
    const objectString = await fails(String({}), headers, SECRET, at(), 'webhook signature verification failed — ', 'signature_mismatch');
    expect(!objectString.ok && objectString.message).toContain('[object Object]');
  });
});

describe('async variants reject, never throw synchronously', () => {
  it('for every kind of failure', async () => {
    for (const [body, headers, secret, options] of [
      [{}, {}, SECRET, undefined],
      [BODY, {}, '', undefined],
      [BODY, {}, SECRET, { format: 'md5' }],
      [BODY, {}, SECRET, undefined],
    ] as const) {
      const outcome = await runAsync(body, headers, secret, options);
      expect(outcome.ok).toBe(false);
      expect(runSync(body, headers, secret, options)).toStrictEqual(outcome);
    }
  });
});
