import type { IncomingMessage } from 'node:http';

export interface ReadBody {
  body: Buffer;
  tooLarge: boolean;
}

/**
 * Reads the whole request body, keeping at most `cap` bytes. An oversize body is still drained
 * (up to a hard limit) so the connection stays usable and the 413 reaches the client.
 */
export function readBody(req: IncomingMessage, cap: number): Promise<ReadBody> {
  const hardLimit = Math.max(cap * 8, 16 * 1024 * 1024);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) {
        tooLarge = true;
        chunks.length = 0;
        if (size > hardLimit) req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    const done = () => resolve({ body: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge });
    req.on('end', done);
    req.on('error', done);
    req.on('close', done);
  });
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** `application/json` or `application/*+json`, any parameters. */
export function isJsonContentType(value: string | undefined): boolean {
  return value !== undefined && JSON_TYPE.test(value.trim());
}
