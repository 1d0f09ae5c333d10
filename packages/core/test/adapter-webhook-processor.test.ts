import { signWebhook } from '@knoxcall/testing/signer';
import { beforeEach, describe, expect, it } from 'vitest';
import type { KnoxWebhookCoreOptions, WebhookProcessor } from '../src/adapter/index.js';
import { type RecordedOutcome, recordingProcessor, useBodyRead } from './webhook-actions-recorder.js';
import { MemoryReplayStore, WebhookSignatureVerificationError } from '../src/webhooks/index.js';
import { constructWebhookEvent } from '../src/node/webhook-verifier.js';

const SECRET = 'whsec_test_secret';
const encoder = new TextEncoder();

/** Headers as an adapter hands them over: Node's IncomingHttpHeaders, names lower-cased. */
async function signedHeaders(body: string, secret = SECRET): Promise<Record<string, string>> {
  const signed = await signWebhook({ body, secret, format: 'legacy' });
  return Object.fromEntries(Object.entries(signed).map(([name, value]) => [name.toLowerCase(), value]));
}

function envelope(event = 'request.success', data: unknown = { route_id: 'r_1' }): string {
  return JSON.stringify({ event, timestamp: new Date().toISOString(), data }, null, 2);
}

interface Ctx {
  tenant: string;
}
type Args = [log: string[]];

async function deliver(
  options: KnoxWebhookCoreOptions<Ctx, Args>,
  init: { body?: string; secret?: string; headers?: Record<string, string>; log?: string[]; answered?: () => boolean } = {},
): Promise<RecordedOutcome & { log: string[] }> {
  const body = init.body ?? envelope();
  const signature = await signedHeaders(body, init.secret);
  const log = init.log ?? [];
  const processor = recordingProcessor(options);
  const outcome = await processor.process({
    ctx: { tenant: 't1' },
    headers: { 'content-type': 'application/json', ...signature, ...init.headers },
    readBody: () => encoder.encode(body),
    args: [log],
    isAnswered: init.answered ?? (() => false),
  });
  return { ...outcome, log };
}

// Every decision holds whether the body is there at once (the processor then runs without a
// promise until a step makes one) or streams in (every later step runs in the promise).
describe.each(['at once', 'later'] as const)('createWebhookProcessor, body read %s', (entry) => {
  beforeEach(() => useBodyRead(entry));

  it('runs the typed handler, then the wildcard, and answers 200 received', async () => {
    const outcome = await deliver({
      secret: SECRET,
      on: {
        'request.success': (event, log) => {
          log.push(`success:${event.data.route_id}`);
        },
        '*': (event, log) => {
          log.push(`any:${event.event}`);
        },
        'audit.event': (_event, log) => {
          log.push('audit');
        },
      },
    });
    expect(outcome).toMatchObject({ kind: 'respond', status: 200, body: { received: true } });
    expect(outcome.log).toEqual(['success:r_1', 'any:request.success']);
  });

  it('attaches the verified event before handlers run, and never for a rejected delivery', async () => {
    const order: string[] = [];
    const processor = recordingProcessor<Ctx, Args>({ secret: SECRET, on: { '*': () => void order.push('handler') } });
    const body = envelope();
    const headers = { 'content-type': 'application/json', ...(await signedHeaders(body)) };
    const run = (h: Record<string, string>) =>
      processor.process({
        ctx: { tenant: 't' },
        headers: h,
        readBody: () => encoder.encode(body),
        args: [[]],
        isAnswered: () => false,
        attach: (event) => void order.push(`attach:${event.event}`),
      });
    await run(headers);
    await run({ 'content-type': 'application/json' });
    expect(order).toEqual(['attach:request.success', 'handler']);
  });

  it('passes the event on when no handlers are given', async () => {
    const outcome = await deliver({ secret: SECRET });
    expect(outcome.kind).toBe('next');
    if (outcome.kind === 'next') expect(outcome.event.event).toBe('request.success');
  });

  it('rejects other content types with 415 before reading the body', async () => {
    let read = false;
    const processor = recordingProcessor<Ctx, Args>({ secret: SECRET });
    const outcome = await processor.process({
      ctx: { tenant: 't' },
      headers: { 'content-type': 'text/plain' },
      readBody: () => {
        read = true;
        return new Uint8Array();
      },
      args: [[]],
      isAnswered: () => false,
    });
    expect(outcome).toMatchObject({ kind: 'respond', status: 415, body: { error: { type: 'unsupported_media_type' } } });
    expect(read).toBe(false);
  });

  it('rejects a declared Content-Length over maxBodyBytes with 413 before reading', async () => {
    const outcome = await deliver({ secret: SECRET, maxBodyBytes: 10 }, { headers: { 'content-length': '11' } });
    expect(outcome).toMatchObject({ kind: 'respond', status: 413, body: { error: { type: 'payload_too_large' } } });
  });

  it('answers a wrong secret with 401 signature_mismatch and never runs handlers', async () => {
    const outcome = await deliver({ secret: SECRET, on: { '*': (_e, log) => log.push('ran') } }, { secret: 'whsec_other' });
    expect(outcome).toMatchObject({ kind: 'respond', status: 401, body: { error: { type: 'signature_mismatch' } } });
    expect(outcome.log).toEqual([]);
  });

  it('resolves secrets from the request, asynchronously, including rotations', async () => {
    const outcome = await deliver({ secret: async (ctx) => ['whsec_old', `whsec_${ctx.tenant}`], on: { '*': () => {} } }, { secret: 'whsec_t1' });
    expect(outcome).toMatchObject({ kind: 'respond', status: 200 });
    const failing = await deliver({
      secret: () => {
        throw new Error('vault down');
      },
    });
    expect(failing).toMatchObject({ kind: 'respond', status: 500, body: { error: { type: 'invalid_configuration' } } });
  });

  it('answers a replay 200 duplicate without running handlers again', async () => {
    const replayStore = new MemoryReplayStore();
    const body = envelope();
    const log: string[] = [];
    const options: KnoxWebhookCoreOptions<Ctx, Args> = { secret: SECRET, replayStore, on: { '*': (_e, l) => l.push('ran') } };
    expect(await deliver(options, { body, log })).toMatchObject({ status: 200, body: { received: true } });
    expect(await deliver(options, { body, log })).toMatchObject({ status: 200, body: { received: true, duplicate: true } });
    expect(log).toEqual(['ran']);
  });

  it('answers 500 when a handler throws and releases the claim so the retry is processed', async () => {
    const replayStore = new MemoryReplayStore();
    const body = envelope();
    let fail = true;
    const options: KnoxWebhookCoreOptions<Ctx, Args> = {
      secret: SECRET,
      replayStore,
      on: {
        'request.success': () => {
          if (fail) throw new Error('database unavailable: password=hunter2');
        },
      },
    };
    const first = await deliver(options, { body });
    expect(first).toMatchObject({ kind: 'respond', status: 500, body: { error: { type: 'handler_failed' } } });
    expect(JSON.stringify(first.kind === 'respond' ? first.body : {})).not.toContain('hunter2');
    fail = false;
    expect(await deliver(options, { body })).toMatchObject({ status: 200, body: { received: true } });
  });

  it('lets onError answer instead, and falls back to the default when it does not', async () => {
    let answered = false;
    const seen: string[] = [];
    const outcome = await deliver(
      {
        secret: SECRET,
        onError: (error) => {
          seen.push(error.code);
          answered = true;
        },
      },
      { secret: 'whsec_wrong', answered: () => answered },
    );
    expect(outcome.kind).toBe('answered');
    expect(seen).toEqual(['signature_mismatch']);
    const fallback = await deliver({ secret: SECRET, onError: () => undefined }, { secret: 'whsec_wrong' });
    expect(fallback).toMatchObject({ kind: 'respond', status: 401 });
    // A hook that returns something without answering (e.g. `errors.push(e)`) still gets the default answer.
    const returned = await deliver({ secret: SECRET, onError: () => 42 }, { secret: 'whsec_wrong' });
    expect(returned).toMatchObject({ kind: 'respond', status: 401 });
  });

  it('hands what handlers and onError return to answerWith (frameworks that answer by returning)', async () => {
    const body = envelope();
    const results: unknown[] = [];
    const processor = recordingProcessor<Ctx, Args>({
      secret: SECRET,
      on: { 'request.success': () => 'typed', '*': async () => 'wildcard' },
      onError: () => 'from onError',
    });
    const deliverWith = async (headers: Record<string, string>) =>
      processor.process({
        ctx: { tenant: 't' },
        headers: { 'content-type': 'application/json', ...headers },
        readBody: () => encoder.encode(body),
        args: [[]],
        isAnswered: () => false,
        answerWith: (result) => results.push(result),
      });
    expect(await deliverWith(await signedHeaders(body))).toMatchObject({ kind: 'respond', status: 200 });
    expect(results).toEqual(['typed', 'wildcard']);
    expect(await deliverWith(await signedHeaders(body, 'whsec_wrong'))).toMatchObject({ kind: 'respond', status: 401 });
    expect(results).toEqual(['typed', 'wildcard', 'from onError']);
  });

  it("answers 400 (not 500) when the sender's body stream breaks off", async () => {
    const processor = recordingProcessor<Ctx, Args>({ secret: SECRET });
    const outcome = await processor.process({
      ctx: { tenant: 't' },
      headers: { 'content-type': 'application/json' },
      readBody: () => Promise.reject(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })),
      args: [[]],
      isAnswered: () => false,
    });
    expect(outcome).toMatchObject({ kind: 'respond', status: 400, body: { error: { type: 'invalid_payload' } } });
  });

  it('does not answer again when a handler already answered', async () => {
    const outcome = await deliver({ secret: SECRET, on: { '*': () => {} } }, { answered: () => true });
    expect(outcome.kind).toBe('answered');
  });

  it('fails at setup on a missing secret or a malformed option', () => {
    expect(() => recordingProcessor({ secret: '' })).toThrow(/secret/);
    expect(() => recordingProcessor({ secret: [] })).toThrow(/secret/);
    expect(() => recordingProcessor({ secret: 's', maxBodyBytes: -1 })).toThrow(/maxBodyBytes/);
    expect(() => recordingProcessor({ secret: 's', on: { 'request.success': 'nope' as never } })).toThrow(/request.success/);
  });

  it("fails at setup on a bad format, custom without headerName, or a negative tolerance — with constructWebhookEvent's own error", () => {
    const bad: Array<Record<string, unknown>> = [
      { format: 'stirpe' },
      { format: 'custom' },
      { format: 'custom', headerName: ' ' },
      { toleranceSeconds: -5 },
      { toleranceSeconds: Number.POSITIVE_INFINITY },
      { now: 5 },
    ];
    for (const options of bad) {
      let expected: unknown;
      try {
        constructWebhookEvent('{}', {}, 's', options as never);
      } catch (error) {
        expected = error;
      }
      expect(expected, JSON.stringify(options)).toBeInstanceOf(WebhookSignatureVerificationError);
      let thrown: unknown;
      try {
        recordingProcessor({ secret: 's', ...options } as never);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, JSON.stringify(options)).toBeInstanceOf(WebhookSignatureVerificationError);
      expect((thrown as Error).message).toBe((expected as Error).message);
      expect((thrown as { code: string }).code).toBe('invalid_configuration');
    }
    // a secret function is not called at setup; a good configuration is accepted
    expect(() => recordingProcessor({ secret: () => 's', format: 'custom', headerName: 'X-Sig', toleranceSeconds: 0 })).not.toThrow();
  });

  it('logs a failing secret function once per failure unless onError takes it', async () => {
    const logged: Array<[string, unknown]> = [];
    const failing = () => {
      throw new Error('vault down');
    };
    const body = envelope();
    const headers = { 'content-type': 'application/json', ...(await signedHeaders(body)) };
    const run = (processor: ReturnType<typeof recordingProcessor<Ctx, Args>>) =>
      processor.process({ ctx: { tenant: 't' }, headers, readBody: () => encoder.encode(body), args: [[]], isAnswered: () => false });
    const plain = recordingProcessor<Ctx, Args>({ secret: failing }, { log: (message, error) => logged.push([message, error]) });
    expect(await run(plain)).toMatchObject({ status: 500, body: { error: { type: 'invalid_configuration' } } });
    expect(logged).toHaveLength(1);
    expect(logged[0]![0]).toMatch(/^knoxWebhook: the `secret` function threw/);
    expect((logged[0]![1] as Error).message).toBe('vault down');
    const handled = recordingProcessor<Ctx, Args>({ secret: failing, onError: () => {} }, { log: (message, error) => logged.push([message, error]) });
    await run(handled);
    expect(logged).toHaveLength(1);
  });

  it('refuses an encoded body (Content-Encoding) with 415 before reading it; identity is fine', async () => {
    let read = 0;
    const body = envelope();
    const processor = recordingProcessor<Ctx, Args>({ secret: SECRET, on: { '*': () => {} } });
    const run = async (encoding: string) =>
      processor.process({
        ctx: { tenant: 't' },
        headers: { 'content-type': 'application/json', 'content-encoding': encoding, ...(await signedHeaders(body)) },
        readBody: () => {
          read++;
          return encoder.encode(body);
        },
        args: [[]],
        isAnswered: () => false,
      });
    for (const encoding of ['gzip', 'br', 'deflate', 'GZIP', 'identity, gzip']) {
      expect(await run(encoding), encoding).toMatchObject({ status: 415, body: { error: { type: 'unsupported_media_type' } } });
    }
    expect(read).toBe(0);
    expect(await run('identity')).toMatchObject({ status: 200 });
    expect(await run('')).toMatchObject({ status: 200 }); // empty = absent
  });

  it('judges an empty Content-Type as missing and a repeated one by its first value', async () => {
    const accepted = ['', '   ', 'application/json, application/json', 'application/json, text/plain', 'application/json;charset=utf-8, text/plain'];
    for (const contentType of accepted) {
      expect(await deliver({ secret: SECRET, on: { '*': () => {} } }, { headers: { 'content-type': contentType } }), JSON.stringify(contentType)).toMatchObject(
        { status: 200 },
      );
    }
    for (const contentType of ['text/plain, application/json', 'text/html;q=1, application/json']) {
      expect(await deliver({ secret: SECRET, on: { '*': () => {} } }, { headers: { 'content-type': contentType } }), contentType).toMatchObject({
        status: 415,
      });
    }
  });
});

describe('createWebhookProcessor without a promise', () => {
  beforeEach(() => useBodyRead('at once'));

  it('answers a delivery whose every step answers at once without a promise; an async secret function or handler makes one', async () => {
    const body = envelope();
    const delivery = {
      ctx: { tenant: 't1' },
      headers: { 'content-type': 'application/json', ...(await signedHeaders(body)) },
      readBody: () => encoder.encode(body),
      args: [[]] as Args,
      isAnswered: () => false,
    };
    const processorOf = (options: KnoxWebhookCoreOptions<Ctx, Args>) =>
      recordingProcessor<Ctx, Args>(options).processor as WebhookProcessor<typeof delivery, RecordedOutcome>;

    const answer = processorOf({ secret: SECRET, on: { '*': () => {} } }).handle(delivery);
    expect(answer).not.toBeInstanceOf(Promise);
    expect(answer).toMatchObject({ kind: 'respond', status: 200, body: { received: true } });

    const wrong = processorOf({ secret: 'whsec_other', on: { '*': () => {} } }).handle(delivery);
    expect(wrong).not.toBeInstanceOf(Promise);
    expect(wrong).toMatchObject({ kind: 'respond', status: 401 });

    const viaFunction = processorOf({ secret: () => SECRET, on: { '*': () => {} } }).handle(delivery);
    expect(viaFunction).not.toBeInstanceOf(Promise);
    expect(viaFunction).toMatchObject({ kind: 'respond', status: 200 });

    const viaAsyncFunction = processorOf({ secret: async () => SECRET, on: { '*': () => {} } }).handle(delivery);
    expect(viaAsyncFunction).toBeInstanceOf(Promise);
    expect(await viaAsyncFunction).toMatchObject({ kind: 'respond', status: 200 });

    const asyncHandler = processorOf({ secret: SECRET, on: { '*': async () => {} } }).handle(delivery);
    expect(asyncHandler).toBeInstanceOf(Promise);
    expect(await asyncHandler).toMatchObject({ kind: 'respond', status: 200 });
  });
});
