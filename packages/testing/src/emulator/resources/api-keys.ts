import { ApiError } from '../errors.js';
import { newId, opaqueToken } from '../ids.js';
import { ok, paginate } from '../reply.js';
import type { RouteRegistration } from '../router.js';
import type { ApiKeyRow } from '../state.js';
import { validate } from '../validate.js';

/** `apiKeys` (resources.md §7): the plaintext `api_key` appears only in the create result. */

function view(k: ApiKeyRow) {
  return {
    id: k.id,
    key_id: k.key_id,
    key_prefix: k.key_prefix,
    key_type: k.key_type,
    name: k.name,
    active: k.active,
    created_at: k.created_at,
    last_used_at: k.last_used_at,
    rate_limit_requests: k.rate_limit_requests,
    rate_limit_window_sec: k.rate_limit_window_sec,
  };
}

export const apiKeyRoutes: RouteRegistration[] = [
  { method: 'GET', path: '/v1/api-keys', handler: (ctx) => paginate(ctx, [...ctx.state.apiKeys.values()].map(view)) },
  {
    method: 'POST',
    path: '/v1/api-keys',
    handler: (ctx) => {
      const v = validate(ctx.json());
      const name = v.string('name', { required: true });
      const limit = v.int('rate_limit_requests', { min: 1, nullable: true });
      const window = v.int('rate_limit_window_sec', { min: 1, nullable: true });
      const roles = v.stringArray('role_ids');
      v.done();
      const key = opaqueToken('kc_live_', 24);
      const row: ApiKeyRow = {
        id: newId(),
        key_id: opaqueToken('ak_', 6),
        key,
        key_prefix: key.slice(0, 12),
        key_type: 'standard',
        name: name!,
        active: true,
        created_at: ctx.nowIso(),
        last_used_at: null,
        rate_limit_requests: limit ?? null,
        rate_limit_window_sec: window ?? null,
        role_ids: roles ?? [],
        hits: [],
      };
      ctx.state.apiKeys.set(row.id, row);
      ctx.state.audit('api_key.created', 'api_key', row.id, { name: row.name });
      return ok(
        ctx,
        {
          id: row.id,
          role_ids: row.role_ids,
          key_id: row.key_id,
          api_key: key,
          key_prefix: row.key_prefix,
          key_type: row.key_type,
          name: row.name,
          message: 'Store this key now: it will not be shown again.',
        },
        201,
      );
    },
  },
  {
    method: 'DELETE',
    path: '/v1/api-keys/:id',
    handler: (ctx) => {
      const ref = ctx.params['id'] ?? '';
      const row = ctx.state.apiKeys.get(ref) ?? [...ctx.state.apiKeys.values()].find((k) => k.key_id === ref);
      if (!row) throw ApiError.notFound('API key');
      row.active = false;
      ctx.state.audit('api_key.revoked', 'api_key', row.id, { name: row.name });
      return ok(ctx, { revoked: true });
    },
  },
];
