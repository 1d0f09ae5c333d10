/**
 * A small real HTTP token endpoint for auth tests that need answers the emulator cannot
 * script (malformed bodies, specific error sequences). It records every request.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  form: URLSearchParams;
  body: string;
}

export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as-is. */
  body?: unknown;
  /** Delay before answering, ms. */
  delayMs?: number;
}

export type TokenHandler = (request: RecordedRequest, index: number) => ScriptedResponse | Promise<ScriptedResponse>;

export interface TokenServer {
  url: string;
  requests: RecordedRequest[];
  setHandler(handler: TokenHandler): void;
  close(): Promise<void>;
}

export async function startTokenServer(handler: TokenHandler): Promise<TokenServer> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        form: new URLSearchParams(body),
        body,
      };
      const index = requests.push(recorded) - 1;
      try {
        const answer = await current(recorded, index);
        if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
        const isText = typeof answer.body === 'string';
        res.writeHead(answer.status ?? 200, {
          'content-type': isText ? 'text/html' : 'application/json',
          ...answer.headers,
        });
        res.end(answer.body === undefined ? '' : isText ? (answer.body as string) : JSON.stringify(answer.body));
      } catch (error) {
        res.writeHead(500);
        res.end(String(error));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setHandler(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const tokenBody = (accessToken: string, extra: Record<string, unknown> = {}) => ({
  access_token: accessToken,
  token_type: 'Bearer',
  expires_in: 3600,
  ...extra,
});
