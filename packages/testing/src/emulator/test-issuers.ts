import { type KeyObject, createHash, createPublicKey, generateKeyPairSync, randomUUID, sign, verify } from 'node:crypto';

/**
 * Stand-ins for the OIDC issuers of the workload platforms (GitHub Actions, Google, AWS,
 * Azure, Vercel, CircleCI, Buildkite). Each issuer gets an ES256 key pair, made once per
 * process (like a real issuer, it is not part of any one tenant); the emulator serves the
 * public keys as a JWKS and verifies every subject token against that JWKS — signature,
 * issuer, expiry — exactly as the real server verifies against the issuer's own JWKS.
 */

/** The issuer URL of each platform (the `iss` its ID tokens carry). */
export const TEST_ISSUERS = {
  'github-actions': 'https://token.actions.githubusercontent.com',
  gcp: 'https://accounts.google.com',
  aws: 'https://sts.amazonaws.com',
  azure: 'https://login.microsoftonline.com',
  vercel: 'https://oidc.vercel.com',
  circleci: 'https://oidc.circleci.com',
  buildkite: 'https://agent.buildkite.com',
} as const;

export type TestIssuerPlatform = keyof typeof TEST_ISSUERS;

export interface MintSubjectTokenOptions {
  /** Which platform's issuer signs the token (default `github-actions`). */
  platform?: TestIssuerPlatform;
  /** The `sub` claim (default `repo:acme/app:ref:refs/heads/main`). */
  subject?: string;
  /** The `aud` claim (default `knoxcall:api`). */
  audience?: string;
  /** Lifetime from now (default 300 s); negative mints an already expired token. */
  expiresInSeconds?: number;
  /** Extra claims (override the defaults). */
  claims?: Record<string, unknown>;
  /** Clock in epoch ms (default `Date.now()`). */
  now?: number;
}

interface IssuerKey {
  issuer: string;
  kid: string;
  privateKey: KeyObject;
  jwk: Record<string, string>;
}

const keys = new Map<string, IssuerKey>();

function keyFor(platform: TestIssuerPlatform): IssuerKey {
  let key = keys.get(platform);
  if (!key) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const { kty, crv, x, y } = pair.publicKey.export({ format: 'jwk' }) as Record<string, string>;
    const kid = `${platform}-${randomUUID().slice(0, 8)}`;
    key = { issuer: TEST_ISSUERS[platform], kid, privateKey: pair.privateKey, jwk: { kty: kty!, crv: crv!, x: x!, y: y!, kid, alg: 'ES256', use: 'sig' } };
    keys.set(platform, key);
  }
  return key;
}

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** A signed OIDC ID token from the chosen platform's test issuer. */
export function mintTestSubjectToken(options: MintSubjectTokenOptions = {}): string {
  const key = keyFor(options.platform ?? 'github-actions');
  const nowS = Math.floor((options.now ?? Date.now()) / 1000);
  const header = { alg: 'ES256', typ: 'JWT', kid: key.kid };
  const payload = {
    iss: key.issuer,
    sub: options.subject ?? 'repo:acme/app:ref:refs/heads/main',
    aud: options.audience ?? 'knoxcall:api',
    iat: nowS,
    exp: nowS + (options.expiresInSeconds ?? 300),
    // Unique per mint: two assertions minted in the same second still differ (single-use rule).
    jti: randomUUID(),
    ...options.claims,
  };
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signature = sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(signature)}`;
}

/** The JWKS the emulator serves: the public key of every platform issuer. */
export function testIssuerJwks(): { keys: Array<Record<string, string>> } {
  for (const platform of Object.keys(TEST_ISSUERS) as TestIssuerPlatform[]) keyFor(platform);
  return { keys: [...keys.values()].map((key) => ({ ...key.jwk, iss: key.issuer })) };
}

export class SubjectTokenError extends Error {}

function decodeSegment(segment: string): Record<string, unknown> {
  const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SubjectTokenError('not a JSON object');
  return value as Record<string, unknown>;
}

/**
 * Verifies a subject token against the served JWKS; returns its claims. Every refusal is a
 * `SubjectTokenError` whose message says what is wrong (never echoing the token).
 */
export function verifySubjectToken(token: string, nowMs: number): Record<string, unknown> {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) throw new SubjectTokenError('subject_token is not a JWT');
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = decodeSegment(parts[0]!);
    claims = decodeSegment(parts[1]!);
  } catch {
    throw new SubjectTokenError('subject_token is not a JWT');
  }
  if (header['alg'] !== 'ES256') throw new SubjectTokenError('subject_token must be signed with ES256 by a trusted issuer');
  const jwk = testIssuerJwks().keys.find((k) => k['kid'] === header['kid']);
  if (!jwk) throw new SubjectTokenError('subject_token was not signed by a trusted issuer (unknown kid)');
  const publicKey = createPublicKey({ key: { kty: jwk['kty'], crv: jwk['crv'], x: jwk['x'], y: jwk['y'] }, format: 'jwk' });
  const signatureOk = verify(
    'sha256',
    Buffer.from(`${parts[0]}.${parts[1]}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(parts[2]!, 'base64url'),
  );
  if (!signatureOk) throw new SubjectTokenError('subject_token signature does not verify against the issuer JWKS');
  if (claims['iss'] !== jwk['iss']) throw new SubjectTokenError('subject_token iss does not match the signing key');
  if (typeof claims['exp'] !== 'number') throw new SubjectTokenError('subject_token has no exp');
  if (claims['exp'] * 1000 <= nowMs) throw new SubjectTokenError('subject_token has expired');
  return claims;
}

/** SHA-256 hex of a subject token: what the single-use record keeps (never the token). */
export const subjectFingerprint = (token: string): string => createHash('sha256').update(token).digest('hex');
