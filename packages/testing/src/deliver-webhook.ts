// Edge-safe like the signer (global fetch, Web Crypto, no node: imports), so a Workers or
// Deno test can deliver to a local app the same way the emulator does.
import { type WebhookBody, bodyToBytes, describeValue } from './signer/body-bytes.js';
import type { WebhookHmacFormat } from './signer/formats.js';
import { signWebhook } from './signer/sign-webhook.js';

/** An event to wrap in the contract's envelope (webhooks.md §7). */
export interface WebhookEventInput {
  /** The event type, e.g. `request.success` (the set is open). */
  event: string;
  data: unknown;
  /** ISO-8601; defaults to the delivery's `timestamp` option, or now. */
  timestamp?: string;
  webhook_id?: string;
  webhook_name?: string;
  /** Extra envelope members are sent as given. */
  [member: string]: unknown;
}

interface DeliverWebhookCommon {
  secret: string;
  format: WebhookHmacFormat;
  /** Signature header name for `custom`. */
  headerName?: string;
  /** Change one byte of the body AFTER signing, so the delivery must fail verification. */
  tamper?: boolean;
  /** Unix seconds used for the signed stripe/slack timestamp and the default envelope timestamp; defaults to now. */
  timestamp?: number;
  /**
   * Extra request headers; they override the defaults (Content-Type, X-Webhook-Event, and
   * X-Webhook-ID = the envelope's webhook_id or a generated one) but not the signature.
   */
  headers?: Record<string, string>;
  /** Give up when the receiver has not answered within this many milliseconds (default 30 000). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export type DeliverWebhookOptions =
  | (DeliverWebhookCommon & { event: WebhookEventInput; body?: never })
  | (DeliverWebhookCommon & { body: WebhookBody; event?: never });

export interface DeliverWebhookResult {
  status: number;
  /** The receiver's answer: parsed JSON when it says it is JSON and parses, else the text ('' when empty). */
  body: unknown;
  /** Response headers, names lower-cased. */
  headers: Record<string, string>;
  /** Wall time from sending the request until the whole response body was read. */
  durationMs: number;
}

/**
 * POSTs a signed webhook delivery to `url`, as the KnoxCall server would: the envelope is
 * pretty-printed JSON (so receivers that re-serialise a parsed body fail, as they would in
 * production), signed over the exact bytes sent.
 */
export async function deliverWebhook(url: string | URL, options: DeliverWebhookOptions): Promise<DeliverWebhookResult> {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`deliverWebhook expects an options object, got ${describeValue(options)}`);
  }
  const hasEvent = options.event !== undefined;
  const hasBody = options.body !== undefined;
  if (hasEvent === hasBody) {
    throw new TypeError('deliverWebhook: pass exactly one of `event` (wrapped in the KnoxCall envelope and pretty-printed) or `body` (sent as-is)');
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError(`deliverWebhook: \`timeoutMs\` must be a positive number of milliseconds, got ${String(options.timeoutMs)}`);
  }
  if (options.timestamp !== undefined && (!Number.isSafeInteger(options.timestamp) || options.timestamp < 0)) {
    throw new TypeError(`deliverWebhook: \`timestamp\` must be whole Unix seconds, got ${String(options.timestamp)}`);
  }

  let envelope: Record<string, unknown> | undefined;
  let body: Uint8Array<ArrayBuffer>;
  if (hasEvent) {
    envelope = buildEnvelope(options.event, options.timestamp);
    body = bodyToBytes(JSON.stringify(envelope, null, 2));
  } else {
    body = bodyToBytes(options.body as WebhookBody, 'deliverWebhook: `body`');
    envelope = envelopeOf(body);
  }
  const eventType = typeof envelope?.event === 'string' ? envelope.event : undefined;
  const webhookId = typeof envelope?.webhook_id === 'string' ? envelope.webhook_id : `wh_${globalThis.crypto.randomUUID()}`;

  const signatureHeaders = await signWebhook({
    body,
    secret: options.secret,
    format: options.format,
    ...(options.headerName !== undefined ? { headerName: options.headerName } : {}),
    ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
  });
  if (options.tamper) tamperOneByte(body);

  // A Headers object merges case-insensitively, so a caller's `content-type` replaces ours.
  const headers = new Headers({ 'Content-Type': 'application/json', 'X-Webhook-ID': webhookId });
  if (eventType !== undefined) headers.set('X-Webhook-Event', eventType);
  for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
  for (const [name, value] of Object.entries(signatureHeaders)) headers.set(name, value);

  const started = now();
  let response: Response;
  let text: string;
  try {
    // A sender reports what the receiver answered: a redirect is an answer, not something
    // to follow (following it would re-POST the delivery elsewhere).
    response = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    text = await response.text();
  } catch (error) {
    if ((error as { name?: unknown } | null)?.name === 'TimeoutError') {
      throw new Error(`deliverWebhook: ${String(url)} did not answer within ${timeoutMs} ms`, { cause: error });
    }
    throw error;
  }
  const durationMs = now() - started;

  const responseHeaders: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    responseHeaders[name] = value;
  });
  return { status: response.status, body: parseAnswer(text, response.headers.get('content-type')), headers: responseHeaders, durationMs };
}

function buildEnvelope(input: WebhookEventInput, timestamp: number | undefined): Record<string, unknown> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new TypeError(`deliverWebhook: \`event\` must be an object { event, data }, got ${describeValue(input)}`);
  }
  if (typeof input.event !== 'string' || input.event.length === 0) {
    throw new TypeError('deliverWebhook: `event.event` must be the event type, e.g. "request.success"');
  }
  if (!('data' in input)) {
    throw new TypeError('deliverWebhook: `event.data` is required (use {} for an event without data)');
  }
  const { event, timestamp: given, data, ...extra } = input;
  const isoTimestamp = given ?? new Date((timestamp ?? Math.floor(Date.now() / 1000)) * 1000).toISOString().replace('.000Z', 'Z');
  // Member order of the server's envelope (contract §11 Vector B): event, timestamp, ids, data.
  return { event, timestamp: isoTimestamp, ...extra, data };
}

function envelopeOf(body: Uint8Array): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder().decode(body));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Not JSON: a raw body is sent as given, just without an X-Webhook-Event header.
  }
  return undefined;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Flips the case of one ASCII letter inside a JSON string literal (the last one, usually in
 * `data`), so the body stays valid JSON and a receiver fails on the signature, not on
 * parsing. A body without such a letter gets its middle byte's lowest bit flipped.
 */
function tamperOneByte(body: Uint8Array): number {
  if (body.length === 0) {
    throw new TypeError('deliverWebhook: cannot tamper with an empty body');
  }
  let inString = false;
  let candidate = -1;
  for (let i = 0; i < body.length; i++) {
    const byte = body[i]!;
    if (!inString) {
      if (byte === QUOTE) inString = true;
      continue;
    }
    if (byte === BACKSLASH) {
      i++; // the escaped character stays as it is
    } else if (byte === QUOTE) {
      inString = false;
    } else if ((byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)) {
      candidate = i;
    }
  }
  const index = candidate >= 0 ? candidate : body.length >> 1;
  body[index] = body[index]! ^ (candidate >= 0 ? 0x20 : 0x01);
  return index;
}

function parseAnswer(text: string, contentType: string | null): unknown {
  if (text.length > 0 && contentType !== null && /[/+]json\b/i.test(contentType)) {
    try {
      return JSON.parse(text);
    } catch {
      // A receiver that claims JSON but sends something else: show what it sent.
    }
  }
  return text;
}

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}
