/**
 * One row of the catalogue conformance table (test/catalogue-conformance.test.ts): how to call
 * one public resource method against the emulator, and what the contract says must reach the
 * wire and come back. Core rows live in catalogue-table-core.ts, extended rows in
 * catalogue-table-extended.ts; the harness merges both and fails for any method of the client
 * that has no row.
 */
import type { createResources } from '../src/resources/index.js';

/** The resource properties of the client (core + extended), as the rows call them. */
export type CatalogueClient = ReturnType<typeof createResources>;

/** Values a row's `setup` created (ids, names) for its `call` and `expect`. */
export type Fixture = Readonly<Record<string, string>>;

/**
 * The return shape the contract gives the method:
 * - `object`: the unwrapped `data` object (a plain object without `meta` next to `data`)
 * - `array`: the unwrapped `data` array of a plain-array endpoint
 * - `page`: the whole `{data: [], meta: {total, page, per_page, total_pages}}`
 * - `cursorPage`: the whole `{data: [], meta: {next_cursor, limit}}`
 * - `iterator`: an async iterator (the harness drains it)
 * - `string`: raw response text
 */
export type ReturnKind = 'object' | 'array' | 'page' | 'cursorPage' | 'iterator' | 'string';

/** A request as the contract says it goes on the wire. */
export interface ExpectedRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path exactly as on the wire (percent-encoded), without the query string. */
  path: string;
  /** Every query member as decoded text; `{}` or omitted = no query string at all. */
  query?: Record<string, string>;
  /**
   * The parsed JSON body; `'none'` = no body and no Content-Type. Omitted = `'none'` for
   * GET, and must be given for other methods.
   */
  body?: unknown;
  /** When given, the `X-Idempotency-Key` header must carry exactly this value. */
  idempotencyKey?: string;
}

export interface CatalogueRow {
  /** `resource.method` as reachable on the client, e.g. `routes.getLogs`. */
  name: string;
  /** Creates what the call needs, through the client; its requests are not checked. */
  setup?: (client: CatalogueClient) => Promise<Fixture>;
  /** Makes exactly one call of `name`. Return the promise, or the iterator for `iterate*`. */
  call: (client: CatalogueClient, fx: Fixture) => unknown;
  /**
   * The FIRST request the call sends (for iterators: the first page's request), or
   * `'no-request'` for local methods (e.g. `webhooks.constructEvent`) that must not touch the network.
   */
  expect: ExpectedRequest | ((fx: Fixture) => ExpectedRequest) | 'no-request';
  returns: ReturnKind;
  /** Extra checks on the value the call returned (e.g. a one-time secret is present). */
  check?: (result: unknown, fx: Fixture) => void;
}
