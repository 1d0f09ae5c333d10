/**
 * A minimal Redis client for the remote contract app, on the runtime's own TCP sockets
 * (Deno.connect, Bun.connect, workerd's `cloudflare:sockets`): ioredis needs node:net and
 * Buffer, which a Worker does not have, and a live client in the test process cannot cross
 * the process boundary. It has the ioredis-style methods RedisReplayStore calls (get, variadic
 * set, del, eval) and speaks RESP 2; each command opens its own connection, because a Worker
 * may not use a socket opened by an earlier request.
 */
import type { RedisClient } from '@knoxcall/core/webhooks';

interface Connection {
  readable: ReadableStream<Uint8Array>;
  writable: WritableStream<Uint8Array>;
  close(): void;
}

interface BunSocket {
  write(data: Uint8Array): number;
  end(): void;
}
interface Runtimes {
  Deno?: { connect(options: { hostname: string; port: number }): Promise<Connection> };
  Bun?: {
    connect(options: {
      hostname: string;
      port: number;
      socket: { data(socket: BunSocket, chunk: Uint8Array): void; close(): void; error(socket: BunSocket, error: Error): void };
    }): Promise<BunSocket>;
  };
}

async function connectBun(bun: NonNullable<Runtimes['Bun']>, hostname: string, port: number): Promise<Connection> {
  let incoming!: ReadableStreamDefaultController<Uint8Array>;
  const readable = new ReadableStream<Uint8Array>({
    start(controller) {
      incoming = controller;
    },
  });
  const socket = await bun.connect({
    hostname,
    port,
    socket: {
      data: (_socket, chunk) => incoming.enqueue(new Uint8Array(chunk)),
      close: () => incoming.close(),
      error: (_socket, error) => incoming.error(error),
    },
  });
  const writable = new WritableStream<Uint8Array>({ write: (chunk) => void socket.write(chunk) });
  return { readable, writable, close: () => socket.end() };
}

async function connectTcp(hostname: string, port: number): Promise<Connection> {
  const runtimes = globalThis as Runtimes;
  if (runtimes.Deno !== undefined) return runtimes.Deno.connect({ hostname, port });
  if (runtimes.Bun !== undefined) return connectBun(runtimes.Bun, hostname, port);
  // workerd (and miniflare): imported only here, and left to the runtime by the bundler.
  // @ts-expect-error -- a workerd built-in, with no types in this repository
  const { connect } = (await import('cloudflare:sockets')) as {
    connect(address: { hostname: string; port: number }): Connection & { opened: Promise<unknown> };
  };
  const socket = connect({ hostname, port });
  await socket.opened;
  return socket;
}

function encode(args: readonly string[]): Uint8Array {
  const bytes = new TextEncoder();
  return bytes.encode(`*${args.length}\r\n${args.map((arg) => `$${bytes.encode(arg).length}\r\n${arg}\r\n`).join('')}`);
}

/** One RESP 2 reply from the front of `text` (keys and values here are ASCII), or undefined while incomplete. */
function parseReply(text: string): { value: unknown } | undefined {
  const end = text.indexOf('\r\n');
  if (end < 0) return undefined;
  const line = text.slice(1, end);
  const after = text.slice(end + 2);
  switch (text[0]) {
    case '+':
      return { value: line };
    case '-':
      return { value: new Error(`Redis: ${line}`) };
    case ':':
      return { value: Number(line) };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null };
      return after.length < length + 2 ? undefined : { value: after.slice(0, length) };
    }
    default:
      throw new Error(`this client reads simple, error, integer and bulk replies; Redis answered type ${text[0]}`);
  }
}

export function respClient(address: { host: string; port: number }): RedisClient {
  const command = async (args: readonly unknown[]): Promise<unknown> => {
    const connection = await connectTcp(address.host, address.port);
    try {
      const writer = connection.writable.getWriter();
      await writer.write(encode(args.map(String)));
      writer.releaseLock();
      const reader = connection.readable.getReader();
      const decoder = new TextDecoder();
      let text = '';
      for (;;) {
        const reply = parseReply(text);
        if (reply !== undefined) {
          if (reply.value instanceof Error) throw reply.value;
          return reply.value;
        }
        const { done, value } = await reader.read();
        if (done) throw new Error('Redis closed the connection before it answered');
        text += decoder.decode(value, { stream: true });
      }
    } finally {
      connection.close();
    }
  };
  return {
    get: (key: string) => command(['GET', key]),
    set: (key: string, value: string, ...options: unknown[]) => command(['SET', key, value, ...options]),
    del: (key: string) => command(['DEL', key]),
    eval: ((script: string, keyCount: number, ...keysAndArgs: unknown[]) => command(['EVAL', script, keyCount, ...keysAndArgs])) as never,
  } as RedisClient;
}
