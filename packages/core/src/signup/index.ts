/**
 * Self-serve signup without a client or credential (contract resources §20). Two steps:
 * `signup` e-mails a sign-in link and returns a claim handle (always `pending`, identical
 * whether or not the address already has an account); `claimSignup` stays `pending` (a
 * success) until the link is clicked, then returns the tenant and a one-time starter key
 * exactly once. Failures raise `SignupError` (`status`, `type`).
 */
import { fields } from '../resources/define/wire-body.js';
import { postSignup } from './post-signup.js';
import type { ClaimSignupInput, SignupClaimResponse, SignupInput, SignupOptions, SignupResponse } from './types.js';

export type * from './types.js';

/** `POST {baseUrl}/v1/signup` → `SignupResponse` (normally HTTP 202). Sends only the given members. */
export function signup(input: SignupInput, options: SignupOptions = {}): Promise<SignupResponse> {
  return postSignup<SignupResponse>('/v1/signup', fields(input), options, 'Signup');
}

/**
 * `POST {baseUrl}/v1/signup/claim` → `{status: "pending", …}` (202) or `{status: "ready", …}`
 * (200). Do not poll faster than `poll_after_seconds`; after collection → `SignupError` with
 * type `claim_already_collected`, an unknown or expired handle → 404.
 */
export function claimSignup(input: ClaimSignupInput, options: SignupOptions = {}): Promise<SignupClaimResponse> {
  return postSignup<SignupClaimResponse>('/v1/signup/claim', { claim_handle: input?.claim_handle }, options, 'Signup claim');
}
