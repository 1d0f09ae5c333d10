import { describe, expect, it } from 'vitest';
import { isKnoxCallError } from '../src/errors.js';
import { fields, fieldsWithDefaults, path } from '../src/resources/define/index.js';

describe('path`…` placeholder encoding (contract transport §3.1)', () => {
  it('encodes each placeholder as exactly one segment', () => {
    expect(path`/v1/secrets/${'s_3 with spaces'}`.render()).toBe('/v1/secrets/s_3%20with%20spaces');
    expect(path`/v1/routes/${'a/b'}/environments/${'stag ing'}`.render()).toBe('/v1/routes/a%2Fb/environments/stag%20ing');
    expect(path`/v1/x/${'?#%&'}`.render()).toBe('/v1/x/%3F%23%25%26');
  });

  it('renders integers as decimal, even when large', () => {
    expect(path`/v1/crypto/keys/${'k'}/versions/${3}`.render()).toBe('/v1/crypto/keys/k/versions/3');
    expect(path`/v1/leases/${1e21}`.render()).toBe('/v1/leases/1000000000000000000000');
    expect(path`/v1/leases/${12345678901234567890n}`.render()).toBe('/v1/leases/12345678901234567890');
  });

  it('rejects an empty or non-integer placeholder with a typed error naming the endpoint', () => {
    for (const bad of ['', 1.5, Number.NaN]) {
      let thrown: unknown;
      try {
        path`/v1/routes/${bad}`.render();
      } catch (err) {
        thrown = err;
      }
      expect(isKnoxCallError(thrown)).toBe(true);
      expect((thrown as Error).message).toContain('/v1/routes/{…}');
    }
    expect(() => path`/v1/routes/${undefined as unknown as string}`.render()).toThrow(/got undefined/);
  });
});

describe('fields(input): only the given members reach the wire', () => {
  it('omits undefined and keeps null, false, 0, "", [] and {}', () => {
    expect(fields({ a: undefined, b: null, c: false, d: 0, e: '', f: [], g: {} })).toEqual({ b: null, c: false, d: 0, e: '', f: [], g: {} });
    expect(Object.keys(fields({ a: undefined }))).toEqual([]);
  });

  it('is {} when there is no input (a PATCH with no members sends {})', () => {
    expect(fields(undefined)).toEqual({});
  });

  it('fills defaults only for members the caller left undefined', () => {
    expect(fieldsWithDefaults({ name: 'n', type: undefined }, { type: 'server' })).toEqual({ name: 'n', type: 'server' });
    expect(fieldsWithDefaults({ name: 'n', type: 'user' }, { type: 'server' })).toEqual({ name: 'n', type: 'user' });
    expect(fieldsWithDefaults({ grant_types: [] }, { grant_types: ['client_credentials'] })).toEqual({ grant_types: [] });
  });
});

describe('fields(input) from untyped callers', () => {
  it('refuses a non-object input with a typed error instead of spreading it', () => {
    for (const bad of ['name', ['a'], 42]) {
      let thrown: unknown;
      try {
        fields(bad as unknown as object);
      } catch (err) {
        thrown = err;
      }
      expect(isKnoxCallError(thrown)).toBe(true);
      expect((thrown as Error).message).toMatch(/expected an object/);
    }
  });
});
