import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';

export type Answer = (req: IncomingMessage, res: ServerResponse) => void;

export interface ScriptedServer {
  /** `http://127.0.0.1:<port>`, set once the server listens (inside beforeAll). */
  readonly base: string;
  /** What each path answers, by the path without its query; emptied before every test. */
  readonly answers: Map<string, Answer>;
}

/**
 * A raw node:http server for the transport tests: it answers what the emulator never would
 * (compressed, repeated and cookie headers, null bodies, redirects, a cut or stalled body),
 * each test scripting the answer of a path. `onRequest` sees every request first (to record
 * it); the answer runs once the request body has been read; an unscripted path gets
 * `notFound`. Started before the file's tests, its sockets destroyed after them.
 */
export function useScriptedServer(options: { onRequest?: Answer; notFound: Answer }): ScriptedServer {
  const answers = new Map<string, Answer>();
  const sockets = new Set<Socket>();
  let server: Server;
  const scripted = { base: '', answers };

  beforeAll(async () => {
    server = createServer((req, res) => {
      // No Date header: the two requests of a comparison may straddle a second.
      res.sendDate = false;
      options.onRequest?.(req, res);
      req.resume();
      req.on('end', () => (answers.get((req.url ?? '').split('?')[0] as string) ?? options.notFound)(req, res));
    });
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    scripted.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => answers.clear());
  return scripted;
}
