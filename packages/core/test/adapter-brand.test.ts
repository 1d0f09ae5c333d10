/**
 * The two adapter brands: `brandAttached` (a non-enumerable property, inherited through a
 * prototype) and `stampAttached` (a private field, for the event verified per delivery). One
 * check, `isBrandedAttachment`, accepts either — in the build that branded and in the other
 * build loaded next to it (an ESM app with a CJS dependency).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KNOX_ADAPTER_BRAND, brandAttached, isBrandedAttachment, stampAttached } from '../src/adapter/brand.js';

const dist = (file: string): string => {
  const path = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'dist', file);
  if (!existsSync(path)) throw new Error(`packages/core/dist/${file} is missing: run pnpm build first`);
  return path;
};

describe('stampAttached', () => {
  it('brands the object itself, invisibly: keys, symbols, JSON and deep equality are unchanged', () => {
    const event = JSON.parse('{"event":"request.success","data":{"a":1}}') as Record<string, unknown>;
    expect(isBrandedAttachment(event)).toBe(false);
    expect(stampAttached(event)).toBe(event);
    expect(isBrandedAttachment(event)).toBe(true);
    expect(Reflect.ownKeys(event)).toEqual(['event', 'data']);
    expect(JSON.stringify(event)).toBe('{"event":"request.success","data":{"a":1}}');
    expect(event).toEqual({ event: 'request.success', data: { a: 1 } });
  });

  it('is not copied (spread, Object.assign, structuredClone) and cannot be set by assignment', () => {
    const event = stampAttached({ event: 'request.success' });
    expect(isBrandedAttachment({ ...event })).toBe(false);
    expect(isBrandedAttachment(Object.assign({}, event))).toBe(false);
    expect(isBrandedAttachment(structuredClone(event))).toBe(false);
    const forged: Record<string, unknown> = { event: 'request.success', knox: true, brand: true };
    expect(isBrandedAttachment(forged)).toBe(false);
  });

  it('is not inherited (brandAttached is: a branded prototype brands its instances)', () => {
    const stampedProto = stampAttached({});
    expect(isBrandedAttachment(Object.create(stampedProto))).toBe(false);
    const brandedProto = brandAttached({});
    expect(isBrandedAttachment(Object.create(brandedProto))).toBe(true);
    expect((brandedProto as Record<symbol, unknown>)[KNOX_ADAPTER_BRAND]).toBe(true);
  });

  it('non-objects are never branded', () => {
    for (const value of [undefined, null, 'x', 1, true, Symbol.for('knoxcall.adapter')]) expect(isBrandedAttachment(value)).toBe(false);
  });
});

describe('across the ESM and CJS builds', () => {
  it('an event stamped by one build is branded for the other (one process-wide class)', async () => {
    type Adapter = { isBrandedAttachment(value: unknown): boolean; createWebhookProcessor: typeof import('../src/adapter/index.js').createWebhookProcessor };
    const esm = (await import(pathToFileURL(dist('adapter.js')).href)) as Adapter;
    const cjs = createRequire(import.meta.url)(dist('adapter.cjs')) as Adapter;
    expect(esm.createWebhookProcessor).not.toBe(cjs.createWebhookProcessor); // really two copies
    const event = stampAttached({ event: 'request.success' });
    expect(esm.isBrandedAttachment(event)).toBe(true);
    expect(cjs.isBrandedAttachment(event)).toBe(true);
    expect(cjs.isBrandedAttachment({ event: 'request.success' })).toBe(false);
  });
});
