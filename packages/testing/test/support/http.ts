import type { Emulator } from '../../src/index.js';

export interface JsonResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON of any shape keeps assertions terse
  body: any;
  text: string;
}

/** fetch + parse, for terse assertions. */
export async function call(url: string, init: RequestInit = {}): Promise<JsonResponse> {
  const res = await fetch(url, { redirect: 'manual', ...init });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // keep text
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** A management call authenticated with the emulator's kc_ API key. */
export function mgmt(emu: Emulator, path: string, init: RequestInit & { json?: unknown } = {}): Promise<JsonResponse> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (!headers.has('authorization')) headers.set('authorization', `Bearer ${emu.credentials.apiKey}`);
  if (json !== undefined) headers.set('content-type', 'application/json');
  return call(`${emu.url}${path}`, { ...rest, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
}

export function tokenRequest(emu: Emulator, form: Record<string, string>, headers: Record<string, string> = {}): Promise<JsonResponse> {
  return call(`${emu.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}
