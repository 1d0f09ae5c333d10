import type { EmulatorCore } from '../core.js';
import { ApiError } from '../errors.js';
import { newId, opaqueToken } from '../ids.js';
import type { RouteRegistration } from '../router.js';
import { validate } from '../validate.js';

/**
 * Self-serve signup (resources.md §20): `POST /v1/signup` answers 202 with a claim handle;
 * `POST /v1/signup/claim` stays 202 `pending` until the test calls `completeSignup(handle)`
 * (standing in for the e-mailed link), then returns 200 `ready` with a one-time `tk_test_`
 * starter key exactly once; later polls get 409 `claim_already_collected`.
 * The starter key is added to this emulator's tenant, so it works on its data plane.
 */

interface PendingSignup {
  email: string;
  tenantName: string;
  tenantSlug: string;
  region: string;
  expiresAtMs: number;
  confirmed: boolean;
  collected: boolean;
}

const CLAIM_TTL_MS = 60 * 60 * 1000;
const POLL_AFTER_SECONDS = 5;

function slugify(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return s || 'tenant';
}

export function completePendingSignup(core: EmulatorCore, claimHandle: string): void {
  const pending = core.signups.get(claimHandle) as PendingSignup | undefined;
  if (!pending) throw new Error(`completeSignup: no pending signup with claim handle "${claimHandle}" (it must come from POST /v1/signup on this emulator)`);
  pending.confirmed = true;
}

export const signupRoutes: RouteRegistration[] = [
  {
    method: 'POST',
    path: '/v1/signup',
    auth: 'none',
    handler: (ctx) => {
      const v = validate(ctx.json());
      const email = v.string('email', { required: true });
      const tenantName = v.string('tenant_name', { required: true });
      v.string('full_name');
      const slug = v.string('tenant_slug');
      v.string('country');
      const region = v.string('region', { oneOf: ['us', 'eu', 'au'] });
      if (email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) v.error('email', 'must be an e-mail address');
      v.done();
      const handle = opaqueToken('sck_', 24);
      const expiresAtMs = ctx.now() + CLAIM_TTL_MS;
      const signups = ctx.services.signups() as Map<string, PendingSignup>;
      signups.set(handle, {
        email: email!,
        tenantName: tenantName!,
        tenantSlug: slug ?? slugify(tenantName!),
        region: region ?? 'us',
        expiresAtMs,
        confirmed: false,
        collected: false,
      });
      return {
        status: 202,
        body: {
          data: {
            status: 'pending',
            claim_handle: handle,
            claim_path: '/v1/signup/claim',
            poll_after_seconds: POLL_AFTER_SECONDS,
            expires_at: new Date(expiresAtMs).toISOString(),
            message: 'Check your e-mail for a sign-in link, then poll the claim path.',
            documentation: 'https://docs.knoxcall.com/signup',
          },
          meta: { request_id: ctx.requestId },
        },
      };
    },
  },
  {
    method: 'POST',
    path: '/v1/signup/claim',
    auth: 'none',
    handler: (ctx) => {
      const v = validate(ctx.json());
      const handle = v.string('claim_handle', { required: true });
      v.done();
      const signups = ctx.services.signups() as Map<string, PendingSignup>;
      const pending = signups.get(handle!);
      if (!pending || pending.expiresAtMs <= ctx.now()) throw ApiError.notFound('Claim handle');
      if (pending.collected) throw ApiError.conflict('This signup has already been collected', 'claim_already_collected');
      if (!pending.confirmed) {
        return {
          status: 202,
          body: {
            data: {
              status: 'pending',
              message: 'Waiting for the sign-in link to be clicked.',
              poll_after_seconds: POLL_AFTER_SECONDS,
              expires_at: new Date(pending.expiresAtMs).toISOString(),
            },
            meta: { request_id: ctx.requestId },
          },
        };
      }
      pending.collected = true;
      const key = opaqueToken('tk_test_', 24);
      const keyRowId = newId();
      ctx.state.apiKeys.set(keyRowId, {
        id: keyRowId,
        key_id: keyRowId.slice(0, 8),
        key,
        key_prefix: key.slice(0, 12),
        key_type: 'test',
        name: 'Starter key',
        active: true,
        created_at: ctx.nowIso(),
        last_used_at: null,
        rate_limit_requests: null,
        rate_limit_window_sec: null,
        role_ids: [],
        hits: [],
      });
      const base = ctx.services.baseUrl();
      return {
        status: 200,
        body: {
          data: {
            status: 'ready',
            tenant: { id: newId(), slug: pending.tenantSlug, name: pending.tenantName, region: pending.region, plan: 'trial' },
            starter: {
              route: null,
              api_key: { id: keyRowId, key_id: keyRowId.slice(0, 8), api_key: key, key_prefix: key.slice(0, 12), key_type: 'test' },
              sandbox_host: base,
              curl: `curl -H "x-knoxcall-key: ${key}" -H "x-knoxcall-route: <route>" ${base}/`,
            },
            sandbox: { management_api: base, proxy_host: base, note: 'Emulated sandbox: both planes are served by this emulator.' },
            documentation: 'https://docs.knoxcall.com/quickstart',
          },
          meta: { request_id: ctx.requestId },
        },
      };
    },
  },
];
