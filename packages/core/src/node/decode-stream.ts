import { Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import { BROTLI_LENIENT, type Coding, isZlibWrapped, ZLIB_LENIENT } from './content-codings.js';

// A body decoded while it streams in, by the rules in content-codings.ts, with zlib's streams
// and fetch's lenient flush modes.

/** The decoding stages of one body: write the body into `input`, read the decoded bytes from `output`. */
export interface DecodeChain {
  input: Transform;
  output: Transform;
  stages: Transform[];
}

/**
 * "deflate" either zlib-wrapped or raw, told apart by the first byte as fetch does: the inner
 * inflater is chosen when that byte arrives.
 */
class InflateEither extends Transform {
  #inner: zlib.Inflate | zlib.InflateRaw | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.#inner === undefined) {
      const inner = isZlibWrapped(chunk[0] as number) ? zlib.createInflate(ZLIB_LENIENT) : zlib.createInflateRaw(ZLIB_LENIENT);
      inner.on('data', (decoded: Buffer) => this.push(decoded));
      inner.on('error', (error) => this.destroy(error));
      this.#inner = inner;
    }
    this.#inner.write(chunk, () => callback());
  }

  override _flush(callback: TransformCallback): void {
    const inner = this.#inner;
    if (inner === undefined) {
      callback();
      return;
    }
    inner.once('end', () => callback());
    inner.end();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#inner?.destroy();
    callback(error);
  }
}

function stageFor(coding: Coding): Transform {
  switch (coding) {
    case 'gzip':
      return zlib.createGunzip(ZLIB_LENIENT);
    case 'deflate':
      return new InflateEither();
    case 'br':
      return zlib.createBrotliDecompress(BROTLI_LENIENT);
    case 'zstd':
      // codingsToUndo lists zstd only where Node has it.
      return (zlib as unknown as { createZstdDecompress(): Transform }).createZstdDecompress();
  }
}

/** The stages undoing `codings` in order, piped one into the next (each pipe carries backpressure). */
export function decodeChain(codings: readonly Coding[]): DecodeChain {
  const stages = codings.map(stageFor);
  for (let i = 0; i + 1 < stages.length; i++) (stages[i] as Transform).pipe(stages[i + 1] as Transform);
  return { input: stages[0] as Transform, output: stages[stages.length - 1] as Transform, stages };
}
