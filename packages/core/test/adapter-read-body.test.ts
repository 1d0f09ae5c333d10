import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { assertContentLengthWithin, readBodyWithLimit, resolveMaxBodyBytes } from '../src/adapter/index.js';

const bytes = (...values: number[]) => new Uint8Array(values);

function streamOf(chunks: Uint8Array[]): { stream: ReadableStream<Uint8Array>; pulled: () => number; cancelled: () => boolean } {
  let index = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const chunk = chunks[index++];
        if (chunk === undefined) controller.close();
        else controller.enqueue(chunk);
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulled: () => index, cancelled: () => cancelled };
}

describe('readBodyWithLimit', () => {
  it('joins the chunks of a Web stream and of an async iterable, byte for byte', async () => {
    expect(await readBodyWithLimit(streamOf([bytes(1, 2), bytes(3)]).stream, 10)).toEqual(bytes(1, 2, 3));
    async function* gen() {
      yield bytes(4);
      yield bytes(5, 6);
    }
    expect(await readBodyWithLimit(gen(), 3)).toEqual(bytes(4, 5, 6));
    expect(await readBodyWithLimit(streamOf([]).stream, 10)).toEqual(new Uint8Array(0));
  });

  it('stops reading at the limit with payload_too_large and cancels a Web stream', async () => {
    const source = streamOf([bytes(1, 2), bytes(3, 4), bytes(5, 6), bytes(7, 8)]);
    await expect(readBodyWithLimit(source.stream, 3)).rejects.toMatchObject({ code: 'payload_too_large' });
    expect(source.pulled()).toBeLessThanOrEqual(3);
    expect(source.cancelled()).toBe(true);
  });

  it('stops pulling an async iterable at the limit without closing it', async () => {
    let pulled = 0;
    let returned = false;
    const iterable: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => (pulled++ < 100 ? { done: false, value: bytes(1, 2, 3, 4) } : { done: true, value: undefined }),
        return: async () => {
          returned = true;
          return { done: true, value: undefined };
        },
      }),
    };
    await expect(readBodyWithLimit(iterable, 10)).rejects.toMatchObject({ code: 'payload_too_large' });
    expect(pulled).toBe(3);
    expect(returned).toBe(false);
  });

  it('reads a Node stream through its events, and on the limit pauses it without destroying it', async () => {
    const ok = new PassThrough();
    const read = readBodyWithLimit(ok, 10);
    ok.write(Buffer.from([1, 2]));
    ok.end(Buffer.from([3]));
    expect(new Uint8Array(await read)).toEqual(new Uint8Array([1, 2, 3]));

    const big = new PassThrough();
    const rejected = readBodyWithLimit(big, 3);
    big.write(Buffer.from([1, 2]));
    big.write(Buffer.from([3, 4]));
    await expect(rejected).rejects.toMatchObject({ code: 'payload_too_large' });
    expect(big.destroyed).toBe(false);
    expect(big.isPaused()).toBe(true);
    expect(big.listenerCount('data')).toBe(0);
  });

  it('rejects when a Node stream closes before its end (the sender went away)', async () => {
    const stream = new PassThrough();
    const read = readBodyWithLimit(stream, 100);
    stream.write(Buffer.from([1]));
    stream.destroy();
    await expect(read).rejects.toThrow(/closed before the body was complete/);
  });

  it('checks a declared Content-Length up front', () => {
    expect(() => assertContentLengthWithin('11', 10)).toThrow(/maxBodyBytes/);
    expect(() => assertContentLengthWithin('10', 10)).not.toThrow();
    expect(() => assertContentLengthWithin(undefined, 10)).not.toThrow();
    expect(() => assertContentLengthWithin('abc', 10)).not.toThrow();
  });

  it('validates maxBodyBytes', () => {
    expect(resolveMaxBodyBytes(undefined)).toBe(1024 * 1024);
    expect(() => resolveMaxBodyBytes(0)).toThrow(TypeError);
    expect(() => resolveMaxBodyBytes(1.5)).toThrow(TypeError);
  });
});
