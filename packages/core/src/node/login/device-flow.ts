/**
 * The device authorization grant (RFC 8628; contract auth §9): start, print the URI and user
 * code (never tokens), then poll — deadline check, sleep the interval FIRST, POST —
 * `authorization_pending` continues, `slow_down` adds 5 s, `expired_token` and `access_denied`
 * end the login with a message that says what to do.
 */
import type { ParsedTokenResponse } from '../../auth/token-endpoint.js';
import { KnoxCallError } from '../../errors.js';
import { CLI_CLIENT_ID, type LoginHttp, oauthErrorOf, postLoginForm, signInFailed, signedInToken } from './login-token.js';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface DeviceFlowOptions extends LoginHttp {
  print(line: string): void;
  /** Clock and sleep seams (tests); default real time. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const positive = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback);

export async function runDeviceFlow(options: DeviceFlowOptions): Promise<ParsedTokenResponse> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const started = await postLoginForm(options, '/oauth/device_authorization', new URLSearchParams({ client_id: CLI_CLIENT_ID }));
  const body = (typeof started.body === 'object' && started.body !== null ? started.body : {}) as Record<string, unknown>;
  if (started.status >= 400 || typeof body.device_code !== 'string' || body.device_code === '') throw signInFailed(started);
  const deviceCode = body.device_code;
  let intervalS = positive(body.interval, 5);
  const deadline = now() + positive(body.expires_in, 900) * 1000;
  const uri = typeof body.verification_uri === 'string' ? body.verification_uri : '';
  const complete = typeof body.verification_uri_complete === 'string' ? body.verification_uri_complete : undefined;
  options.print(`To sign in to KnoxCall, visit ${uri} and enter the code: ${String(body.user_code ?? '')}`);
  if (complete) options.print(`  (or open ${complete})`);

  const form = new URLSearchParams({ grant_type: DEVICE_CODE_GRANT, device_code: deviceCode, client_id: CLI_CLIENT_ID });
  for (;;) {
    if (now() >= deadline) throw new KnoxCallError('the sign-in code expired before it was approved — run `knoxcall login` again', { code: 'expired_token' });
    await sleep(intervalS * 1000);
    const response = await postLoginForm(options, '/oauth/token', form);
    if (response.status < 400) return signedInToken(response);
    const { error } = oauthErrorOf(response.body);
    if (error === 'authorization_pending') continue;
    if (error === 'slow_down') {
      intervalS += 5;
      continue;
    }
    if (error === 'expired_token') {
      throw new KnoxCallError('the sign-in code expired before it was approved — run `knoxcall login` again', { code: error, status: response.status });
    }
    if (error === 'access_denied') throw new KnoxCallError('sign-in was denied', { code: error, status: response.status });
    throw signInFailed(response);
  }
}
