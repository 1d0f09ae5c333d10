import { KnoxCallError, WrapSandboxMismatchError } from '../errors.js';

const STRIPE_KEY = /^(?:bearer\s+)?(sk|rk|pk)_(test|live)_/i;

/**
 * Transit mode hands the wrapped SDK's own `Authorization` to KnoxCall, which passes it to
 * the upstream. Before that, a Stripe key is checked against the client's `sandbox` flag:
 * a live key through a sandbox client (or a test key through a live one) is a mistake that
 * would charge real cards or silently do nothing, and a publishable key has no business
 * on a server. Other values pass unchecked. Never puts the key in the error.
 */
export function checkTransitAuthorization(value: string, sandbox: boolean): void {
  const m = STRIPE_KEY.exec(value);
  if (m === null) return;
  const kind = m[1]!.toLowerCase();
  const mode = m[2]!.toLowerCase();
  if (kind === 'pk') {
    throw new KnoxCallError(
      'wrap: the wrapped SDK sent a Stripe publishable key (pk_…); server-side calls need a secret or restricted key, or escrow the key with wrap.escrow()',
      {
        code: 'publishable_key_refused',
      },
    );
  }
  if ((mode === 'test') !== sandbox) {
    throw new WrapSandboxMismatchError(
      `wrap: the wrapped SDK sent a Stripe ${mode} key (${kind}_${mode}_…) through a ${sandbox ? 'sandbox' : 'live'} KnoxCall client; use a ${sandbox ? 'test' : 'live'} key, or a client with sandbox: ${mode === 'test'}`,
      { code: 'wrap_sandbox_mismatch' },
    );
  }
}
