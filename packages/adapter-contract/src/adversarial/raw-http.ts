import { type Socket, connect } from 'node:net';

/**
 * A minimal HTTP/1.1 client over raw sockets. `fetch` normalises what the suite needs to
 * send badly: it lower-cases names, refuses bytes above 0x7f in values, and always frames
 * the body honestly. Here every byte on the wire is the caller's.
 */

/** Header name and value; the value is a latin1 string (one char per byte, 0x00–0xff). */
export type HeaderList = ReadonlyArray<readonly [name: string, value: string]>;

export interface RawRequest {
  method?: string;
  path: string;
  headers: HeaderList;
  body: Uint8Array;
  /** Send the body with `Transfer-Encoding: chunked` in chunks of these sizes (the rest in one last chunk). */
  chunks?: readonly number[];
}

export interface RawResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  text: string;
}

export type RawResult =
  | { kind: 'response'; response: RawResponse }
  /** The server closed (or reset) the connection before a complete response. */
  | { kind: 'closed'; partial: string }
  /** Nothing complete within the bound: a hang. */
  | { kind: 'timeout'; partial: string };

/** Serialises a request with honest framing: Host, then the caller's headers, then Content-Length or chunked. */
export function encodeRequest(request: RawRequest): Buffer {
  const lines = [`${request.method ?? 'POST'} ${request.path} HTTP/1.1`, 'Host: 127.0.0.1'];
  for (const [name, value] of request.headers) lines.push(`${name}: ${value}`);
  const body = Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength);
  if (request.chunks === undefined) {
    lines.push(`Content-Length: ${body.byteLength}`);
    return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
  }
  lines.push('Transfer-Encoding: chunked');
  const parts: Buffer[] = [Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1')];
  let offset = 0;
  const sizes = [...request.chunks, body.byteLength];
  for (const size of sizes) {
    const piece = body.subarray(offset, Math.min(body.byteLength, offset + Math.max(1, size)));
    if (piece.byteLength === 0) break;
    parts.push(Buffer.from(`${piece.byteLength.toString(16)}\r\n`, 'latin1'), piece, Buffer.from('\r\n'));
    offset += piece.byteLength;
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

/** Parses one response at the start of `data`; undefined while incomplete. `atEnd`: the peer closed. */
export function parseResponse(data: Buffer, atEnd: boolean): { response: RawResponse; consumed: number } | undefined {
  let start = 0;
  for (;;) {
    const headEnd = data.indexOf('\r\n\r\n', start);
    if (headEnd < 0) return undefined;
    const head = data.subarray(start, headEnd).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '')?.[1]);
    if (!Number.isInteger(status)) throw new Error(`not an HTTP response: ${JSON.stringify(head[0])}`);
    const headers: Record<string, string> = {};
    for (const line of head.slice(1)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    const bodyStart = headEnd + 4;
    // 1xx (100 Continue) is interim: the real answer follows.
    if (status >= 100 && status < 200) {
      start = bodyStart;
      continue;
    }
    const body = readBody(data, bodyStart, headers, atEnd);
    if (body === undefined) return undefined;
    return { response: { status, headers, text: body.bytes.toString('utf8') }, consumed: body.end };
  }
}

function readBody(data: Buffer, from: number, headers: Record<string, string>, atEnd: boolean): { bytes: Buffer; end: number } | undefined {
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    const pieces: Buffer[] = [];
    let at = from;
    for (;;) {
      const lineEnd = data.indexOf('\r\n', at);
      if (lineEnd < 0) return undefined;
      const size = Number.parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
      if (size === 0) {
        const trailerEnd = data.indexOf('\r\n', lineEnd + 2);
        return trailerEnd < 0 ? undefined : { bytes: Buffer.concat(pieces), end: trailerEnd + 2 };
      }
      if (data.byteLength < lineEnd + 2 + size + 2) return undefined;
      pieces.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
  }
  const length = headers['content-length'];
  if (length !== undefined) {
    const end = from + Number(length);
    return data.byteLength < end ? undefined : { bytes: data.subarray(from, end), end };
  }
  return atEnd ? { bytes: data.subarray(from), end: data.byteLength } : undefined;
}

export interface SendOptions {
  gapMs?: number;
  /** Half-close after the last slice. */
  end?: boolean;
  /** Receives the time the last slice was written (stays unset if the answer came first). */
  written?: { at?: number };
}

/** Splits `bytes` into slices of `size` bytes (the last may be shorter). */
export function slices(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.byteLength; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** One keep-alive connection: requests go one after another, each answered or failed within its bound. */
export class RawConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private ended = false;
  private waiter: ((result: RawResult) => void) | undefined;
  /** Requests answered on this connection so far (a reused connection may have been closed while idle). */
  answered = 0;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.byteLength === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.settle();
    });
    const end = (): void => {
      this.ended = true;
      this.settle();
    };
    socket.on('end', end);
    socket.on('close', end);
    // A reset after the answer (the server closed while we still wrote a body it refused) is normal.
    socket.on('error', end);
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: '127.0.0.1', noDelay: true });
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  get usable(): boolean {
    return !this.ended && !this.socket.destroyed;
  }

  /**
   * Writes `bytes` (optionally as slices `gapMs` apart, then a half-close with `end`) and waits
   * for one response, a close, or the bound. `written` is set once the last slice went out.
   */
  send(bytes: Buffer | readonly Buffer[], timeoutMs: number, options: SendOptions = {}): Promise<RawResult> {
    return new Promise<RawResult>((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve({ kind: 'timeout', partial: this.buffer.toString('latin1').slice(0, 300) });
        this.destroy();
      }, timeoutMs);
      this.waiter = (result) => {
        clearTimeout(timer);
        this.waiter = undefined;
        if (result.kind === 'response') this.answered++;
        resolve(result);
      };
      void this.write(Array.isArray(bytes) ? bytes : [bytes as Buffer], options);
      this.settle();
    });
  }

  /** Waits for whatever else the server sends: a further response, or the close (false after `timeoutMs`). */
  next(timeoutMs: number): Promise<RawResult> {
    return this.send([], timeoutMs);
  }

  /** Half-closes the sending side (FIN): the server sees the end of the request stream. */
  endWriting(): void {
    if (!this.socket.destroyed) this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private async write(slices: readonly Buffer[], options: SendOptions): Promise<void> {
    for (const [i, slice] of slices.entries()) {
      if (i > 0 && options.gapMs) await new Promise((r) => setTimeout(r, options.gapMs));
      if (!this.usable || this.waiter === undefined) return;
      this.socket.write(slice);
    }
    if (options.end) this.endWriting();
    if (options.written) options.written.at = Date.now();
  }

  private settle(): void {
    if (this.waiter === undefined) return;
    let parsed: ReturnType<typeof parseResponse>;
    try {
      parsed = parseResponse(this.buffer, this.ended);
    } catch (error) {
      this.waiter({ kind: 'closed', partial: `unparseable: ${(error as Error).message}` });
      this.destroy();
      return;
    }
    if (parsed !== undefined) {
      this.buffer = this.buffer.subarray(parsed.consumed);
      if (/close/i.test(parsed.response.headers.connection ?? '')) this.destroy();
      this.waiter({ kind: 'response', response: parsed.response });
    } else if (this.ended) {
      this.waiter({ kind: 'closed', partial: this.buffer.toString('latin1').slice(0, 300) });
    }
  }
}

/**
 * Sends `count` requests over `concurrency` keep-alive connections. A connection found closed
 * before it answered anything on reuse (the server's idle timeout) is replaced and the request
 * retried once on a fresh one; a fresh connection that closes unanswered is reported as such.
 */
export async function sendAll(options: {
  port: number;
  count: number;
  concurrency: number;
  timeoutMs: number;
  request: (index: number) => RawRequest | Promise<RawRequest>;
  onResult: (index: number, request: RawRequest, result: RawResult) => void | Promise<void>;
}): Promise<void> {
  let nextIndex = 0;
  const worker = async (): Promise<void> => {
    let connection: RawConnection | undefined;
    try {
      for (;;) {
        const index = nextIndex++;
        if (index >= options.count) return;
        const request = await options.request(index);
        const bytes = encodeRequest(request);
        let result: RawResult | undefined;
        for (let attempt = 0; attempt < 2 && result === undefined; attempt++) {
          if (connection === undefined || !connection.usable) connection = await RawConnection.open(options.port);
          const reused = connection.answered > 0;
          const outcome = await connection.send(bytes, options.timeoutMs);
          if (outcome.kind === 'closed' && reused && outcome.partial === '' && attempt === 0) {
            connection = undefined;
            continue;
          }
          result = outcome;
        }
        if (result!.kind !== 'response') connection = undefined;
        await options.onResult(index, request, result!);
      }
    } finally {
      connection?.destroy();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
}
