/**
 * Catalogue conformance: every public resource method is called against the emulator and the
 * request it sends is compared with the contract (method, path, query, body), as is the shape
 * of what it returns. The client's resource objects are walked at runtime, so a method with no
 * row (or a row for a method that no longer exists) fails here.
 */
import { type Emulator, type RecordedRequest, startEmulator } from '@knoxcall/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnoxCall } from '../src/index.js';
import { missingEndpoint } from './catalogue-emulator-gap.js';
import type { CatalogueClient, CatalogueRow, ExpectedRequest, Fixture, ReturnKind } from './catalogue-row.js';
import { coreRows, SPACED_SECRET_ID } from './catalogue-table-core.js';
import { extendedRows } from './catalogue-table-extended.js';

/** Resource properties whose methods are covered elsewhere (the wrap issue comes later). */
const NOT_WALKED = new Set(['wrap']);

const rows: readonly CatalogueRow[] = [...coreRows, ...extendedRows];

/**
 * The emulator answers an endpoint it does not implement with 404 "No endpoint METHOD PATH".
 * Such a row is SKIPPED (never passed) and listed at the end, so a gap is visible in every
 * run and closes by itself once the emulator serves the endpoint.
 */
const emulatorGaps: string[] = [];

let emu: Emulator;
let client: CatalogueClient;

beforeAll(async () => {
  emu = await startEmulator({ seed: { secrets: [{ id: SPACED_SECRET_ID, name: 'spaced', value: 'v' }] } });
  // A real client over HTTP; one attempt, so an emulator gap fails at once instead of retrying.
  client = new KnoxCall({ baseUrl: emu.url, apiKey: emu.credentials.apiKey, retry: { maxAttempts: 1 } });
});
afterAll(async () => {
  await emu?.close();
  if (emulatorGaps.length > 0) {
    console.warn(`catalogue conformance: ${emulatorGaps.length} row(s) skipped, the emulator lacks:\n  ${[...new Set(emulatorGaps)].join('\n  ')}`);
  }
});

/** `resource.method` for every function-valued member of every resource object of the client. */
function walkClientMethods(target: object): string[] {
  const names: string[] = [];
  for (const [resource, value] of Object.entries(target)) {
    if (NOT_WALKED.has(resource) || typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    for (const [method, member] of Object.entries(value)) if (typeof member === 'function') names.push(`${resource}.${method}`);
  }
  return names.sort();
}

function isAsyncIterator(value: unknown): value is AsyncIterableIterator<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as AsyncIterableIterator<unknown>)[Symbol.asyncIterator] === 'function';
}

async function settle(value: unknown): Promise<unknown> {
  if (!isAsyncIterator(value)) return await value;
  const items: unknown[] = [];
  for await (const item of value) {
    items.push(item);
    if (items.length > 10_000) throw new Error('iterator did not stop');
  }
  return items;
}

function assertShape(kind: ReturnKind, value: unknown, raw: unknown): void {
  const isPlainObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  switch (kind) {
    case 'object':
      expect(isPlainObject(value), 'an unwrapped object').toBe(true);
      // Unwrapped: not the `{data, meta}` envelope.
      expect('meta' in (value as object) && 'data' in (value as object), 'no envelope left').toBe(false);
      break;
    case 'array':
      expect(Array.isArray(value), 'an unwrapped array').toBe(true);
      break;
    case 'page': {
      const page = value as { data: unknown; meta: Record<string, unknown> };
      expect(Array.isArray(page.data), 'Page.data').toBe(true);
      for (const k of ['total', 'page', 'per_page', 'total_pages']) expect(typeof page.meta?.[k], `Page.meta.${k}`).toBe('number');
      break;
    }
    case 'cursorPage': {
      const page = value as { data: unknown; meta: Record<string, unknown> };
      expect(Array.isArray(page.data), 'CursorPage.data').toBe(true);
      expect(page.meta && 'next_cursor' in page.meta, 'CursorPage.meta.next_cursor').toBe(true);
      expect(typeof page.meta.limit, 'CursorPage.meta.limit').toBe('number');
      break;
    }
    case 'iterator':
      expect(isAsyncIterator(raw), 'an async iterator').toBe(true);
      expect(Array.isArray(value)).toBe(true);
      break;
    case 'string':
      expect(typeof value, 'raw text').toBe('string');
      break;
  }
}

function assertRequest(actual: RecordedRequest | undefined, expected: ExpectedRequest): void {
  expect(actual, `a ${expected.method} ${expected.path} request`).toBeDefined();
  const req = actual as RecordedRequest;
  expect(req.method).toBe(expected.method);
  expect(req.path).toBe(expected.path);
  expect(req.query).toEqual(expected.query ?? {});
  const body = expected.body ?? (expected.method === 'GET' ? 'none' : undefined);
  if (body === undefined) throw new Error(`row for ${expected.method} ${expected.path} must state its body`);
  if (body === 'none') {
    expect(req.body, 'no body').toBe('');
    expect(req.headers['content-type'], 'no Content-Type').toBeUndefined();
  } else {
    expect(req.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(req.body)).toEqual(body);
  }
  // Every mutating request carries a key (auto ULID unless given); a GET only when given.
  const key = req.headers['x-idempotency-key'];
  if (expected.idempotencyKey !== undefined) expect(key).toBe(expected.idempotencyKey);
  else if (expected.method === 'GET') expect(key, 'no idempotency key on a plain GET').toBeUndefined();
  else expect(key, 'an automatic ULID idempotency key').toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
}

/**
 * Every later request of an iterator goes to the same path with the same filters; only `page`
 * (counting up from the first) or `cursor` (the previous page's `next_cursor`) changes.
 */
function assertLaterPages(sent: RecordedRequest[], first: ExpectedRequest): void {
  const { page: firstPage, cursor: _cursor, ...filters } = first.query ?? {};
  sent.forEach((req, i) => {
    expect(req.method).toBe('GET');
    expect(req.path).toBe(first.path);
    const { page, cursor, ...rest } = req.query;
    expect(rest, `filters re-sent on request ${i + 1}`).toEqual(filters);
    if (firstPage !== undefined) expect(page).toBe(String(Number(firstPage) + i));
    else if (i > 0) expect(cursor, `cursor on request ${i + 1}`).toEqual(expect.any(String));
  });
}

describe('catalogue conformance', () => {
  it('has a row for every method of every resource on the client, and no row for a missing one', () => {
    const onClient = walkClientMethods(client);
    const inTable = [...new Set(rows.map((r) => r.name))].sort();
    expect(
      onClient.filter((m) => !inTable.includes(m)),
      'methods without a conformance row',
    ).toEqual([]);
    expect(
      inTable.filter((m) => !onClient.includes(m)),
      'rows for methods the client lacks',
    ).toEqual([]);
  });

  const counts = new Map<string, number>();
  for (const row of rows) {
    const n = (counts.get(row.name) ?? 0) + 1;
    counts.set(row.name, n);
    it(`${row.name}${n > 1 ? ` (#${n})` : ''}`, async (ctx) => {
      const skipIfEmulatorGap = (error: unknown): void => {
        const gap = missingEndpoint(error);
        if (gap === undefined) throw error;
        emulatorGaps.push(`${gap} (needed by ${row.name})`);
        ctx.skip(`emulator gap: ${gap}`);
      };
      let fx: Fixture = {};
      try {
        fx = row.setup ? await row.setup(client) : {};
      } catch (error) {
        skipIfEmulatorGap(error);
      }
      const expected = row.expect === 'no-request' ? 'no-request' : typeof row.expect === 'function' ? row.expect(fx) : row.expect;
      const before = emu.requests().length;
      const raw = (() => {
        try {
          return row.call(client, fx);
        } catch (error) {
          return Promise.reject(error);
        }
      })();
      let result: unknown;
      try {
        result = await settle(raw);
      } catch (error) {
        // Only a request that matches the contract may be excused as an emulator gap: a wrong
        // path (which the emulator also answers with "No endpoint") must fail here.
        if (expected !== 'no-request') assertRequest(emu.requests().slice(before)[0], expected);
        skipIfEmulatorGap(error);
      }
      const sent = emu.requests().slice(before);
      if (expected === 'no-request') expect(sent).toEqual([]);
      else assertRequest(sent[0], expected);
      if (row.returns === 'iterator' && expected !== 'no-request') assertLaterPages(sent, expected);
      assertShape(row.returns, result, raw);
      row.check?.(result, fx);
    });
  }
});
