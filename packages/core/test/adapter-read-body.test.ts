import { describe, expect, it } from 'vitest';
import { assertContentLengthWithin, readBodyWithLimit, resolveMaxBodyBytes } from '../src/adapter/index.js';

const bytes = (...values: number[]) => new Uint8Array(values);

function streamOf(chunks: Uint8Array[]): { stream: ReadableStream<Uint8Array>; pulled: () => number; cancelled: () => boolean } {
  let index = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk === undefined) controller.close();
      else controller.enqueue(chunk);
    },
    cancel() {
      cancelled = true;
    },
  }, { highWaterMark: 0 });
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
