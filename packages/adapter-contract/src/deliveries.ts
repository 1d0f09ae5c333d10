import { request as httpRequest } from 'node:http';
import { type WebhookHmacFormat, signWebhook } from '@knoxcall/testing/signer';

export const SECRET = 'whsec_contract_secret';
export const CUSTOM_HEADER = 'X-Acme-Signature';

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The KnoxCall envelope, pretty-printed with 2-space indentation as the server sends it. */
export function envelopeBody(event = 'request.success', options: { timestampSeconds?: number; data?: unknown } = {}): string {
  const timestamp = new Date((options.timestampSeconds ?? nowSeconds()) * 1000).toISOString();
  return JSON.stringify(
    {
      event,
      timestamp,
      webhook_id: 'wh_contract',
      webhook_name: 'contract',
      data: options.data ?? {
        route_id: 'r_1',
        route_name: 'orders',
        environment: 'production',
        request: { method: 'POST', path: '/v1/orders', ip: '203.0.113.9' },
        response: { status: 201, latency_ms: 42 },
      },
    },
    null,
    2,
  );
}

export interface SignedDelivery {
  body: string | Uint8Array;
  headers: Record<string, string>;
}

/** A signed delivery that can be sent (and re-sent byte for byte) with `post`. */
export async function signedDelivery(
  body: string | Uint8Array,
  options: { secret?: string; format?: WebhookHmacFormat; headerName?: string; timestamp?: number; contentType?: string | null } = {},
): Promise<SignedDelivery> {
  const format = options.format ?? 'legacy';
  const signature = await signWebhook({
    body,
    secret: options.secret ?? SECRET,
    format,
    ...(format === 'custom' ? { headerName: options.headerName ?? CUSTOM_HEADER } : {}),
    ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
  });
  const headers: Record<string, string> = { ...signature };
  if (options.contentType !== null) headers['content-type'] = options.contentType ?? 'application/json';
  return { body, headers };
}

export interface Answer {
  status: number;
  body: unknown;
  text: string;
  headers: Headers;
}

/** POSTs with fetch and reads the whole answer. */
export async function post(url: string, delivery: { body: BodyInit | string | Uint8Array; headers: HeadersInit }, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', body: delivery.body as BodyInit, headers: delivery.headers, ...init });
  return readAnswer(response);
}

export async function readAnswer(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text.length > 0 ? JSON.parse(text) : text;
  } catch {
    // not JSON: keep the text so a failing assertion shows what came back
  }
  return { status: response.status, body, text, headers: response.headers };
}

/**
 * POSTs with node:http, which sends header lines exactly as given: an empty value, or the
 * same header twice (`['a', 'b']` → two lines) — what fetch cannot send (it joins them).
 */
export function postRaw(url: string, body: string | Uint8Array, headers: Record<string, string | string[]>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = httpRequest({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST' }, (response) => {
      const chunks: Uint8Array[] = [];
      response.on('data', (chunk: Uint8Array) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const answerHeaders = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          if (value !== undefined) answerHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        let parsed: unknown = text;
        try {
          parsed = text.length > 0 ? JSON.parse(text) : text;
        } catch {}
        resolve({ status: response.statusCode ?? 0, body: parsed, text, headers: answerHeaders });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    for (const [name, value] of Object.entries(headers)) request.setHeader(name, value);
    request.setHeader('content-length', String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength));
    request.end(body);
  });
}
