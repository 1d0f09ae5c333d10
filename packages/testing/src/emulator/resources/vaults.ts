import { randomInt } from 'node:crypto';
import { ApiError } from '../errors.js';
import { newId, opaqueToken } from '../ids.js';
import { omit } from '../omit.js';
import { ok, paginate } from '../reply.js';
import type { HandlerContext, RouteRegistration } from '../router.js';
import type { EmulatorState } from '../state.js';
import { validate } from '../validate.js';
import { portableDecryptScalar, portableEncryptScalar } from './crypto.js';

/**
 * `vaults` (resources.md §14): tokenize / detokenize round-trips, lists without values,
 * bulk tokenize with all-or-nothing validation, TTLs by the emulator clock, and dual custody
 * (the token IS a portable `kc:` ciphertext, the emulator keeps nothing but the key).
 */

interface TokenRow {
  id: string;
  token: string;
  value: string | null; // null in dual custody: the value lives in the kc: token
  metadata: Record<string, unknown> | null;
  expires_at: string | null;
  created_at: string;
  crypto_key_version: number;
  card_expires_on: string | null;
}

interface VaultRow {
  id: string;
  tenant_id: string;
  name: string;
  token_format: string;
  crypto_key_id: string;
  custody_mode: string;
  default_ttl_seconds: number | null;
  metadata_jsonb: Record<string, unknown>;
  description: string | null;
  enabled: boolean;
  created_at: string;
  updated_at: string;
  created_by: string | null;
  sandbox: boolean;
  key_version: number;
  tokens: Map<string, TokenRow>;
}

const FORMATS = ['uuid', 'random', 'pan', 'ssn', 'email', 'alphanumeric'];
const vaults = (ctx: HandlerContext) => ctx.state.store('vaults', () => new Map<string, VaultRow>());

function vaultOr404(ctx: HandlerContext): VaultRow {
  const ref = ctx.params['nameOrId'] ?? '';
  const row = vaults(ctx).get(ref) ?? [...vaults(ctx).values()].find((v) => v.name === ref);
  if (!row) throw ApiError.notFound(`Vault "${ref}"`);
  return row;
}

function view(v: VaultRow) {
  return omit(v, 'tokens', 'key_version');
}

function live(ctx: HandlerContext, t: TokenRow): boolean {
  return t.expires_at === null || Date.parse(t.expires_at) > ctx.now();
}

function tokenOr404(ctx: HandlerContext, vault: VaultRow): TokenRow {
  const ref = ctx.params['idOrToken'] ?? '';
  const row = vault.tokens.get(ref) ?? [...vault.tokens.values()].find((t) => t.token === ref);
  if (!row || !live(ctx, row)) throw ApiError.notFound('Token');
  return row;
}

function tokenString(format: string, value: string): string {
  switch (format) {
    case 'pan': {
      const digits = value.replace(/\D/g, '');
      const last4 = digits.slice(-4).padStart(4, '0');
      let body = '';
      for (let i = 0; i < Math.max(digits.length, 16) - 4; i++) body += String(randomInt(10));
      return `${body}${last4}`;
    }
    case 'ssn':
      return `${String(randomInt(900)).padStart(3, '0')}-${String(randomInt(100)).padStart(2, '0')}-${value.replace(/\D/g, '').slice(-4).padStart(4, '0')}`;
    case 'email':
      return `${opaqueToken('tok_', 8)}@vault.invalid`;
    case 'uuid':
      return newId();
    default:
      return opaqueToken('tok_', 16);
  }
}

interface TokenizeInput {
  value: string;
  metadata: Record<string, unknown> | null;
  ttl: number | undefined;
  cardExp: string | null;
}

/** Validates one tokenize item; `prefix` names fields inside a bulk request. */
function readItem(item: unknown, vault: VaultRow, prefix: string, errors: Record<string, string[]>): TokenizeInput | undefined {
  const add = (f: string, m: string) => {
    const key = `${prefix}${f}`;
    errors[key] = [...(errors[key] ?? []), m];
  };
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    add('value', 'item must be an object');
    return undefined;
  }
  const o = item as Record<string, unknown>;
  if (typeof o['value'] !== 'string' || o['value'] === '') add('value', 'is required');
  const metadata = o['metadata'];
  if (metadata !== undefined && (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata))) add('metadata', 'must be an object');
  const ttl = o['ttl_seconds'];
  if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 1)) add('ttl_seconds', 'must be a positive integer');
  const month = o['card_exp_month'];
  const year = o['card_exp_year'];
  let cardExp: string | null = null;
  if (month !== undefined || year !== undefined) {
    if (vault.token_format !== 'pan') add('card_exp_month', 'card expiry is only accepted on a pan vault');
    else if (typeof month !== 'number' || typeof year !== 'number' || month < 1 || month > 12 || year < 1000 || year > 9999)
      add('card_exp_month', 'card_exp_month (1-12) and a 4-digit card_exp_year are required together');
    else cardExp = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
  }
  if (Object.keys(errors).some((k) => k.startsWith(prefix))) return undefined;
  return { value: o['value'] as string, metadata: (metadata as Record<string, unknown> | undefined) ?? null, ttl: ttl as number | undefined, cardExp };
}

function tokenize(ctx: HandlerContext, vault: VaultRow, input: TokenizeInput): TokenRow {
  const ttl = input.ttl ?? vault.default_ttl_seconds ?? undefined;
  const dual = vault.custody_mode === 'dual';
  const row: TokenRow = {
    id: newId(),
    token: dual ? portableEncryptScalar(ctx.state, input.value) : tokenString(vault.token_format, input.value),
    value: dual ? null : input.value,
    metadata: input.metadata,
    expires_at: ttl ? new Date(ctx.now() + ttl * 1000).toISOString() : null,
    created_at: ctx.nowIso(),
    crypto_key_version: vault.key_version,
    card_expires_on: input.cardExp,
  };
  vault.tokens.set(row.id, row);
  return row;
}

function tokenView(t: TokenRow) {
  return {
    id: t.id,
    token: t.token,
    expires_at: t.expires_at,
    created_at: t.created_at,
    card_expires_on: t.card_expires_on,
    card_funding_type: null,
    card_issuing_country: null,
  };
}

function readVault(ctx: HandlerContext, creating: boolean) {
  const v = validate(ctx.json());
  const out = {
    name: v.string('name', { required: creating }),
    token_format: v.string('token_format', { oneOf: FORMATS }),
    custody_mode: v.string('custody_mode', { oneOf: ['managed', 'dual'] }),
    default_ttl_seconds: v.int('default_ttl_seconds', { min: 1, nullable: true }),
    description: v.nullableString('description'),
    metadata_jsonb: v.object('metadata_jsonb'),
    enabled: v.bool('enabled'),
  };
  v.done();
  return out;
}

export const vaultRoutes: RouteRegistration[] = [
  { method: 'GET', path: '/v1/vaults', handler: (ctx) => paginate(ctx, [...vaults(ctx).values()].map(view)) },
  {
    method: 'GET',
    path: '/v1/vaults/:nameOrId',
    handler: (ctx) => {
      const vault = vaultOr404(ctx);
      const tokens = [...vault.tokens.values()];
      const soon = ctx.now() + 86_400_000;
      return ok(ctx, {
        ...view(vault),
        stats: {
          token_count: tokens.length,
          active_count: tokens.filter((t) => live(ctx, t)).length,
          expiring_in_24h: tokens.filter((t) => live(ctx, t) && t.expires_at !== null && Date.parse(t.expires_at) <= soon).length,
        },
      });
    },
  },
  {
    method: 'POST',
    path: '/v1/vaults',
    handler: (ctx) => {
      const input = readVault(ctx, true);
      if ([...vaults(ctx).values()].some((x) => x.name === input.name)) throw ApiError.conflict(`Vault "${input.name}" already exists`);
      const now = ctx.nowIso();
      const row: VaultRow = {
        id: newId(),
        tenant_id: ctx.state.account.id,
        name: input.name!,
        token_format: input.token_format ?? 'uuid',
        crypto_key_id: newId(),
        custody_mode: input.custody_mode ?? 'managed',
        default_ttl_seconds: input.default_ttl_seconds ?? null,
        metadata_jsonb: input.metadata_jsonb ?? {},
        description: input.description ?? null,
        enabled: true,
        created_at: now,
        updated_at: now,
        created_by: null,
        sandbox: false,
        key_version: 1,
        tokens: new Map(),
      };
      vaults(ctx).set(row.id, row);
      ctx.state.audit('vault.created', 'vault', row.id, { name: row.name });
      return ok(ctx, view(row), 201);
    },
  },
  {
    method: 'PATCH',
    path: '/v1/vaults/:nameOrId',
    handler: (ctx) => {
      const vault = vaultOr404(ctx);
      const input = readVault(ctx, false);
      if (input.default_ttl_seconds !== undefined) vault.default_ttl_seconds = input.default_ttl_seconds;
      if (input.description !== undefined) vault.description = input.description;
      if (input.metadata_jsonb !== undefined) vault.metadata_jsonb = input.metadata_jsonb;
      if (input.enabled !== undefined) vault.enabled = input.enabled;
      vault.updated_at = ctx.nowIso();
      return ok(ctx, view(vault));
    },
  },
  {
    method: 'DELETE',
    path: '/v1/vaults/:nameOrId',
    handler: (ctx) => {
      const vault = vaultOr404(ctx);
      vaults(ctx).delete(vault.id);
      ctx.state.audit('vault.deleted', 'vault', vault.id, { name: vault.name });
      return ok(ctx, { deleted: true });
    },
  },
  {
    method: 'POST',
    path: '/v1/vaults/:nameOrId/rotate',
    handler: (ctx) => {
      const vault = vaultOr404(ctx);
      vault.key_version += 1;
      return ok(ctx, { new_version: vault.key_version });
    },
  },
  {
    method: 'POST',
    path: '/v1/vaults/:nameOrId/tokens',
    handler: (ctx) => {
      const vault = vaultOr404(ctx);
      if (!vault.enabled) throw ApiError.conflict(`Vault "${vault.name}" is disabled`, 'vault_disabled');
      const errors: Record<string, string[]> = {};
      const input = readItem(ctx.json(), vault, '', errors);
      if (!input) throw ApiError.validation(errors);
      return ok(ctx, tokenView(tokenize(ctx, vault, input)), 201);
    },
  },
  {
    method: 'POST',
    path: '/v1/vaults/:nameOrId/tokens/bulk',
    handler: (ctx) => {
      const vault = vaultOr404(ctx);
      const values = ctx.json<Record<string, unknown>>()['values'];
      if (!Array.isArray(values) || values.length === 0) throw ApiError.validation({ values: ['must be a non-empty array'] });
      if (values.length > 1000) throw ApiError.validation({ values: ['at most 1000 values per call'] });
      const errors: Record<string, string[]> = {};
      const inputs = values.map((item, i) => readItem(item, vault, `values[${i}].`, errors));
      // All or nothing: one bad item refuses the whole batch and creates no token.
      if (Object.keys(errors).length) throw ApiError.validation(errors);
      const tokens = inputs.map((input) => tokenView(tokenize(ctx, vault, input!)));
      return ok(ctx, { tokens, count: tokens.length }, 201);
    },
  },
  {
    method: 'GET',
    path: '/v1/vaults/:nameOrId/tokens',
    handler: (ctx) => {
      const vault = vaultOr404(ctx);
      const rows = [...vault.tokens.values()]
        .filter((t) => live(ctx, t))
        .map((t) => ({ ...tokenView(t), created_by_api_key_id: null, created_by_user_id: null }));
      return paginate(ctx, rows);
    },
  },
  {
    method: 'GET',
    path: '/v1/vaults/:nameOrId/tokens/:idOrToken',
    handler: (ctx) => {
      const vault = vaultOr404(ctx);
      const t = tokenOr404(ctx, vault);
      const value = t.value ?? String(portableDecryptScalar(ctx.state, t.token));
      return ok(ctx, {
        ...tokenView(t),
        value,
        value_b64: Buffer.from(value, 'utf8').toString('base64'),
        metadata: t.metadata,
        crypto_key_version: t.crypto_key_version,
      });
    },
  },
  {
    method: 'PATCH',
    path: '/v1/vaults/:nameOrId/tokens/:idOrToken',
    handler: (ctx) => {
      const vault = vaultOr404(ctx);
      const t = tokenOr404(ctx, vault);
      const v = validate(ctx.json());
      const metadata = v.object('metadata', { required: true });
      v.done();
      t.metadata = metadata!;
      return ok(ctx, { updated: true });
    },
  },
  {
    method: 'DELETE',
    path: '/v1/vaults/:nameOrId/tokens/:idOrToken',
    handler: (ctx) => {
      const vault = vaultOr404(ctx);
      const t = tokenOr404(ctx, vault);
      vault.tokens.delete(t.id);
      return ok(ctx, { deleted: true });
    },
  },
];

/**
 * Resolves a vault token (from any vault of the tenant) to its value, for the ephemeral proxy's
 * `{{ token: "…" }}` templates; undefined when unknown or expired.
 */
export function detokenizeAnywhere(state: EmulatorState, token: string, nowMs: number): string | undefined {
  const store = state.store('vaults', () => new Map<string, VaultRow>());
  for (const vault of store.values()) {
    for (const t of vault.tokens.values()) {
      if (t.token !== token && t.id !== token) continue;
      if (t.expires_at !== null && Date.parse(t.expires_at) <= nowMs) return undefined;
      return t.value ?? String(portableDecryptScalar(state, t.token));
    }
  }
  return undefined;
}
