import { X509Certificate, createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { mgmt } from './support/http.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.close());
beforeEach(() => emu.reset());

const post = (path: string, json: unknown) => mgmt(emu, path, { method: 'POST', json });

describe('crypto: transit keys', () => {
  it('round-trips AES-GCM encryption, keeps old versions decryptable after rotation, and rewraps', async () => {
    expect((await post('/v1/crypto/keys', { name: 'pii', mode: 'encrypt' })).body.data).toMatchObject({
      name: 'pii',
      current_version: 1,
      deletion_allowed: false,
    });
    const enc = await post('/v1/crypto/keys/pii/encrypt', { plaintext: 'hello wörld' });
    expect(enc.body.data.key_version).toBe(1);
    expect(enc.body.data.ciphertext).not.toContain('hello');
    const dec = await post('/v1/crypto/keys/pii/decrypt?format=utf8', { ciphertext: enc.body.data.ciphertext });
    expect(dec.body.data).toEqual({ plaintext: 'hello wörld', key_version: 1 });
    const b64 = await post('/v1/crypto/keys/pii/decrypt', { ciphertext: enc.body.data.ciphertext });
    expect(Buffer.from(b64.body.data.plaintext_b64, 'base64').toString('utf8')).toBe('hello wörld');

    expect((await post('/v1/crypto/keys/pii/rotate', {})).body.data).toEqual({ new_version: 2 });
    expect((await post('/v1/crypto/keys/pii/decrypt?format=utf8', { ciphertext: enc.body.data.ciphertext })).body.data.plaintext).toBe('hello wörld');
    const rewrapped = await post('/v1/crypto/keys/pii/rewrap', { ciphertext: enc.body.data.ciphertext });
    expect(rewrapped.body.data.key_version).toBe(2);
    expect((await post('/v1/crypto/keys/pii/decrypt?format=utf8', { ciphertext: rewrapped.body.data.ciphertext })).body.data.plaintext).toBe('hello wörld');
  });

  it('refuses tampered ciphertext and enforces the destroy latch with 409 deletion_not_allowed', async () => {
    await post('/v1/crypto/keys', { name: 'k', mode: 'encrypt' });
    const { ciphertext } = (await post('/v1/crypto/keys/k/encrypt', { plaintext_b64: Buffer.from('x').toString('base64') })).body.data;
    const raw = Buffer.from(ciphertext.split(':')[2], 'base64');
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
    expect((await post('/v1/crypto/keys/k/decrypt', { ciphertext: `knox:v1:${raw.toString('base64')}` })).status).toBe(400);

    const destroy = () => mgmt(emu, '/v1/crypto/keys/k/versions/1', { method: 'DELETE' });
    const latched = await destroy();
    expect(latched.status).toBe(409);
    expect(latched.body.error.type).toBe('deletion_not_allowed');
    expect((await mgmt(emu, '/v1/crypto/keys/k', { method: 'PATCH', json: { deletion_allowed: true } })).body.data).toEqual({
      name: 'k',
      deletion_allowed: true,
    });
    expect((await destroy()).body.data).toEqual({ destroyed: 1 });
    expect((await post('/v1/crypto/keys/k/decrypt', { ciphertext })).body.error.type).toBe('key_version_destroyed');
  });

  it('signs and verifies with ECDSA, exposes the public key, and signs/verifies JWTs', async () => {
    await post('/v1/crypto/keys', { name: 'signer', mode: 'sign' });
    const sig = await post('/v1/crypto/keys/signer/sign', { data: 'message' });
    expect((await post('/v1/crypto/keys/signer/verify', { data: 'message', signature: sig.body.data.signature })).body.data).toEqual({
      valid: true,
      key_version: 1,
    });
    expect((await post('/v1/crypto/keys/signer/verify', { data: 'other', signature: sig.body.data.signature })).body.data.valid).toBe(false);

    const pub = await mgmt(emu, '/v1/crypto/keys/signer/public-key');
    const raw = Buffer.from(sig.body.data.signature.split(':')[2], 'base64');
    expect(verify('sha256', Buffer.from('message'), { key: createPublicKey(pub.body.data.pem), dsaEncoding: 'ieee-p1363' }, raw)).toBe(true);
    expect(pub.body.data.jwk.crv).toBe('P-256');

    const jwt = await post('/v1/crypto/keys/signer/jwt', { claims: { sub: 'u1', exp: Math.floor(Date.now() / 1000) + 60 } });
    expect(jwt.body.data.alg).toBe('ES256');
    expect((await post('/v1/crypto/keys/signer/jwt/verify', { token: jwt.body.data.token, expected: { sub: 'u1' } })).body.data).toMatchObject({
      valid: true,
      claims: { sub: 'u1' },
    });
    expect((await post('/v1/crypto/keys/signer/jwt/verify', { token: jwt.body.data.token, expected: { sub: 'u2' } })).body.data.valid).toBe(false);
  });

  it('signs Ed25519 and produces Stripe-style webhook signatures with an HMAC key', async () => {
    await post('/v1/crypto/keys', { name: 'ed', mode: 'sign', key_type: 'ed25519' });
    const sig = await post('/v1/crypto/keys/ed/sign', { data: 'm' });
    expect((await post('/v1/crypto/keys/ed/verify', { data: 'm', signature: sig.body.data.signature })).body.data.valid).toBe(true);

    await post('/v1/crypto/keys', { name: 'wh', mode: 'hmac' });
    const w = await post('/v1/crypto/keys/wh/webhook-sign', { payload: '{"a":1}', timestamp_seconds: 1700000000 });
    expect(w.body.data).toMatchObject({ timestamp_seconds: 1700000000, key_version: 1, format: 'stripe' });
    expect(w.body.data.signature_header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect((await post('/v1/crypto/keys/pii-missing/encrypt', { plaintext: 'x' })).status).toBe(404);
  });
});

describe('crypto: portable kc: encryption', () => {
  it('preserves structure, round-trips every scalar type, and inspects a kc: string', async () => {
    const data = { card: { number: '4242', cvc: 123 }, tags: ['a', true, null] };
    const enc = await post('/v1/encrypt', { data });
    expect(enc.body.data.key).toBe('default');
    const ct = enc.body.data.ciphertext;
    expect(ct.card.number).toMatch(/^kc:v1:string:/);
    expect(ct.card.cvc).toMatch(/^kc:v1:number:/);
    expect(ct.tags).toHaveLength(3);
    expect(JSON.stringify(ct)).not.toContain('4242');
    expect((await post('/v1/decrypt', { data: ct })).body.data).toEqual({ plaintext: data });

    const insp = await post('/v1/inspect', { value: ct.card.number });
    expect(insp.body.data).toMatchObject({ encrypted: true, scheme: 'kc', version: 1, datatype: 'string', key_ref: { keyVersion: 1 } });
    expect((await post('/v1/inspect', { value: 'plain' })).body.data).toEqual({ encrypted: false });
    const bundle = await mgmt(emu, '/v1/encrypt/sealing-bundle');
    expect(Buffer.from(bundle.body.data.public_key_raw, 'base64url')).toHaveLength(65);
    expect(bundle.body.data.key_ref).toMatchObject({ key_version: 1 });
  });

  it('mints client capability tokens with the contract validation', async () => {
    const d = await post('/v1/client-tokens', { action: 'decrypt', data: 'kc:v1:x' });
    expect(d.body.data).toMatchObject({ action: 'decrypt' });
    await post('/v1/vaults', { name: 'cards' });
    const t = await post('/v1/client-tokens', { action: 'tokenize', vault: 'cards', origins: ['https://b.example', 'https://a.example', 'https://a.example'] });
    expect(t.body.data.origins).toEqual(['https://a.example', 'https://b.example']);
    expect((await post('/v1/client-tokens', { action: 'tokenize', vault: 'cards', origins: ['https://a.example/path'] })).status).toBe(422);
    expect((await post('/v1/client-tokens', { action: 'tokenize', vault: 'cards', origins: ['https://a.example'], data: 'x' })).status).toBe(422);
  });
});

describe('pki', () => {
  it('issues certificates that parse as X.509 and chain to the root, and serves PEM and CRL as raw text', async () => {
    const root = await post('/v1/pki/roots', { name: 'internal', subject: { common_name: 'Acme Root', organization: 'Acme' } });
    expect(root.status).toBe(201);
    expect(root.body.data.root).toMatchObject({ name: 'internal', status: 'active', subject: 'CN=Acme Root, O=Acme' });
    const rootCert = new X509Certificate(root.body.data.root.cert_pem);
    expect(rootCert.ca).toBe(true);

    const pem = await mgmt(emu, '/v1/pki/roots/internal/cert');
    expect(pem.headers.get('content-type')).toContain('text/x-pem-file');
    expect(pem.text).toBe(root.body.data.root.cert_pem);

    const role = await post('/v1/pki/roots/internal/roles', {
      role_name: 'web',
      allowed_domains: ['acme.test'],
      allow_subdomains: true,
      max_ttl_seconds: 3600,
    });
    expect(role.body.data).toMatchObject({ name: 'web', key_algorithm: 'ecdsa-p256', max_ttl_seconds: 3600 });
    const issued = await post('/v1/pki/roots/internal/issue/web', {
      subject: { common_name: 'api.acme.test' },
      san_dns: ['api.acme.test'],
      san_ip: ['127.0.0.1'],
      ttl_seconds: 99999,
    });
    expect(issued.status).toBe(200);
    const leaf = new X509Certificate(issued.body.data.cert_pem);
    expect(leaf.subject).toBe('CN=api.acme.test');
    expect(leaf.subjectAltName).toContain('DNS:api.acme.test');
    expect(leaf.serialNumber.toLowerCase()).toBe(issued.body.data.serial_hex.toLowerCase());
    const [intermediatePem] = issued.body.data.ca_chain_pem.split(/(?<=-----END CERTIFICATE-----\n)/);
    const intermediate = new X509Certificate(intermediatePem);
    expect(leaf.checkIssued(intermediate)).toBe(true);
    expect(leaf.verify(intermediate.publicKey)).toBe(true);
    expect(intermediate.verify(rootCert.publicKey)).toBe(true);
    expect(Date.parse(issued.body.data.not_after) - Date.parse(issued.body.data.not_before)).toBeLessThanOrEqual(3600_000 + 60_000);
    expect(issued.body.data.private_key_pem).toContain('BEGIN PRIVATE KEY');

    expect((await post('/v1/pki/roots/internal/issue/web', { subject: { common_name: 'evil.example' } })).status).toBe(403);
    expect((await post('/v1/pki/roots/internal/revoke', { serial_hex: issued.body.data.serial_hex })).body.data).toEqual({ revoked: true });
    const crl = await mgmt(emu, '/v1/pki/roots/internal/crl');
    expect(crl.headers.get('content-type')).toContain('text/plain');
    expect(crl.text).toMatch(/^-----BEGIN X509 CRL-----/);

    const rotated = await post('/v1/pki/roots/internal/rotate-intermediate', {});
    expect(rotated.body.data.intermediate_id).toBeTruthy();
    expect((await mgmt(emu, '/v1/pki/roots')).body.data).toHaveLength(1);
    expect((await post('/v1/pki/roots', { name: 'x', subject: {} })).status).toBe(422);
  });
});
