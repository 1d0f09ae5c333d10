/**
 * The loopback redirect listener of the browser login (RFC 8252; contract auth §9): listens
 * on 127.0.0.1 on an ephemeral port, serves only `/callback`, answers the browser with a small
 * HTML page and resolves with the authorization code once `state` matches.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KnoxCallError } from '../../errors.js';
import { sameState } from './pkce.js';

export interface LoopbackListener {
  /** `http://127.0.0.1:{port}/callback`, sent verbatim as `redirect_uri`. */
  readonly redirectUri: string;
  /** The code; rejects on an `error` parameter, a state mismatch, a missing code or the timeout. */
  readonly code: Promise<string>;
  close(): Promise<void>;
}

const page = (title: string, text: string) => `<!doctype html><meta charset="utf-8"><title>${title}</title><h1>${title}</h1><p>${text}</p>`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startLoopbackListener(expectedState: string, timeoutMs: number): Promise<LoopbackListener> {
  let settle!: { resolve(code: string): void; reject(error: Error): void };
  const code = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // The caller awaits `code`; an early failure must not be an unhandled rejection meanwhile.
  code.catch(() => {});
  let done = false;
  const finish = (error: Error | undefined, value?: string) => {
    if (done) return;
    done = true;
    if (error) settle.reject(error);
    else settle.resolve(value!);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    // The first value of each parameter (URLSearchParams.get).
    const q = url.searchParams;
    const error = q.get('error');
    let failure: Error | undefined;
    if (error !== null) failure = new KnoxCallError(`authorization failed: ${q.get('error_description') || error}`, { code: error });
    else if (!sameState(q.get('state') ?? '', expectedState)) {
      failure = new KnoxCallError('authorization failed: the state parameter does not match this login (possible CSRF) — run `knoxcall login` again');
    } else if (!q.get('code')) failure = new KnoxCallError('authorization failed: the redirect carried no code');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
    res.end(
      failure
        ? page('Sign-in failed', `${escapeHtml(failure.message)}. You can close this window.`)
        : page('Signed in', 'KnoxCall is signed in. You can close this window and return to the terminal.'),
    );
    finish(failure, q.get('code') ?? undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const timer = setTimeout(
    () => finish(new KnoxCallError(`sign-in timed out after ${Math.round(timeoutMs / 1000)} s waiting for the browser — run \`knoxcall login\` again`)),
    timeoutMs,
  );
  timer.unref();
  const { port } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    code,
    close: () =>
      new Promise<void>((resolve) => {
        clearTimeout(timer);
        finish(new KnoxCallError('sign-in was cancelled'));
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
