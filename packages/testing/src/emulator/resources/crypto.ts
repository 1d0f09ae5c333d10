import {
  type KeyObject,
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  generateKeyPairSync,
  randomBytes,
  sign as nodeSign,
  verify as nodeVerify,
  constants,
  timingSafeEqual,
} from 'node:crypto';
import { ApiError } from '../errors.js';
import { b64url, newId, opaqueToken } from '../ids.js';
import { ok } from '../reply.js';
import type { HandlerContext, RouteRegistration } from '../router.js';
import type { EmulatorState } from '../state.js';
import { validate } from '../validate.js';

/**
 * `crypto` (resources.md §12) with real cryptography: AES-256-GCM transit encryption with
 * versioned keys and rotation, ECDSA/Ed25519/RSA/HMAC signing, JWTs, the Stripe-style webhook
 * signer, and the portable structure-preserving `kc:` encryption (each scalar leaf becomes a
 * self-describing `kc:v1:…` string). Ciphertexts: `knox:v<version>:<base64(iv|tag|ct)>`.
 */

type Usage = 'encrypt' | 'sign' | 'hmac' | 'ecdh';

interface KeyVersion {
  version: number;
  secret?: Buffer;
  privateKey?: KeyObject;
  publicKey?: KeyObject;
  destroyed: boolean;
}

interface CryptoKeyRow {
  id: string;
  tenant_id: string;
  name: string;
  key_type: string;
  usage: Usage;
  mode: 'cloud-only' | 'bundled';
  current_version: number;
  deletion_allowed: boolean;
  description: string | null;
  created_at: string;
  updated_at: string;
  created_by: string | null;
  sandbox: boolean;
  versions: Map<number, KeyVersion>;
}

const SIGN_TYPES = ['ecdsa-p256', 'ecdsa-p384', 'ed25519', 'rsa-2048', 'rsa-4096'];

function newVersion(usage: Usage, keyType: string, version: number): KeyVersion {
  if (usage === 'encrypt' || usage === 'hmac' || usage === 'ecdh') {
    const v: KeyVersion = { version, secret: randomBytes(32), destroyed: false };
    if (usage === 'ecdh') Object.assign(v, generateKeyPairSync('ec', { namedCurve: 'prime256v1' }));
    return v;
  }
  const pair =
    keyType === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : keyType.startsWith('rsa-')
        ? generateKeyPairSync('rsa', { modulusLength: Number(keyType.slice(4)) })
        : generateKeyPairSync('ec', { namedCurve: keyType === 'ecdsa-p384' ? 'secp384r1' : 'prime256v1' });
  return { version, ...pair, destroyed: false };
}

function makeKey(state: EmulatorState, name: string, usage: Usage, keyType: string, description: string | null): CryptoKeyRow {
  const now = state.nowIso();
  return {
    id: newId(),
    tenant_id: state.account.id,
    name,
    key_type: keyType,
    usage,
    mode: 'cloud-only',
    current_version: 1,
    deletion_allowed: false,
    description,
    created_at: now,
    updated_at: now,
    created_by: null,
    sandbox: false,
    versions: new Map([[1, newVersion(usage, keyType, 1)]]),
  };
}

/** The tenant's keys; the `default` ECDH app key backs portable `kc:` encryption. */
export const cryptoKeys = (state: EmulatorState) =>
  state.store('crypto.keys', () => new Map<string, CryptoKeyRow>([['default', makeKey(state, 'default', 'ecdh', 'ecdh-p256', 'Tenant default app key')]]));

function keyOr404(ctx: HandlerContext, name = ctx.params['name'] ?? ''): CryptoKeyRow {
  const k = cryptoKeys(ctx.state).get(name);
  if (!k) throw ApiError.notFound(`Crypto key "${name}"`);
  return k;
}

function summary(k: CryptoKeyRow) {
  return {
    id: k.id,
    name: k.name,
    key_type: k.key_type,
    mode: k.mode,
    current_version: k.current_version,
    deletion_allowed: k.deletion_allowed,
    description: k.description,
    created_at: k.created_at,
    updated_at: k.updated_at,
  };
}

function full(k: CryptoKeyRow) {
  return { ...summary(k), tenant_id: k.tenant_id, created_by: k.created_by, sandbox: k.sandbox };
}

function requireUsage(k: CryptoKeyRow, ...usages: Usage[]): void {
  if (!usages.includes(k.usage)) throw ApiError.badRequest(`Key "${k.name}" (${k.key_type}) cannot be used for this operation`, 'unsupported_operation');
}

function liveVersion(k: CryptoKeyRow, version: number): KeyVersion {
  const v = k.versions.get(version);
  if (!v) throw ApiError.badRequest(`Key "${k.name}" has no version ${version}`, 'unknown_key_version');
  if (v.destroyed) throw ApiError.badRequest(`Version ${version} of key "${k.name}" was destroyed`, 'key_version_destroyed');
  return v;
}

function aesSeal(secret: Buffer, plaintext: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secret, iv);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ct]);
}

function aesOpen(secret: Buffer, sealed: Buffer): Buffer {
  if (sealed.length < 28) throw ApiError.badRequest('Ciphertext is too short', 'decryption_failed');
  const decipher = createDecipheriv('aes-256-gcm', secret, sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
  } catch {
    throw ApiError.badRequest('Ciphertext failed authentication (wrong key or tampered data)', 'decryption_failed');
  }
}

function formatVersioned(version: number, payload: Buffer): string {
  return `knox:v${version}:${payload.toString('base64')}`;
}

function parseVersioned(value: string, what: string): { version: number; payload: Buffer } {
  const m = /^knox:v(\d+):([A-Za-z0-9+/=_-]+)$/.exec(value);
  if (!m) throw ApiError.badRequest(`${what} is not a knox:v<version>:<data> value`, 'invalid_ciphertext');
  return { version: Number(m[1]), payload: Buffer.from(m[2]!, 'base64') };
}

/** Encrypts with the key's current version: the ciphertext and the version it names. */
function sealWithCurrent(k: CryptoKeyRow, plaintext: Buffer): { ciphertext: string; key_version: number } {
  const ver = liveVersion(k, k.current_version);
  return { ciphertext: formatVersioned(ver.version, aesSeal(ver.secret!, plaintext)), key_version: ver.version };
}

/** Decrypts a `knox:v<n>:…` ciphertext with the (live) version it names. */
function openVersioned(k: CryptoKeyRow, ciphertext: string): { version: number; plain: Buffer } {
  const { version, payload } = parseVersioned(ciphertext, 'ciphertext');
  return { version, plain: aesOpen(liveVersion(k, version).secret!, payload) };
}

/** `rsa_padding` and `hash` of sign/verify; the hash defaults by key type. */
function readSignOptions(v: ReturnType<typeof validate>, k: { key_type: string }): { padding: string | undefined; hash: string } {
  const padding = v.string('rsa_padding', { oneOf: ['pss', 'pkcs1v15'] });
  const hash = v.string('hash', { oneOf: ['sha256', 'sha384', 'sha512'] }) ?? (k.key_type === 'ecdsa-p384' ? 'sha384' : 'sha256');
  return { padding, hash };
}

function readData(v: ReturnType<typeof validate>, text: string, b64: string): Buffer | undefined {
  const t = v.string(text);
  const b = v.string(b64);
  if (t !== undefined && b !== undefined) v.error(text, `send either ${text} or ${b64}, not both`);
  if (t === undefined && b === undefined) v.error(text, `${text} or ${b64} is required`);
  return t !== undefined ? Buffer.from(t, 'utf8') : b !== undefined ? Buffer.from(b, 'base64') : undefined;
}

function signBytes(k: CryptoKeyRow, v: KeyVersion, data: Buffer, hash: string, padding: string | undefined): Buffer {
  if (k.usage === 'hmac') return createHmac('sha256', v.secret!).update(data).digest();
  if (k.key_type === 'ed25519') return nodeSign(null, data, v.privateKey!);
  if (k.key_type.startsWith('rsa-')) {
    return nodeSign(hash, data, { key: v.privateKey!, padding: padding === 'pss' ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING });
  }
  return nodeSign(hash, data, { key: v.privateKey!, dsaEncoding: 'ieee-p1363' });
}

function verifyBytes(k: CryptoKeyRow, v: KeyVersion, data: Buffer, sig: Buffer, hash: string, padding: string | undefined): boolean {
  try {
    if (k.usage === 'hmac') {
      const mac = createHmac('sha256', v.secret!).update(data).digest();
      return mac.length === sig.length && timingSafeEqual(mac, sig);
    }
    if (k.key_type === 'ed25519') return nodeVerify(null, data, v.publicKey!, sig);
    if (k.key_type.startsWith('rsa-'))
      return nodeVerify(hash, data, { key: v.publicKey!, padding: padding === 'pss' ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING }, sig);
    return nodeVerify(hash, data, { key: v.publicKey!, dsaEncoding: 'ieee-p1363' }, sig);
  } catch {
    return false;
  }
}

function jwtAlg(k: CryptoKeyRow): { alg: string; hash: string } {
  if (k.usage === 'hmac') return { alg: 'HS256', hash: 'sha256' };
  if (k.key_type === 'ed25519') return { alg: 'EdDSA', hash: 'sha256' };
  if (k.key_type.startsWith('rsa-')) return { alg: 'RS256', hash: 'sha256' };
  if (k.key_type === 'ecdsa-p384') return { alg: 'ES384', hash: 'sha384' };
  return { alg: 'ES256', hash: 'sha256' };
}

// ---- portable `kc:` encryption -------------------------------------------------------------

const KC = /^kc:v1:(string|number|boolean|null):([0-9a-f-]{36}):(\d+):([A-Za-z0-9_-]+)$/;

function appKey(state: EmulatorState, name: string | undefined): CryptoKeyRow {
  const k = cryptoKeys(state).get(name ?? 'default');
  if (!k) throw ApiError.notFound(`App key "${name}"`);
  if (k.usage !== 'ecdh') throw ApiError.badRequest(`Key "${k.name}" is not an app (ecdh-p256) key`, 'unsupported_operation');
  return k;
}

/** Encrypts one scalar as a `kc:` string (also used by dual-custody vaults). */
export function portableEncryptScalar(state: EmulatorState, value: unknown, keyName?: string): string {
  const k = appKey(state, keyName);
  const v = liveVersion(k, k.current_version);
  const datatype = value === null ? 'null' : typeof value;
  if (datatype !== 'string' && datatype !== 'number' && datatype !== 'boolean' && datatype !== 'null')
    throw ApiError.badRequest(`Cannot encrypt a ${datatype}`);
  const sealed = aesSeal(v.secret!, Buffer.from(JSON.stringify(value), 'utf8'));
  return `kc:v1:${datatype}:${k.id}:${v.version}:${b64url(sealed)}`;
}

export function portableDecryptScalar(state: EmulatorState, value: string): unknown {
  const m = KC.exec(value);
  if (!m) throw ApiError.badRequest('Not a kc:v1 ciphertext', 'invalid_ciphertext');
  const k = [...cryptoKeys(state).values()].find((x) => x.id === m[2]);
  if (!k) throw ApiError.badRequest('The key of this ciphertext does not exist in this tenant', 'decryption_failed');
  const v = liveVersion(k, Number(m[3]));
  return JSON.parse(aesOpen(v.secret!, Buffer.from(m[4]!, 'base64url')).toString('utf8'));
}

function mapLeaves(value: unknown, fn: (leaf: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((x) => mapLeaves(x, fn));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, mapLeaves(x, fn)]));
  return fn(value);
}

const ORIGIN = /^https:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

export const cryptoRoutes: RouteRegistration[] = [
  { method: 'GET', path: '/v1/crypto/keys', handler: (ctx) => ok(ctx, [...cryptoKeys(ctx.state).values()].map(summary)) },
  { method: 'GET', path: '/v1/crypto/keys/:name', handler: (ctx) => ok(ctx, full(keyOr404(ctx))) },
  {
    method: 'POST',
    path: '/v1/crypto/keys',
    handler: (ctx) => {
      const v = validate(ctx.json());
      const name = v.string('name', { required: true });
      const mode = v.string('mode', { required: true, oneOf: ['encrypt', 'sign', 'hmac'] }) as Usage | undefined;
      const description = v.nullableString('description');
      const keyType = v.string('key_type');
      if (name !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(name)) v.error('name', 'must be 1-64 letters, digits, ".", "_" or "-"');
      if (mode === 'sign' && keyType !== undefined && !SIGN_TYPES.includes(keyType)) v.error('key_type', `must be one of: ${SIGN_TYPES.join(', ')}`);
      v.done();
      if (cryptoKeys(ctx.state).has(name!)) throw ApiError.conflict(`Crypto key "${name}" already exists`);
      const type = mode === 'sign' ? (keyType ?? 'ecdsa-p256') : mode === 'hmac' ? 'hmac-sha256' : 'aes256-gcm96';
      const row = makeKey(ctx.state, name!, mode!, type, description ?? null);
      cryptoKeys(ctx.state).set(row.name, row);
      ctx.state.audit('crypto.key_created', 'crypto_key', row.id, { name: row.name, key_type: type });
      return ok(ctx, full(row), 201);
    },
  },
  {
    method: 'PATCH',
    path: '/v1/crypto/keys/:name',
    handler: (ctx) => {
      const k = keyOr404(ctx);
      const v = validate(ctx.json());
      const allowed = v.bool('deletion_allowed', { required: true });
      v.done();
      k.deletion_allowed = allowed!;
      k.updated_at = ctx.nowIso();
      return ok(ctx, { name: k.name, deletion_allowed: k.deletion_allowed });
    },
  },
  {
    method: 'POST',
    path: '/v1/crypto/keys/:name/rotate',
    handler: (ctx) => {
      const k = keyOr404(ctx);
      k.current_version += 1;
      k.versions.set(k.current_version, newVersion(k.usage, k.key_type, k.current_version));
      k.updated_at = ctx.nowIso();
      ctx.state.audit('crypto.key_rotated', 'crypto_key', k.id, { version: k.current_version });
      return ok(ctx, { new_version: k.current_version });
    },
  },
  {
    method: 'DELETE',
    path: '/v1/crypto/keys/:name/versions/:version',
    handler: (ctx) => {
      const k = keyOr404(ctx);
      const version = Number(ctx.params['version']);
      const v = k.versions.get(version);
      if (!Number.isInteger(version) || !v) throw ApiError.notFound(`Version ${ctx.params['version']} of key "${k.name}"`);
      if (!k.deletion_allowed) throw ApiError.conflict(`Key "${k.name}" has deletion_allowed: false; set it to true first`, 'deletion_not_allowed');
      v.destroyed = true;
      ctx.state.audit('crypto.key_version_destroyed', 'crypto_key', k.id, { version });
      return ok(ctx, { destroyed: version });
    },
  },
  {
    method: 'GET',
    path: '/v1/crypto/keys/:name/public-key',
    handler: (ctx) => {
      const k = keyOr404(ctx);
      requireUsage(k, 'sign', 'ecdh');
      const raw = ctx.query.get('version');
      const version = raw === null ? k.current_version : Number(raw);
      const v = liveVersion(k, version);
      return ok(ctx, {
        pem: v.publicKey!.export({ type: 'spki', format: 'pem' }).toString(),
        jwk: v.publicKey!.export({ format: 'jwk' }),
        key_version: version,
      });
    },
  },
  {
    method: 'POST',
    path: '/v1/crypto/keys/:name/encrypt',
    handler: (ctx) => {
      const k = keyOr404(ctx);
      requireUsage(k, 'encrypt');
      const v = validate(ctx.json());
      const data = readData(v, 'plaintext', 'plaintext_b64');
      v.done();
      return ok(ctx, sealWithCurrent(k, data!));
    },
  },
  {
    method: 'POST',
    path: '/v1/crypto/keys/:name/decrypt',
    handler: (ctx) => {
      const k = keyOr404(ctx);
      requireUsage(k, 'encrypt');
      const v = validate(ctx.json());
      const ciphertext = v.string('ciphertext', { required: true });
      v.done();
      const { version, plain } = openVersioned(k, ciphertext!);
      return ok(
        ctx,
        ctx.query.get('format') === 'utf8'
          ? { plaintext: plain.toString('utf8'), key_version: version }
          : { plaintext_b64: plain.toString('base64'), key_version: version },
      );
    },
  },
  {
    method: 'POST',
    path: '/v1/crypto/keys/:name/rewrap',
    handler: (ctx) => {
      const k = keyOr404(ctx);
      requireUsage(k, 'encrypt');
      const v = validate(ctx.json());
      const ciphertext = v.string('ciphertext', { required: true });
      v.done();
      return ok(ctx, sealWithCurrent(k, openVersioned(k, ciphertext!).plain));
    },
  },
  {
    method: 'POST',
    path: '/v1/crypto/keys/:name/sign',
    handler: (ctx) => {
      const k = keyOr404(ctx);
      requireUsage(k, 'sign', 'hmac');
      const v = validate(ctx.json());
      const data = readData(v, 'data', 'data_b64');
      const { padding, hash } = readSignOptions(v, k);
      v.done();
      const ver = liveVersion(k, k.current_version);
      return ok(ctx, { signature: formatVersioned(ver.version, signBytes(k, ver, data!, hash, padding)), key_version: ver.version });
    },
  },
  {
    method: 'POST',
    path: '/v1/crypto/keys/:name/verify',
    handler: (ctx) => {
      const k = keyOr404(ctx);
      requireUsage(k, 'sign', 'hmac');
      const v = validate(ctx.json());
      const signature = v.string('signature', { required: true });
      const data = readData(v, 'data', 'data_b64');
      const { padding, hash } = readSignOptions(v, k);
      v.done();
      const { version, payload } = parseVersioned(signature!, 'signature');
      return ok(ctx, { valid: verifyBytes(k, liveVersion(k, version), data!, payload, hash, padding), key_version: version });
    },
  },
  {
    method: 'POST',
    path: '/v1/crypto/keys/:name/jwt',
    handler: (ctx) => {
      const k = keyOr404(ctx);
      requireUsage(k, 'sign', 'hmac');
      const v = validate(ctx.json());
      const claims = v.object('claims', { required: true });
      const overrides = v.object('header_overrides') ?? {};
      v.done();
      const ver = liveVersion(k, k.current_version);
      const { alg, hash } = jwtAlg(k);
      const header = { alg, typ: 'JWT', kid: `${k.name}:v${ver.version}`, ...overrides };
      const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
      const sig = signBytes(k, ver, Buffer.from(input), hash, undefined);
      return ok(ctx, { token: `${input}.${b64url(sig)}`, key_version: ver.version, alg });
    },
  },
  {
    method: 'POST',
    path: '/v1/crypto/keys/:name/jwt/verify',
    handler: (ctx) => {
      const k = keyOr404(ctx);
      requireUsage(k, 'sign', 'hmac');
      const v = validate(ctx.json());
      const token = v.string('token', { required: true });
      const expected = v.object('expected') ?? {};
      v.done();
      const parts = token!.split('.');
      const fail = (error: string) => ok(ctx, { valid: false, error });
      if (parts.length !== 3) return fail('malformed token');
      let header: Record<string, unknown>;
      let claims: Record<string, unknown>;
      try {
        header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
        claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
      } catch {
        return fail('malformed token');
      }
      const { alg, hash } = jwtAlg(k);
      if (header['alg'] !== alg) return fail(`unexpected alg ${String(header['alg'])}`);
      const kid = typeof header['kid'] === 'string' ? header['kid'] : undefined;
      const m = kid ? /:v(\d+)$/.exec(kid) : null;
      const candidates = m ? [Number(m[1])] : [...k.versions.keys()];
      const sig = Buffer.from(parts[2]!, 'base64url');
      const version = candidates.find((n) => {
        const ver = k.versions.get(n);
        return ver !== undefined && !ver.destroyed && verifyBytes(k, ver, Buffer.from(`${parts[0]}.${parts[1]}`), sig, hash, undefined);
      });
      if (version === undefined) return fail('invalid signature');
      const nowS = ctx.now() / 1000;
      if (typeof claims['exp'] === 'number' && claims['exp'] <= nowS) return fail('token expired');
      if (typeof claims['nbf'] === 'number' && claims['nbf'] > nowS) return fail('token not yet valid');
      for (const [name, want] of Object.entries(expected)) {
        if (JSON.stringify(claims[name]) !== JSON.stringify(want)) return fail(`claim ${name} does not match`);
      }
      return ok(ctx, { valid: true, claims, key_version: version, alg, ...(kid ? { kid } : {}) });
    },
  },
  {
    method: 'POST',
    path: '/v1/crypto/keys/:name/webhook-sign',
    handler: (ctx) => {
      const k = keyOr404(ctx);
      requireUsage(k, 'hmac');
      const v = validate(ctx.json());
      const payload = readData(v, 'payload', 'payload_b64');
      const ts = v.int('timestamp_seconds', { min: 0 }) ?? Math.floor(ctx.now() / 1000);
      v.string('format', { oneOf: ['stripe'] });
      v.done();
      const ver = liveVersion(k, k.current_version);
      const mac = createHmac('sha256', ver.secret!)
        .update(Buffer.concat([Buffer.from(`${ts}.`), payload!]))
        .digest('hex');
      return ok(ctx, { signature_header: `t=${ts},v1=${mac}`, timestamp_seconds: ts, key_version: ver.version, format: 'stripe' });
    },
  },
  {
    method: 'POST',
    path: '/v1/encrypt',
    handler: (ctx) => {
      const body = ctx.json<Record<string, unknown>>();
      const v = validate(body);
      const key = v.string('key');
      v.string('role');
      if (!('data' in body)) v.error('data', 'is required (any JSON value)');
      v.done();
      const k = appKey(ctx.state, key);
      return ok(ctx, {
        ciphertext: mapLeaves(body['data'], (leaf) => portableEncryptScalar(ctx.state, leaf, k.name)),
        key: k.name,
        key_version: k.current_version,
      });
    },
  },
  {
    method: 'POST',
    path: '/v1/decrypt',
    handler: (ctx) => {
      const body = ctx.json<Record<string, unknown>>();
      const v = validate(body);
      v.string('role');
      if (!('data' in body)) v.error('data', 'is required');
      v.done();
      return ok(ctx, {
        plaintext: mapLeaves(body['data'], (leaf) => (typeof leaf === 'string' && leaf.startsWith('kc:') ? portableDecryptScalar(ctx.state, leaf) : leaf)),
      });
    },
  },
  {
    method: 'POST',
    path: '/v1/inspect',
    handler: (ctx) => {
      const v = validate(ctx.json());
      const value = v.string('value', { required: true });
      v.done();
      const m = KC.exec(value!);
      if (!m) return ok(ctx, { encrypted: false });
      const k = [...cryptoKeys(ctx.state).values()].find((x) => x.id === m[2]);
      return ok(ctx, {
        encrypted: true,
        scheme: 'kc',
        version: 1,
        datatype: m[1],
        key_ref: { tenantId: ctx.state.account.id, appKeyId: k?.id ?? m[2], keyVersion: Number(m[3]) },
        fingerprint: createHash('sha256').update(value!).digest('hex').slice(0, 32),
      });
    },
  },
  {
    method: 'GET',
    path: '/v1/encrypt/sealing-bundle',
    handler: (ctx) => {
      const k = appKey(ctx.state, ctx.query.get('key') ?? undefined);
      const v = liveVersion(k, k.current_version);
      const jwk = v.publicKey!.export({ format: 'jwk' }) as { x: string; y: string };
      const raw = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
      return ok(ctx, { public_key_raw: b64url(raw), key_ref: { tenant_id: ctx.state.account.id, app_key_id: k.id, key_version: v.version } });
    },
  },
  {
    method: 'POST',
    path: '/v1/client-tokens',
    handler: (ctx) => {
      const body = ctx.json<Record<string, unknown>>();
      const v = validate(body);
      const action = v.string('action', { required: true, oneOf: ['decrypt', 'detokenize', 'tokenize'] });
      const vault = v.string('vault');
      const origins = v.stringArray('origins');
      v.string('role');
      const ttl = v.int('ttl_seconds', { min: 1 });
      if (action === 'tokenize') {
        if ('data' in body) v.error('data', 'must not be sent for tokenize');
        if (!vault) v.error('vault', 'is required for tokenize');
        if (!origins || origins.length < 1 || origins.length > 10) v.error('origins', 'must hold 1 to 10 origins');
        for (const o of origins ?? []) if (!ORIGIN.test(o)) v.error('origins', `"${o}" is not an exact https://host[:port] origin`);
      } else if (action !== undefined && !('data' in body)) {
        v.error('data', `is required for ${action}`);
      }
      v.done();
      const expiresAt = new Date(ctx.now() + Math.min(ttl ?? 300, 600) * 1000).toISOString();
      const out: Record<string, unknown> = { token: opaqueToken('kct_', 24), expires_at: expiresAt, action };
      if (action === 'tokenize') {
        const vaults = ctx.state.store('vaults', () => new Map<string, { id: string; name: string }>());
        const row = vaults.get(vault!) ?? [...vaults.values()].find((x) => x.name === vault);
        if (!row) throw ApiError.notFound(`Vault "${vault}"`);
        out['vault_id'] = row.id;
        out['origins'] = [...new Set(origins!.map((o) => o.toLowerCase()))].sort();
      }
      return ok(ctx, out, 201);
    },
  },
];
