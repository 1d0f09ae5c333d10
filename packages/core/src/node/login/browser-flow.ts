/**
 * Authorization code + PKCE with a loopback redirect (contract auth §9): listen, open the
 * authorize URL in the browser (or let the caller play the browser), wait for the code,
 * redeem it with the verifier.
 */
import type { ParsedTokenResponse } from '../../auth/token-endpoint.js';
import { startLoopbackListener } from './loopback-listener.js';
import { CLI_CLIENT_ID, type LoginHttp, postLoginForm, signedInToken } from './login-token.js';
import { createPkcePair, createState } from './pkce.js';

export interface BrowserFlowOptions extends LoginHttp {
  tenantHint: string | undefined;
  timeoutMs: number;
  /** Called with the authorize URL once the listener is up (opens the browser, or a test follows it). */
  open(url: string): unknown;
  print(line: string): void;
}

export function authorizeUrl(baseUrl: string, params: { redirectUri: string; state: string; challenge: string; tenant?: string | undefined }): string {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: CLI_CLIENT_ID,
    redirect_uri: params.redirectUri,
    state: params.state,
    code_challenge: params.challenge,
    code_challenge_method: 'S256',
  });
  if (params.tenant) q.set('tenant', params.tenant);
  return `${baseUrl.replace(/\/+$/, '')}/oauth/authorize?${q}`;
}

export async function runBrowserFlow(options: BrowserFlowOptions): Promise<ParsedTokenResponse> {
  const pkce = createPkcePair();
  const state = createState();
  const listener = await startLoopbackListener(state, options.timeoutMs);
  try {
    const url = authorizeUrl(options.baseUrl, { redirectUri: listener.redirectUri, state, challenge: pkce.challenge, tenant: options.tenantHint });
    options.print(`Opening your browser to sign in to KnoxCall. If it does not open, visit:\n  ${url}`);
    // A browser that cannot be opened is not an error: the printed URL still works.
    Promise.resolve()
      .then(() => options.open(url))
      .catch(() => {});
    const code = await listener.code;
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: listener.redirectUri,
      client_id: CLI_CLIENT_ID,
      code_verifier: pkce.verifier,
    });
    return signedInToken(await postLoginForm(options, '/oauth/token', form));
  } finally {
    await listener.close();
  }
}
