/**
 * Every test vector of contract webhooks.md §11 through both verifiers, with the contract's
 * frozen clock (2026-01-01T00:00:00Z) and tolerance 300 unless stated.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyWebhookSignatureAsync } from '../src/webhooks/index.js';
import { verifyWebhookSignature } from '../src/node/webhook-verifier.js';
import { checkSignatureWith } from '../src/webhooks/verify-async.js';
import { expectEvent, expectFailure, FROZEN, frozenAt, SECRET, verifyBoth } from './webhook-harness.js';

const VECTOR_A = '{"event":"request.success","timestamp":"2026-01-01T00:00:00Z","data":{}}';
const VECTOR_B =
  '{"event":"request.success","timestamp":"2026-01-01T00:00:00Z","webhook_id":"wh_123","webhook_name":"orders-hook","data":{"route_id":"r_1","route_name":"orders","environment":"production","request":{"method":"POST","path":"/v1/orders","ip":"203.0.113.9"},"response":{"status":201,"latency_ms":42}}}';
const A_HEX = 'ed8f955e0bfdd4976d135b961f32cde519b89e8ca71261a78357a35a6c10a7e0';
const A_B64 = '7Y+VXgv91JdtE1uWHzLN5Rm4noynEmGng1ejWmwQp+A=';
const A_STRIPE = '5017a6a1b29f4f07985fb1e04c1e6ca68176892e29759ddd77c28b3feee296a1';
const A_SLACK = '182cf2952a095b22c4453d8ce28ca42fa332f96e9cbb4b78eb80aa1a88c0e898';

const at = (seconds = FROZEN, extra: Record<string, unknown> = {}) => ({ now: frozenAt(seconds), ...extra });
const TOLERANCE = 'webhook timestamp outside the tolerance window';

describe('vector bodies', () => {
  it('are byte-exact as the contract states', () => {
    expect(Buffer.byteLength(VECTOR_A)).toBe(72);
    expect(Buffer.byteLength(VECTOR_B)).toBe(297);
    expect(createHash('sha256').update(VECTOR_B).digest('hex')).toBe('19671a81c5dfc5a60d3e4bdd00b69da4880913fb68b24bd5800a4e54a1594e46');
  });
});

describe('Vector A — every format, string and bytes bodies', () => {
  const cases: Array<[string, Record<string, string>, Record<string, unknown>]> = [
    ['legacy', { 'X-Webhook-Signature': `sha256=${A_HEX}` }, {}],
    ['github', { 'X-Hub-Signature-256': `sha256=${A_HEX}` }, { format: 'github' }],
    ['custom', { 'X-Acme-Signature': `sha256=${A_HEX}` }, { format: 'custom', headerName: 'X-Acme-Signature' }],
    ['aws-sns', { 'x-amz-sns-signature': A_B64 }, { format: 'aws-sns' }],
    ['stripe', { 'Stripe-Signature': `t=${FROZEN},v1=${A_STRIPE}` }, { format: 'stripe' }],
    ['slack', { 'X-Slack-Request-Timestamp': String(FROZEN), 'X-Slack-Signature': `v0=${A_SLACK}` }, { format: 'slack' }],
  ];
  for (const [name, headers, options] of cases) {
    it(`${name}: event returned`, async () => {
      expectEvent(await verifyBoth(VECTOR_A, headers, SECRET, at(FROZEN, options)), VECTOR_A);
      expectEvent(await verifyBoth(new TextEncoder().encode(VECTOR_A), headers, SECRET, at(FROZEN, options)), VECTOR_A);
      expectEvent(await verifyBoth(Buffer.from(VECTOR_A), new Headers(headers), SECRET, at(FROZEN, options)), VECTOR_A);
    });
  }
});

describe('Vector B', () => {
  it('verifies in legacy, aws-sns, stripe and slack', async () => {
    expectEvent(
      await verifyBoth(VECTOR_B, { 'x-webhook-signature': '391020a777034c7bdbc34cecacdbfaae0eafafefc094b4207ca08619df14fc08' }, SECRET, at()),
      VECTOR_B,
    );
    expectEvent(
      await verifyBoth(VECTOR_B, { 'x-amz-sns-signature': 'ORAgp3cDTHvbw0zsrNv6rg6vr+/AlLQgfKCGGd8U/Ag=' }, SECRET, at(FROZEN, { format: 'aws-sns' })),
      VECTOR_B,
    );
    expectEvent(
      await verifyBoth(
        VECTOR_B,
        { 'stripe-signature': `t=${FROZEN},v1=3c21a922a3a2fd371095328c0b5e973841f55265f387cf50a8b48d52edde6ff7` },
        SECRET,
        at(FROZEN, { format: 'stripe' }),
      ),
      VECTOR_B,
    );
    expectEvent(
      await verifyBoth(
        VECTOR_B,
        { 'x-slack-request-timestamp': String(FROZEN), 'x-slack-signature': 'v0=8a532f924cdcdbb88f3c765baf8e055547ecc644027dbaad05f212913e1943b5' },
        SECRET,
        at(FROZEN, { format: 'slack' }),
      ),
      VECTOR_B,
    );
  });

  it('the signature made with the whsec_-stripped key does NOT verify (the prefix is part of the key)', async () => {
    const headers = { 'x-webhook-signature': '1f6eb117cf18fdb5ead87e1be05452ff0f5088b3b00ddb7db42dd1d8f8eba0e3' };
    expectFailure(await verifyBoth(VECTOR_B, headers, SECRET, at()), 'webhook signature verification failed', 'signature_mismatch', {
      body: VECTOR_B,
      headers,
      secret: SECRET,
    });
    expectEvent(await verifyBoth(VECTOR_B, headers, 'test_secret', at()), VECTOR_B);
  });

  it('the typed event keeps every member', async () => {
    const outcome = await verifyBoth(VECTOR_B, { 'x-webhook-signature': '391020a777034c7bdbc34cecacdbfaae0eafafefc094b4207ca08619df14fc08' }, SECRET, at());
    expect(outcome.ok && outcome.event).toMatchObject({ webhook_id: 'wh_123', data: { response: { status: 201, latency_ms: 42 } } });
  });
});

describe('derived vectors C1–C19', () => {
  const legacy = (value: string | string[]) => ({ 'x-webhook-signature': value });
  const stripe = (value: string) => ({ 'stripe-signature': value });
  const slack = (ts: string, sig: string) => ({ 'x-slack-request-timestamp': ts, 'x-slack-signature': sig });

  it('C1 upper-case hex', async () => {
    expectEvent(await verifyBoth(VECTOR_A, legacy(`sha256=${A_HEX.toUpperCase()}`), SECRET, at()), VECTOR_A);
  });
  it('C2 surrounding whitespace', async () => {
    expectEvent(await verifyBoth(VECTOR_A, legacy(`  sha256=${A_HEX}  `), SECRET, at()), VECTOR_A);
  });
  it('C3 array header uses its first element', async () => {
    expectEvent(await verifyBoth(VECTOR_A, legacy([`sha256=${A_HEX}`, 'garbage']), SECRET, at()), VECTOR_A);
  });
  it('C4 slack without v0=', async () => {
    expectEvent(await verifyBoth(VECTOR_A, slack(String(FROZEN), A_SLACK), SECRET, at(FROZEN, { format: 'slack' })), VECTOR_A);
  });
  it('C5 stripe with several v1', async () => {
    const header = `t=${FROZEN},v1=${'deadbeef'.repeat(8)},v1=${A_STRIPE}`;
    expectEvent(await verifyBoth(VECTOR_A, stripe(header), SECRET, at(FROZEN, { format: 'stripe' })), VECTOR_A);
  });
  it('C6 stripe with spaces', async () => {
    expectEvent(await verifyBoth(VECTOR_A, stripe(`t=${FROZEN}, v1=${A_STRIPE}`), SECRET, at(FROZEN, { format: 'stripe' })), VECTOR_A);
  });
  it('C7 stale stripe: tolerance error; off → event', async () => {
    const headers = stripe('t=1767221600,v1=4c22dd42c1327d351806c5afbb34bd07a48991e936e6985d46fc117658ea9867');
    expectFailure(await verifyBoth(VECTOR_A, headers, SECRET, at(FROZEN, { format: 'stripe' })), TOLERANCE, 'timestamp_out_of_tolerance', {
      body: VECTOR_A,
      headers,
      secret: SECRET,
    });
    expectEvent(await verifyBoth(VECTOR_A, headers, SECRET, at(FROZEN, { format: 'stripe', toleranceSeconds: null })), VECTOR_A);
  });
  it('C8 future stripe: tolerance error; off → event', async () => {
    const headers = stripe('t=1767226000,v1=2e2c21f4935f3f704bd7316c3dcc30a99ed79e63c242dfb378ccdaa4ba3f8ede');
    expectFailure(await verifyBoth(VECTOR_A, headers, SECRET, at(FROZEN, { format: 'stripe' })), TOLERANCE, 'timestamp_out_of_tolerance');
    expectEvent(await verifyBoth(VECTOR_A, headers, SECRET, at(FROZEN, { format: 'stripe', toleranceSeconds: null })), VECTOR_A);
  });
  it('C9 stale slack', async () => {
    const headers = slack('1767221600', 'v0=3137ee152bc7c76e52b6c1a05730531aa3004308ddbddd3467ff4a082e5ee8d3');
    expectFailure(await verifyBoth(VECTOR_A, headers, SECRET, at(FROZEN, { format: 'slack' })), TOLERANCE, 'timestamp_out_of_tolerance');
    expectEvent(await verifyBoth(VECTOR_A, headers, SECRET, at(FROZEN, { format: 'slack', toleranceSeconds: 0 })), VECTOR_A);
  });
  it('C10 future slack', async () => {
    const headers = slack('1767226000', 'v0=abc811218d1da86981c6d4b72cccfd86f52fd154f7f8c2444d1c03be0bd681f9');
    expectFailure(await verifyBoth(VECTOR_A, headers, SECRET, at(FROZEN, { format: 'slack' })), TOLERANCE, 'timestamp_out_of_tolerance');
  });
  it('C11 non-numeric stripe t: malformed with tolerance on; event with tolerance null', async () => {
    const headers = stripe('t=abc,v1=7ef2230a0e7085cda375b848720cdd5eddd67c94c45eecdecc84a3be53f0f331');
    expectFailure(await verifyBoth(VECTOR_A, headers, SECRET, at(FROZEN, { format: 'stripe' })), 'malformed Stripe-Signature timestamp', 'malformed_header');
    expectEvent(await verifyBoth(VECTOR_A, headers, SECRET, at(FROZEN, { format: 'stripe', toleranceSeconds: null })), VECTOR_A);
  });
  it('C12 stale envelope (legacy and aws-sns); null → event', async () => {
    const body = '{"event":"request.success","timestamp":"2025-12-31T23:00:00Z","data":{}}';
    expect(Buffer.byteLength(body)).toBe(72);
    const headers = legacy('sha256=e36c422d70970137b93cf8f64fac74f4c2704f0e5dc374f6bb6ffa04a42be5dd');
    const sns = { 'x-amz-sns-signature': '42xCLXCXATe5PPj2T6x09MJwTw5dw3T2u2/6BKQr5d0=' };
    expectFailure(await verifyBoth(body, headers, SECRET, at()), TOLERANCE, 'timestamp_out_of_tolerance');
    expectFailure(await verifyBoth(body, sns, SECRET, at(FROZEN, { format: 'aws-sns' })), TOLERANCE, 'timestamp_out_of_tolerance');
    expectEvent(await verifyBoth(body, headers, SECRET, at(FROZEN, { toleranceSeconds: null })), body);
    expectEvent(await verifyBoth(body, sns, SECRET, at(FROZEN, { format: 'aws-sns', toleranceSeconds: null })), body);
  });
  it('C13 future envelope (clock 400 s earlier)', async () => {
    expectFailure(await verifyBoth(VECTOR_A, legacy(`sha256=${A_HEX}`), SECRET, at(1767225200)), TOLERANCE, 'timestamp_out_of_tolerance');
  });
  it('C14 boundary: a difference of exactly 300 passes, 301 does not', async () => {
    expectEvent(await verifyBoth(VECTOR_A, legacy(`sha256=${A_HEX}`), SECRET, at(1767225300)), VECTOR_A);
    expectEvent(await verifyBoth(VECTOR_A, legacy(`sha256=${A_HEX}`), SECRET, at(1767225900)), VECTOR_A);
    expectFailure(await verifyBoth(VECTOR_A, legacy(`sha256=${A_HEX}`), SECRET, at(1767225901)), TOLERANCE, 'timestamp_out_of_tolerance');
    // the clock is used in whole seconds: 300.999 s later is still "300"
    expectEvent(await verifyBoth(VECTOR_A, legacy(`sha256=${A_HEX}`), SECRET, { now: () => 1767225900999 }), VECTOR_A);
  });
  it('C15 +00:00 offset', async () => {
    const body = '{"event":"request.success","timestamp":"2026-01-01T00:00:00+00:00","data":{}}';
    expect(Buffer.byteLength(body)).toBe(77);
    expectEvent(await verifyBoth(body, legacy('sha256=b1a75e3a2a15f51384fe66b164f6cf99c8c6c057fd48d9b295a312eb35fb3cee'), SECRET, at()), body);
  });
  it('C16 zone-less timestamp is UTC on any host time zone', async () => {
    const body = '{"event":"request.success","timestamp":"2026-01-01T00:00:00","data":{}}';
    expect(Buffer.byteLength(body)).toBe(71);
    const previous = process.env.TZ;
    try {
      for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Kiritimati']) {
        process.env.TZ = tz;
        expectEvent(await verifyBoth(body, legacy('sha256=aa1081a7a269a5427c486e420d67c43d3f033bdba2aae8b04db422b00d3cb80e'), SECRET, at()), body);
      }
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
  });
  it('C17 valid signature over non-UTF-8 bytes → not valid JSON', async () => {
    const body = new Uint8Array([0xff, 0xfe, 0x7b, 0x7d]);
    const headers = legacy('sha256=c8c6c6f4d1792e6d03a83cf823457a1cc60b27cce6c60f34c2a43d0780a15431');
    expectFailure(await verifyBoth(body, headers, SECRET, at()), 'webhook body is not valid JSON', 'invalid_payload', { body, headers, secret: SECRET });
    expectFailure(await verifyBoth(body.buffer, headers, SECRET, at()), 'webhook body is not valid JSON', 'invalid_payload');
    expectFailure(await verifyBoth(new DataView(body.buffer), headers, SECRET, at()), 'webhook body is not valid JSON', 'invalid_payload');
  });
  it('C18 valid signature over a JSON array → not a JSON object', async () => {
    const headers = legacy('sha256=567aa347426322b17b6e45fb852d2d75ffb4959b96fd71716b512ea403c06393');
    expectFailure(await verifyBoth('[]', headers, SECRET, at()), 'webhook body is not a JSON object', 'invalid_payload', {
      body: '[]',
      headers,
      secret: SECRET,
    });
  });
  it('C19 non-ASCII secret: the key is its UTF-8 bytes', async () => {
    const headers = legacy('sha256=7e95613d6da0a5913794c5724b8dc9dc0340630005ccc8f390de7c30efe92cd8');
    expectEvent(await verifyBoth(VECTOR_A, headers, 'sécret', at()), VECTOR_A);
    expectEvent(await verifyBoth(VECTOR_A, headers, 'se\u0301cret'.normalize('NFC'), at()), VECTOR_A);
    expectFailure(await verifyBoth(VECTOR_A, headers, 'se\u0301cret', at()), 'webhook signature verification failed', 'signature_mismatch');
  });
});

describe('yes/no check (verifyWebhookSignature) with Vector A', () => {
  const both = async (params: Parameters<typeof verifyWebhookSignature>[0]) => {
    const sync = verifyWebhookSignature(params);
    const async_ = await verifyWebhookSignatureAsync(params);
    expect(async_).toBe(sync);
    expect(await checkSignatureWith(undefined, params)).toBe(sync); // Web Crypto alone
    return sync;
  };
  const clock = frozenAt(FROZEN);

  it('matches the contract list', async () => {
    expect(await both({ rawBody: VECTOR_A, signature: A_HEX, secret: SECRET })).toBe(true);
    expect(await both({ rawBody: VECTOR_A, signature: A_HEX, secret: 'whsec_wrong' })).toBe(false);
    expect(await both({ rawBody: VECTOR_A, signature: A_HEX, secret: SECRET, timestamp: FROZEN, toleranceSeconds: 300, now: clock })).toBe(true);
    expect(await both({ rawBody: VECTOR_A, signature: A_HEX, secret: SECRET, timestamp: FROZEN - 600, toleranceSeconds: 30, now: clock })).toBe(false);
    expect(await both({ rawBody: VECTOR_A, signature: A_HEX, secret: SECRET, timestamp: FROZEN, toleranceSeconds: 0, now: clock })).toBe(true);
    expect(await both({ rawBody: VECTOR_A, signature: A_HEX, secret: SECRET, timestamp: FROZEN - 1, toleranceSeconds: 0, now: clock })).toBe(false);
    expect(await both({ rawBody: VECTOR_A, signature: `sha256=${A_HEX}`, secret: SECRET })).toBe(true);
  });

  it('future timestamps beyond the window fail too; the window needs both values', async () => {
    expect(await both({ rawBody: VECTOR_A, signature: A_HEX, secret: SECRET, timestamp: FROZEN + 31, toleranceSeconds: 30, now: clock })).toBe(false);
    expect(await both({ rawBody: VECTOR_A, signature: A_HEX, secret: SECRET, timestamp: FROZEN - 600, now: clock })).toBe(true);
    expect(await both({ rawBody: VECTOR_A, signature: A_HEX, secret: SECRET, toleranceSeconds: 0, now: clock })).toBe(true);
  });

  it('accepts upper case, whitespace, bytes and rotation arrays; never throws on junk', async () => {
    expect(await both({ rawBody: VECTOR_A, signature: ` SHA256=${A_HEX.toUpperCase()} `, secret: SECRET })).toBe(true);
    expect(await both({ rawBody: Buffer.from(VECTOR_A), signature: A_HEX, secret: ['whsec_old', SECRET] })).toBe(true);
    expect(await both({ rawBody: VECTOR_A, signature: A_HEX, secret: SECRET, timestamp: FROZEN, toleranceSeconds: -1, now: clock })).toBe(false);
    expect(await both({ rawBody: VECTOR_A, signature: A_HEX, secret: SECRET, toleranceSeconds: Number.NaN })).toBe(false);
    // biome-ignore lint/suspicious/noExplicitAny: deliberately malformed input
    const junk: any[] = [
      undefined,
      null,
      42,
      'x',
      { rawBody: { a: 1 }, signature: A_HEX, secret: SECRET },
      { rawBody: VECTOR_A, signature: 7, secret: SECRET },
      { rawBody: VECTOR_A, signature: A_HEX, secret: '' },
      { rawBody: VECTOR_A, signature: A_HEX, secret: [] },
      { rawBody: VECTOR_A, signature: 'é'.repeat(64), secret: SECRET },
    ];
    for (const params of junk) expect(await both(params)).toBe(false);
  });
});
