import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { signWebhook, WEBHOOK_HMAC_FORMATS, type WebhookHmacFormat } from '../src/signer/index.js';

// Every signing output of contract/webhooks.md §11, reproduced byte for byte.
const SECRET = 'whsec_test_secret';
const T = 1767225600; // 2026-01-01T00:00:00Z, the contract's frozen clock

const VECTOR_A = '{"event":"request.success","timestamp":"2026-01-01T00:00:00Z","data":{}}';
const VECTOR_B =
  '{"event":"request.success","timestamp":"2026-01-01T00:00:00Z","webhook_id":"wh_123","webhook_name":"orders-hook","data":{"route_id":"r_1","route_name":"orders","environment":"production","request":{"method":"POST","path":"/v1/orders","ip":"203.0.113.9"},"response":{"status":201,"latency_ms":42}}}';

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

describe('test vector bodies (guards the fixtures themselves)', () => {
  it('Vector A is 72 bytes and Vector B is 297 bytes with the contract SHA-256', async () => {
    expect(new TextEncoder().encode(VECTOR_A).byteLength).toBe(72);
    expect(new TextEncoder().encode(VECTOR_B).byteLength).toBe(297);
    expect(await sha256Hex(VECTOR_B)).toBe('19671a81c5dfc5a60d3e4bdd00b69da4880913fb68b24bd5800a4e54a1594e46');
  });
});

describe('Vector A', () => {
  const legacy = 'sha256=ed8f955e0bfdd4976d135b961f32cde519b89e8ca71261a78357a35a6c10a7e0';

  it('legacy', async () => {
    expect(await signWebhook({ body: VECTOR_A, secret: SECRET, format: 'legacy' })).toEqual({
      'X-Webhook-Signature': legacy,
    });
  });

  it('github', async () => {
    expect(await signWebhook({ body: VECTOR_A, secret: SECRET, format: 'github' })).toEqual({
      'X-Hub-Signature-256': legacy,
    });
  });

  it('custom, under the caller-given header name exactly as written', async () => {
    expect(await signWebhook({ body: VECTOR_A, secret: SECRET, format: 'custom', headerName: 'X-Acme-Signature' })).toEqual({ 'X-Acme-Signature': legacy });
    expect(await signWebhook({ body: VECTOR_A, secret: SECRET, format: 'custom', headerName: 'x-acme-sig' })).toEqual({
      'x-acme-sig': legacy,
    });
  });

  it('aws-sns (padded standard base64, 44 chars)', async () => {
    const headers = await signWebhook({ body: VECTOR_A, secret: SECRET, format: 'aws-sns' });
    expect(headers).toEqual({ 'x-amz-sns-signature': '7Y+VXgv91JdtE1uWHzLN5Rm4noynEmGng1ejWmwQp+A=' });
    expect(headers['x-amz-sns-signature']).toHaveLength(44);
  });

  it('stripe', async () => {
    expect(await signWebhook({ body: VECTOR_A, secret: SECRET, format: 'stripe', timestamp: T })).toEqual({
      'Stripe-Signature': 't=1767225600,v1=5017a6a1b29f4f07985fb1e04c1e6ca68176892e29759ddd77c28b3feee296a1',
    });
  });

  it('slack (signature and timestamp headers)', async () => {
    expect(await signWebhook({ body: VECTOR_A, secret: SECRET, format: 'slack', timestamp: T })).toEqual({
      'X-Slack-Signature': 'v0=182cf2952a095b22c4453d8ce28ca42fa332f96e9cbb4b78eb80aa1a88c0e898',
      'X-Slack-Request-Timestamp': '1767225600',
    });
  });

  it('C1: the signer writes lower-case hex (the upper-case form is the same digest)', async () => {
    const { 'X-Webhook-Signature': value } = await signWebhook({ body: VECTOR_A, secret: SECRET, format: 'legacy' });
    expect(value).toBe(value!.toLowerCase());
    expect(value!.slice(7).toUpperCase()).toBe('ED8F955E0BFDD4976D135B961F32CDE519B89E8CA71261A78357A35A6C10A7E0');
  });
});

describe('Vector B', () => {
  it('legacy, github and custom hex', async () => {
    const expected = 'sha256=391020a777034c7bdbc34cecacdbfaae0eafafefc094b4207ca08619df14fc08';
    expect(await signWebhook({ body: VECTOR_B, secret: SECRET, format: 'legacy' })).toEqual({
      'X-Webhook-Signature': expected,
    });
    expect(await signWebhook({ body: VECTOR_B, secret: SECRET, format: 'github' })).toEqual({
      'X-Hub-Signature-256': expected,
    });
    expect(await signWebhook({ body: VECTOR_B, secret: SECRET, format: 'custom', headerName: 'X-Acme-Signature' })).toEqual({ 'X-Acme-Signature': expected });
  });

  it('aws-sns', async () => {
    expect(await signWebhook({ body: VECTOR_B, secret: SECRET, format: 'aws-sns' })).toEqual({
      'x-amz-sns-signature': 'ORAgp3cDTHvbw0zsrNv6rg6vr+/AlLQgfKCGGd8U/Ag=',
    });
  });

  it('stripe v1 at t=1767225600', async () => {
    expect(await signWebhook({ body: VECTOR_B, secret: SECRET, format: 'stripe', timestamp: T })).toEqual({
      'Stripe-Signature': 't=1767225600,v1=3c21a922a3a2fd371095328c0b5e973841f55265f387cf50a8b48d52edde6ff7',
    });
  });

  it('slack v0 at ts 1767225600', async () => {
    expect(await signWebhook({ body: VECTOR_B, secret: SECRET, format: 'slack', timestamp: T })).toEqual({
      'X-Slack-Signature': 'v0=8a532f924cdcdbb88f3c765baf8e055547ecc644027dbaad05f212913e1943b5',
      'X-Slack-Request-Timestamp': '1767225600',
    });
  });

  it("the whsec_ prefix is part of the key: `test_secret` gives the contract's wrong-key value", async () => {
    const wrong = await signWebhook({ body: VECTOR_B, secret: 'test_secret', format: 'legacy' });
    expect(wrong).toEqual({
      'X-Webhook-Signature': 'sha256=1f6eb117cf18fdb5ead87e1be05452ff0f5088b3b00ddb7db42dd1d8f8eba0e3',
    });
  });
});

describe('derived vectors C7–C19', () => {
  const stripe = async (timestamp: number | string, body: string = VECTOR_A) =>
    (await signWebhook({ body, secret: SECRET, format: 'stripe', timestamp }))['Stripe-Signature'];
  const slack = (timestamp: number) => signWebhook({ body: VECTOR_A, secret: SECRET, format: 'slack', timestamp });
  const legacy = async (body: string | Uint8Array, secret = SECRET) => (await signWebhook({ body, secret, format: 'legacy' }))['X-Webhook-Signature'];

  it('C7 stale stripe (t − 4000 s)', async () => {
    expect(await stripe(T - 4000)).toBe('t=1767221600,v1=4c22dd42c1327d351806c5afbb34bd07a48991e936e6985d46fc117658ea9867');
  });

  it('C8 future stripe (t + 400 s)', async () => {
    expect(await stripe(T + 400)).toBe('t=1767226000,v1=2e2c21f4935f3f704bd7316c3dcc30a99ed79e63c242dfb378ccdaa4ba3f8ede');
  });

  it('C9 stale slack', async () => {
    expect(await slack(T - 4000)).toEqual({
      'X-Slack-Signature': 'v0=3137ee152bc7c76e52b6c1a05730531aa3004308ddbddd3467ff4a082e5ee8d3',
      'X-Slack-Request-Timestamp': '1767221600',
    });
  });

  it('C10 future slack', async () => {
    expect(await slack(T + 400)).toEqual({
      'X-Slack-Signature': 'v0=abc811218d1da86981c6d4b72cccfd86f52fd154f7f8c2444d1c03be0bd681f9',
      'X-Slack-Request-Timestamp': '1767226000',
    });
  });

  it('C11 non-numeric stripe t, written verbatim', async () => {
    expect(await stripe('abc')).toBe('t=abc,v1=7ef2230a0e7085cda375b848720cdd5eddd67c94c45eecdecc84a3be53f0f331');
  });

  it('C12 stale envelope, legacy and aws-sns', async () => {
    const body = '{"event":"request.success","timestamp":"2025-12-31T23:00:00Z","data":{}}';
    expect(new TextEncoder().encode(body).byteLength).toBe(72);
    expect(await legacy(body)).toBe('sha256=e36c422d70970137b93cf8f64fac74f4c2704f0e5dc374f6bb6ffa04a42be5dd');
    expect(await signWebhook({ body, secret: SECRET, format: 'aws-sns' })).toEqual({
      'x-amz-sns-signature': '42xCLXCXATe5PPj2T6x09MJwTw5dw3T2u2/6BKQr5d0=',
    });
  });

  it('C15 +00:00 offset body', async () => {
    const body = '{"event":"request.success","timestamp":"2026-01-01T00:00:00+00:00","data":{}}';
    expect(new TextEncoder().encode(body).byteLength).toBe(77);
    expect(await legacy(body)).toBe('sha256=b1a75e3a2a15f51384fe66b164f6cf99c8c6c057fd48d9b295a312eb35fb3cee');
  });

  it('C16 zone-less timestamp body', async () => {
    const body = '{"event":"request.success","timestamp":"2026-01-01T00:00:00","data":{}}';
    expect(new TextEncoder().encode(body).byteLength).toBe(71);
    expect(await legacy(body)).toBe('sha256=aa1081a7a269a5427c486e420d67c43d3f033bdba2aae8b04db422b00d3cb80e');
  });

  it('C17 non-UTF-8 bytes are signed as they are', async () => {
    expect(await legacy(new Uint8Array([0xff, 0xfe, 0x7b, 0x7d]))).toBe('sha256=c8c6c6f4d1792e6d03a83cf823457a1cc60b27cce6c60f34c2a43d0780a15431');
  });

  it('C18 JSON array body', async () => {
    expect(await legacy('[]')).toBe('sha256=567aa347426322b17b6e45fb852d2d75ffb4959b96fd71716b512ea403c06393');
  });

  it('C19 non-ASCII secret: the key is its UTF-8 bytes', async () => {
    expect(await legacy(VECTOR_A, 'sécret')).toBe('sha256=7e95613d6da0a5913794c5724b8dc9dc0340630005ccc8f390de7c30efe92cd8');
    // NFD spelling of the same visible secret is different bytes, hence a different key.
    expect(await legacy(VECTOR_A, 'se\u0301cret')).not.toBe('sha256=7e95613d6da0a5913794c5724b8dc9dc0340630005ccc8f390de7c30efe92cd8');
  });
});

describe('body forms', () => {
  const bytes = new TextEncoder().encode(VECTOR_B);

  it.each(WEBHOOK_HMAC_FORMATS)('%s: string, Uint8Array, ArrayBuffer, DataView and an offset view sign identically', async (format: WebhookHmacFormat) => {
    const sign = (body: Parameters<typeof signWebhook>[0]['body']) =>
      signWebhook({ body, secret: SECRET, format, headerName: 'X-Acme-Signature', timestamp: T });
    // The same bytes in the middle of a larger buffer: only the viewed window may be signed.
    const padded = new Uint8Array(bytes.byteLength + 10);
    padded.set(bytes, 5);
    const fromString = await sign(VECTOR_B);
    expect(await sign(bytes)).toEqual(fromString);
    expect(await sign(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))).toEqual(fromString);
    expect(await sign(new DataView(padded.buffer, 5, bytes.byteLength))).toEqual(fromString);
    expect(await sign(padded.subarray(5, 5 + bytes.byteLength))).toEqual(fromString);
  });

  it('bytes from another realm (vm, jsdom, iframes) sign the same', async () => {
    const foreign = vm.runInNewContext(
      '(() => { const buffer = new ArrayBuffer(source.length); new Uint8Array(buffer).set(source); return { buffer, view: new Uint8Array(buffer) }; })()',
      { source: bytes },
    ) as { buffer: ArrayBuffer; view: Uint8Array };
    expect(foreign.buffer instanceof ArrayBuffer).toBe(false); // really foreign
    const expected = await signWebhook({ body: VECTOR_B, secret: SECRET, format: 'legacy' });
    expect(await signWebhook({ body: foreign.buffer, secret: SECRET, format: 'legacy' })).toEqual(expected);
    expect(await signWebhook({ body: foreign.view, secret: SECRET, format: 'legacy' })).toEqual(expected);
  });

  it('a multi-byte string is signed as UTF-8', async () => {
    const text = '{"event":"x","data":{"name":"Zoë 🚀"}}';
    const asString = await signWebhook({ body: text, secret: SECRET, format: 'legacy' });
    const asBytes = await signWebhook({ body: new TextEncoder().encode(text), secret: SECRET, format: 'legacy' });
    expect(asString).toEqual(asBytes);
  });

  it("one changed body byte changes every format's signature", async () => {
    const tampered = VECTOR_A.replace('success', 'Success');
    for (const format of WEBHOOK_HMAC_FORMATS) {
      const options = { secret: SECRET, format, headerName: 'X-Acme-Signature', timestamp: T } as const;
      expect(await signWebhook({ ...options, body: tampered })).not.toEqual(await signWebhook({ ...options, body: VECTOR_A }));
    }
  });
});

describe('timestamp', () => {
  it('defaults to the current Unix second for stripe and slack', async () => {
    const before = Math.floor(Date.now() / 1000);
    const stripe = await signWebhook({ body: VECTOR_A, secret: SECRET, format: 'stripe' });
    const slack = await signWebhook({ body: VECTOR_A, secret: SECRET, format: 'slack' });
    const after = Math.floor(Date.now() / 1000);
    const t = Number(/^t=(\d+),v1=[0-9a-f]{64}$/.exec(stripe['Stripe-Signature']!)?.[1]);
    const ts = Number(slack['X-Slack-Request-Timestamp']);
    for (const value of [t, ts]) {
      expect(value).toBeGreaterThanOrEqual(before);
      expect(value).toBeLessThanOrEqual(after);
    }
    // And the default-timestamp signature is the one for that explicit timestamp.
    expect(await signWebhook({ body: VECTOR_A, secret: SECRET, format: 'stripe', timestamp: t })).toEqual(stripe);
  });

  it('is not part of the legacy/github/custom/aws-sns signature', async () => {
    for (const format of ['legacy', 'github', 'custom', 'aws-sns'] as const) {
      const sign = (timestamp: number) => signWebhook({ body: VECTOR_A, secret: SECRET, format, headerName: 'X-Acme-Signature', timestamp });
      expect(await sign(T)).toEqual(await sign(T - 4000));
    }
  });
});

describe('bad input fails with a TypeError that names the fix', () => {
  const base = { body: VECTOR_A, secret: SECRET } as const;

  it('custom without headerName', async () => {
    await expect(signWebhook({ ...base, format: 'custom' })).rejects.toThrow(TypeError);
    await expect(signWebhook({ ...base, format: 'custom', headerName: '' })).rejects.toThrow(/headerName.*required when format is "custom"/);
  });

  it('custom with a header name that cannot be sent', async () => {
    await expect(signWebhook({ ...base, format: 'custom', headerName: 'X Acme: sig' })).rejects.toThrow(/not a valid HTTP header name/);
  });

  it('unknown format', async () => {
    await expect(signWebhook({ ...base, format: 'md5' as WebhookHmacFormat })).rejects.toThrow(
      /unknown webhook signature format "md5".*legacy, stripe, github, slack, aws-sns, custom/,
    );
  });

  it('empty or missing secret', async () => {
    await expect(signWebhook({ ...base, secret: '', format: 'legacy' })).rejects.toThrow(/secret.*non-empty string/);
    await expect(signWebhook({ ...base, secret: undefined as unknown as string, format: 'legacy' })).rejects.toThrow(TypeError);
  });

  it('a parsed object instead of the body bytes', async () => {
    const body = JSON.parse(VECTOR_A) as unknown as string;
    await expect(signWebhook({ body, secret: SECRET, format: 'legacy' })).rejects.toThrow(/body.*must be a string, Uint8Array or ArrayBuffer.*JSON\.stringify/);
  });

  it('timestamps that cannot be written into the header', async () => {
    for (const timestamp of [1.5, -1, Number.NaN, '', 'a,b', '12 34']) {
      await expect(signWebhook({ ...base, format: 'stripe', timestamp })).rejects.toThrow(/timestamp/);
    }
  });

  it('never a crash on a non-object', async () => {
    await expect(signWebhook(undefined as unknown as Parameters<typeof signWebhook>[0])).rejects.toThrow(/expects an options object/);
  });
});
