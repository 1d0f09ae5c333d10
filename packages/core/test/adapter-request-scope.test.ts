import { describe, expect, it } from 'vitest';
import { assertOneClientSource, callRequestOptions, isAcceptedWebhookContentType, readHeader, scopedClientOptions } from '../src/adapter/index.js';

describe('readHeader', () => {
  it('reads Node header records, Headers and pair lists ignoring case', () => {
    expect(readHeader({ 'x-request-id': 'a' }, 'X-Request-Id')).toBe('a');
    expect(readHeader({ 'X-Request-Id': 'b' }, 'x-request-id')).toBe('b');
    expect(readHeader({ 'x-multi': ['first', 'second'] }, 'x-multi')).toBe('first');
    expect(readHeader(new Headers({ 'X-Trace': 't' }), 'x-trace')).toBe('t');
    expect(readHeader([['X-A', '1']], 'x-a')).toBe('1');
    expect(readHeader(['Content-Type', 'application/json', 'X-Dup', 'a', 'x-dup', 'b'], 'x-dup')).toBe('a');
    expect(readHeader(['Content-Type', 'application/json'], 'content-type')).toBe('application/json');
    expect(readHeader({ 'x-empty': '' }, 'x-empty')).toBeUndefined();
    expect(readHeader(undefined, 'x')).toBeUndefined();
  });
});

describe('scopedClientOptions', () => {
  it('forwards traceparent and x-request-id when present', () => {
    expect(scopedClientOptions({ traceparent: '00-abc-def-01', 'x-request-id': 'rid', cookie: 'no' }, undefined)).toEqual({
      headers: { traceparent: '00-abc-def-01', 'x-request-id': 'rid' },
    });
    expect(scopedClientOptions({ cookie: 'no' }, undefined)).toEqual({});
  });

  it("lets requestOptions' headers win, case-insensitively, and carries environment, timeout and signal", () => {
    const signal = new AbortController().signal;
    const options = scopedClientOptions(
      { 'x-request-id': 'incoming' },
      { headers: { 'X-Request-Id': 'mine', 'x-user': 'u1' }, environment: 'staging', timeout: 500 },
      signal,
    );
    expect(options).toEqual({ headers: { 'X-Request-Id': 'mine', 'x-user': 'u1' }, environment: 'staging', timeout: 500, signal });
  });

  it('rejects an async or malformed requestOptions with a message naming the option', () => {
    expect(() => callRequestOptions((async () => ({})) as unknown as () => undefined, {})).toThrow(/must be synchronous/);
    expect(() => callRequestOptions(() => ({ headers: { a: 1 as unknown as string } }), {})).toThrow(/headers\['a'\]/);
    expect(() => callRequestOptions(() => ({ timeout: -1 }), {})).toThrow(/timeout/);
    expect(callRequestOptions(() => undefined, {})).toBeUndefined();
    expect(callRequestOptions((req: { id: string }) => ({ headers: { 'x-id': req.id } }), { id: '7' })).toEqual({ headers: { 'x-id': '7' } });
  });
});

describe('assertOneClientSource', () => {
  it('requires exactly one of client and clientOptions', () => {
    expect(() => assertOneClientSource({}, 'knoxCall')).toThrow(/exactly one/);
    expect(() => assertOneClientSource({ client: { withOptions() {} }, clientOptions: {} }, 'knoxCall')).toThrow(/exactly one/);
    expect(() => assertOneClientSource({ client: {} }, 'knoxCall')).toThrow(/KnoxCall instance/);
    expect(() => assertOneClientSource({ client: { withOptions() {} } }, 'knoxCall')).not.toThrow();
  });
});

describe('isAcceptedWebhookContentType', () => {
  it('accepts JSON types with any charset and a missing type, and nothing else', () => {
    for (const ok of [
      undefined,
      '',
      'application/json',
      'Application/JSON; charset=utf-8',
      'application/cloudevents+json',
      'application/json;charset=ISO-8859-1',
    ]) {
      expect(isAcceptedWebhookContentType(ok)).toBe(true);
    }
    for (const bad of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonx',
      'text/json',
      'application/+json',
    ]) {
      expect(isAcceptedWebhookContentType(bad)).toBe(false);
    }
  });
});
