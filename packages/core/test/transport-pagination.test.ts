import { type Emulator, startEmulator } from '@knoxcall/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KnoxCall } from '../src/index.js';
import { type CursorPage, iterateCursor, iteratePages, type Page, unwrap } from '../src/transport/pagination.js';

let emu: Emulator;
let client: KnoxCall;
beforeAll(async () => {
  emu = await startEmulator({
    seed: {
      routes: Array.from({ length: 5 }, (_, i) => ({ name: `Route ${i}`, slug: `route-${i}`, target_base_url: 'http://127.0.0.1:9' })),
    },
  });
  client = new KnoxCall({ baseUrl: emu.url, apiKey: emu.credentials.apiKey });
});
afterAll(() => emu.close());
beforeEach(() => {
  emu.reset();
  emu.clearRequests();
});

interface Row {
  slug: string;
}
const listRoutes = (params: Record<string, unknown>) => client.request<Page<Row>>({ method: 'GET', path: '/v1/routes', query: params });
const pagesRequested = () => emu.requests().map((r) => r.query);

describe('iteratePages (transport §4.3)', () => {
  it('5 items at per_page 2 → pages "1", "2", "3" only, never cursor/limit, filters on every page', async () => {
    const slugs: string[] = [];
    for await (const row of iteratePages(listRoutes, { per_page: 2, enabled: true })) slugs.push(row.slug);
    expect(slugs).toHaveLength(5);
    expect(new Set(slugs).size).toBe(5);
    expect(pagesRequested()).toEqual([
      { per_page: '2', enabled: 'true', page: '1' },
      { per_page: '2', enabled: 'true', page: '2' },
      { per_page: '2', enabled: 'true', page: '3' },
    ]);
  });

  it('is lazy and stops when the loop is left', async () => {
    const iterator = iteratePages(listRoutes, { per_page: 2 });
    expect(emu.requests()).toHaveLength(0);
    for await (const _row of iterator) break;
    expect(pagesRequested()).toEqual([{ per_page: '2', page: '1' }]);
  });

  it('starts at params.page and stops at total_pages', async () => {
    const rows: Row[] = [];
    for await (const row of iteratePages(listRoutes, { page: 2, per_page: 2 })) rows.push(row);
    expect(rows).toHaveLength(3);
    expect(pagesRequested().map((q) => q.page)).toEqual(['2', '3']);
  });

  it('an empty first page stops even if total claims more; missing total_pages counts as 0', async () => {
    emu.script('GET', '/v1/routes', [
      { status: 200, body: { data: [], meta: { total: 10, page: 1, per_page: 2, total_pages: 5 } } },
      { status: 200, body: { data: [{ slug: 'only' }], meta: {} } },
    ]);
    const first: Row[] = [];
    for await (const row of iteratePages(listRoutes, {})) first.push(row);
    expect(first).toEqual([]);
    const second: Row[] = [];
    for await (const row of iteratePages(listRoutes, {})) second.push(row);
    expect(second).toEqual([{ slug: 'only' }]);
    expect(emu.requests()).toHaveLength(2);
  });
});

describe('iterateCursor (transport §4.4)', () => {
  const feed = (params: Record<string, unknown>) => client.request<CursorPage<{ id: string }>>({ method: 'GET', path: '/v1/audit-logs/events', query: params });
  const page = (ids: string[], next: string | null | undefined) => ({
    status: 200,
    body: {
      data: ids.map((id) => ({ id })),
      meta: { ...(next === undefined ? {} : { next_cursor: next }), limit: 2, delivery: 'at_least_once', dedupe_on: 'id' },
    },
  });

  it('passes next_cursor back verbatim and stops on null', async () => {
    emu.script('GET', '/v1/audit-logs/events', [page(['a', 'b'], 'c1/+=='), page(['c'], null)]);
    const ids: string[] = [];
    for await (const row of iterateCursor(feed, { limit: 2, action: 'secret.created' })) ids.push(row.id);
    expect(ids).toEqual(['a', 'b', 'c']);
    expect(pagesRequested()).toEqual([
      { limit: '2', action: 'secret.created' },
      { limit: '2', action: 'secret.created', cursor: 'c1/+==' },
    ]);
  });

  it('stops on an absent or empty cursor, and on an empty page that echoes the cursor sent', async () => {
    emu.script('GET', '/v1/audit-logs/events', [page(['a'], undefined), page(['b'], ''), page(['c'], 'same'), page([], 'same')]);
    const collect = async () => {
      const out: string[] = [];
      for await (const row of iterateCursor(feed, {})) out.push(row.id);
      return out;
    };
    expect(await collect()).toEqual(['a']);
    expect(await collect()).toEqual(['b']);
    expect(await collect()).toEqual(['c']);
    expect(emu.requests()).toHaveLength(4);
  });
});

describe('unwrap (transport §4.2)', () => {
  it('returns data when present, the value otherwise', async () => {
    const account = await client.request({ method: 'GET', path: '/v1/account' });
    expect(unwrap<{ slug: string }>(account).slug).toBe(emu.tenant);
    expect(unwrap('-----BEGIN CERTIFICATE-----')).toBe('-----BEGIN CERTIFICATE-----');
    expect(unwrap(null)).toBeNull();
    expect(unwrap({ data: null })).toBeNull();
    expect(unwrap({ other: 1 })).toEqual({ other: 1 });
  });
});
