/**
 * Runs one delivery through EVERY verifier path — node:crypto sync, the public async one
 * (node:crypto installed, as on Node) and the async one on Web Crypto alone (as on edge
 * runtimes) — and asserts they agree exactly: the same event, or the same error class,
 * message and code.
 * Also checks the async variant never throws synchronously, and that no error message
 * carries the secret or any signature value.
 */
import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import { isKnoxCallError, KnoxCallError, WebhookSignatureVerificationError } from '../src/errors.js';
import { constructWebhookEventAsync } from '../src/webhooks/index.js';
import { constructWebhookEvent } from '../src/node/webhook-verifier.js';
import { verifyWithWebCrypto } from '../src/webhooks/verify-async.js';

export const SECRET = 'whsec_test_secret';
/** 2026-01-01T00:00:00Z, the contract's frozen clock (seconds). */
export const FROZEN = 1_767_225_600;
export const frozenAt = (seconds: number) => () => seconds * 1000;

export type Outcome =
  | { ok: true; event: unknown }
  | { ok: false; message: string; code: string | undefined; verificationError: boolean; knoxError: boolean; name: string };

function toOutcome(error: unknown): Outcome {
  if (!(error instanceof Error)) return { ok: false, message: String(error), code: undefined, verificationError: false, knoxError: false, name: typeof error };
  return {
    ok: false,
    message: error.message,
    code: (error as { code?: string }).code,
    verificationError: error instanceof WebhookSignatureVerificationError,
    knoxError: error instanceof KnoxCallError && isKnoxCallError(error),
    name: error.constructor.name,
  };
}

export function runSync(body: unknown, headers: unknown, secret: unknown, options?: unknown): Outcome {
  try {
    // biome-ignore lint/suspicious/noExplicitAny: the harness feeds deliberately ill-typed input
    return { ok: true, event: constructWebhookEvent(body as any, headers as any, secret as any, options as any) };
  } catch (error) {
    return toOutcome(error);
  }
}

async function settle(name: string, start: () => Promise<unknown>): Promise<Outcome> {
  let promise: Promise<unknown>;
  try {
    promise = start();
  } catch (error) {
    throw new Error(`${name} threw synchronously: ${String(error)}`);
  }
  try {
    return { ok: true, event: await promise };
  } catch (error) {
    return toOutcome(error);
  }
}

/** The public async verifier and the Web Crypto-only path; asserts they agree. */
export async function runAsync(body: unknown, headers: unknown, secret: unknown, options?: unknown): Promise<Outcome> {
  // biome-ignore lint/suspicious/noExplicitAny: the harness feeds deliberately ill-typed input
  const pub = await settle('constructWebhookEventAsync', () => constructWebhookEventAsync(body as any, headers as any, secret as any, options as any));
  const web = await settle('verifyWithWebCrypto', async () => (await verifyWithWebCrypto(body, headers, secret, options)).event);
  expect(web).toStrictEqual(pub);
  return pub;
}

/** Both verifiers; asserts they agree; returns the common outcome. */
export async function verifyBoth(body: unknown, headers: unknown, secret: unknown, options?: unknown): Promise<Outcome> {
  const sync = runSync(body, headers, secret, options);
  const async_ = await runAsync(body, headers, secret, options);
  expect(async_).toStrictEqual(sync);
  return sync;
}

/** Every string that must never appear in a message: the secret(s), header signatures, expected HMACs. */
export function forbiddenFragments(body: unknown, headers: unknown, secret: unknown): string[] {
  const fragments = new Set<string>();
  const secrets = typeof secret === 'string' ? [secret] : Array.isArray(secret) ? secret.filter((s) => typeof s === 'string') : [];
  for (const s of secrets) if (s.length >= 4) fragments.add(s);
  const values: string[] = [];
  if (headers && typeof headers === 'object') {
    const entries = Symbol.iterator in headers ? Array.from(headers as Iterable<[string, unknown]>) : Object.entries(headers);
    for (const [, value] of entries) {
      for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') values.push(v);
    }
  }
  for (const value of values) {
    // every long hex or base64 run in a header value is (part of) a signature
    for (const run of value.match(/[0-9a-fA-F]{16,}|[A-Za-z0-9+/=]{24,}/g) ?? []) fragments.add(run.slice(0, 16));
  }
  const bytes = typeof body === 'string' ? Buffer.from(body) : body instanceof Uint8Array ? body : undefined;
  if (bytes) {
    for (const s of secrets) {
      const digest = createHmac('sha256', s).update(bytes).digest();
      fragments.add(digest.toString('hex').slice(0, 16));
      fragments.add(digest.toString('base64').slice(0, 16));
    }
  }
  return [...fragments];
}

/** Asserts a failure: its message prefix, code, class, and that it leaks nothing. */
export function expectFailure(outcome: Outcome, messagePrefix: string, code: string, leakCheck?: { body: unknown; headers: unknown; secret: unknown }) {
  expect(outcome.ok, `expected a failure "${messagePrefix}"`).toBe(false);
  if (outcome.ok) return;
  expect(outcome.message.startsWith(messagePrefix), `"${outcome.message}" should start with "${messagePrefix}"`).toBe(true);
  expect(outcome.code).toBe(code);
  expect(outcome.verificationError).toBe(true);
  expect(outcome.knoxError).toBe(true);
  if (leakCheck) {
    for (const fragment of forbiddenFragments(leakCheck.body, leakCheck.headers, leakCheck.secret)) {
      expect(outcome.message).not.toContain(fragment);
    }
  }
}

export function expectEvent(outcome: Outcome, body: string | Uint8Array): void {
  if (!outcome.ok) throw new Error(`expected an event, got ${outcome.code}: ${outcome.message}`);
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  expect(outcome.event).toStrictEqual(JSON.parse(text));
}
