import { X509Certificate } from 'node:crypto';
import { ApiError } from '../errors.js';
import { opaqueToken } from '../ids.js';
import { ok, paginate } from '../reply.js';
import { makeSecret } from '../row-factories.js';
import type { HandlerContext, RouteRegistration } from '../router.js';
import type { SecretRow } from '../state.js';
import { validate } from '../validate.js';

/**
 * `secrets` (resources.md §2): values are write-only (never returned), versioned per
 * environment; `value_version` moves only when the value really changes. OAuth2 and certificate
 * secrets have their own create endpoints; `getOAuthToken` returns an emulated provider token.
 */

function secretOr404(ctx: HandlerContext): SecretRow {
  const ref = ctx.params['id'] ?? '';
  const row = ctx.state.secrets.get(ref) ?? ctx.state.findSecretByName(ref);
  if (!row) throw ApiError.notFound('Secret');
  return row;
}

function view(s: SecretRow) {
  return {
    id: s.id,
    name: s.name,
    shortcode_name: s.shortcode_name,
    base_environment: s.base_environment,
    secret_type: s.secret_type,
    description: s.description,
    collection_id: s.collection_id,
    created_at: s.created_at,
    expires_at: s.expires_at,
    strict_expiry_enforcement: s.strict_expiry_enforcement,
    environment_count: s.values.size,
  };
}

function detail(s: SecretRow) {
  return {
    ...view(s),
    environments: [...s.values.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([environment_name, v]) => ({
        environment_name,
        value_version: v.value_version,
        updated_at: v.updated_at,
        expires_at_override: v.expires_at_override,
      })),
  };
}

function createdView(s: SecretRow) {
  return { ...view(s), ...s.extras };
}

function assertNameFree(ctx: HandlerContext, name: string): void {
  if (ctx.state.findSecretByName(name)) throw ApiError.conflict(`A secret named "${name}" already exists`, 'secret_exists');
}

function assertEnvironment(ctx: HandlerContext, env: string | undefined): void {
  if (env !== undefined && !ctx.state.environmentByName(env)) throw ApiError.validation({ environment: [`unknown environment "${env}"`] });
}

function store(ctx: HandlerContext, row: SecretRow): void {
  ctx.state.secrets.set(row.id, row);
  ctx.state.audit('secret.created', 'secret', row.id, { name: row.name, secret_type: row.secret_type });
}

export const secretRoutes: RouteRegistration[] = [
  { method: 'GET', path: '/v1/secrets', handler: (ctx) => paginate(ctx, [...ctx.state.secrets.values()].map(view)) },
  { method: 'GET', path: '/v1/secrets/:id', handler: (ctx) => ok(ctx, detail(secretOr404(ctx))) },
  {
    method: 'POST',
    path: '/v1/secrets',
    handler: (ctx) => {
      const v = validate(ctx.json());
      const name = v.string('name', { required: true });
      const value = v.string('value', { required: true });
      const type = v.string('secret_type');
      const description = v.nullableString('description');
      const environment = v.string('environment');
      const collection = v.nullableString('collection_id');
      const expiresAt = v.nullableString('expires_at');
      const strict = v.bool('strict_expiry_enforcement');
      if (type === 'oauth2' || type === 'certificate') v.error('secret_type', `${type} secrets are created with POST /v1/secrets/${type}`);
      v.done();
      assertNameFree(ctx, name!);
      assertEnvironment(ctx, environment);
      const row = makeSecret(ctx.state, {
        name: name!,
        value: value!,
        secret_type: type ?? 'string',
        description: description ?? null,
        ...(environment !== undefined ? { environment } : {}),
        collection_id: collection ?? null,
        expires_at: expiresAt ?? null,
        strict_expiry_enforcement: strict ?? false,
      });
      store(ctx, row);
      return ok(ctx, createdView(row), 201);
    },
  },
  {
    method: 'POST',
    path: '/v1/secrets/oauth2',
    handler: (ctx) => {
      const v = validate(ctx.json());
      const name = v.string('name', { required: true });
      const provider = v.string('provider', { required: true });
      const clientId = v.string('client_id', { required: true });
      const clientSecret = v.string('client_secret');
      const mtls = v.nullableString('mtls_certificate_id');
      const grant = v.string('grant_type');
      v.stringArray('scopes');
      v.string('auth_url');
      v.string('token_url');
      v.string('username');
      v.string('password');
      const collection = v.nullableString('collection_id');
      if (!clientSecret && !mtls && grant !== 'implicit' && grant !== 'password')
        v.error('client_secret', 'is required unless mtls_certificate_id is given or grant_type is implicit/password');
      v.done();
      assertNameFree(ctx, name!);
      const row = makeSecret(ctx.state, {
        name: name!,
        value: JSON.stringify({ client_id: clientId, client_secret: clientSecret ?? null }),
        secret_type: 'oauth2',
        collection_id: collection ?? null,
        extras: {
          provider: provider!,
          redirect_uri: `${ctx.services.baseUrl()}/oauth2/callback`,
          connection_status: 'connected',
          mtls_certificate_id: mtls ?? null,
        },
      });
      store(ctx, row);
      return ok(ctx, createdView(row), 201);
    },
  },
  {
    method: 'POST',
    path: '/v1/secrets/certificate',
    handler: (ctx) => {
      const v = validate(ctx.json());
      const name = v.string('name', { required: true });
      const content = v.string('certificate_content', { required: true });
      const privateKey = v.string('private_key');
      const passphrase = v.string('passphrase');
      const certType = v.string('certificate_type', { oneOf: ['pem', 'pfx', 'p12', 'crt', 'cer', 'key', 'pkcs7', 'p7b', 'p7c'] });
      const collection = v.nullableString('collection_id');
      v.done();
      assertNameFree(ctx, name!);
      const metadata: Record<string, unknown> = { has_private_key: privateKey !== undefined, has_passphrase: passphrase !== undefined };
      if (content!.includes('-----BEGIN CERTIFICATE-----')) {
        try {
          const cert = new X509Certificate(content!);
          metadata['subject'] = cert.subject;
          metadata['issuer'] = cert.issuer;
          metadata['expires_at'] = new Date(cert.validTo).toISOString();
        } catch {
          throw ApiError.validation({ certificate_content: ['is not a parsable PEM certificate'] });
        }
      }
      const row = makeSecret(ctx.state, {
        name: name!,
        value: content!,
        secret_type: 'certificate',
        collection_id: collection ?? null,
        extras: { certificate_type: certType ?? 'pem', metadata },
      });
      store(ctx, row);
      return ok(ctx, createdView(row), 201);
    },
  },
  {
    method: 'PATCH',
    path: '/v1/secrets/:id',
    handler: (ctx) => {
      const row = secretOr404(ctx);
      const v = validate(ctx.json());
      const name = v.string('name');
      const description = v.nullableString('description');
      const expiresAt = v.nullableString('expires_at');
      const strict = v.bool('strict_expiry_enforcement');
      if (typeof expiresAt === 'string' && Number.isNaN(Date.parse(expiresAt))) v.error('expires_at', 'must be an ISO-8601 timestamp');
      v.done();
      if (name !== undefined && name !== row.name) {
        assertNameFree(ctx, name);
        row.name = name;
      }
      if (description !== undefined) row.description = description;
      if (expiresAt !== undefined) row.expires_at = expiresAt;
      if (strict !== undefined) row.strict_expiry_enforcement = strict;
      row.updated_at = ctx.nowIso();
      ctx.state.audit('secret.updated', 'secret', row.id, { name: row.name });
      return ok(ctx, { id: row.id, name: row.name, expires_at: row.expires_at, strict_expiry_enforcement: row.strict_expiry_enforcement });
    },
  },
  {
    method: 'PUT',
    path: '/v1/secrets/:id/value',
    handler: (ctx) => {
      const row = secretOr404(ctx);
      const v = validate(ctx.json());
      const value = v.string('value', { required: true });
      const environment = v.string('environment');
      v.done();
      assertEnvironment(ctx, environment);
      const env = environment ?? row.base_environment;
      const current = row.values.get(env);
      if (!current) row.values.set(env, { value: value!, value_version: 1, updated_at: ctx.nowIso(), expires_at_override: null });
      else if (current.value !== value) {
        current.value = value!;
        current.value_version += 1;
        current.updated_at = ctx.nowIso();
      }
      ctx.state.audit('secret.value_set', 'secret', row.id, { environment: env });
      return ok(ctx, { id: row.id, name: row.name, environment: env, value_version: row.values.get(env)!.value_version });
    },
  },
  {
    method: 'GET',
    path: '/v1/secrets/:id/oauth2/token',
    handler: (ctx) => {
      const row = secretOr404(ctx);
      if (row.secret_type !== 'oauth2') throw ApiError.badRequest('This secret is not an OAuth2 secret', 'not_oauth2_secret');
      const env = ctx.query.get('environment');
      if (env !== null) assertEnvironment(ctx, env);
      return ok(ctx, {
        access_token: opaqueToken('ya29.emulated-', 16),
        expires_at: new Date(ctx.now() + 3600_000).toISOString(),
        token_type: 'Bearer',
        connection_status: 'connected',
      });
    },
  },
  {
    method: 'DELETE',
    path: '/v1/secrets/:id',
    handler: (ctx) => {
      const row = secretOr404(ctx);
      ctx.state.secrets.delete(row.id);
      ctx.state.audit('secret.deleted', 'secret', row.id, { name: row.name });
      return ok(ctx, { deleted: true });
    },
  },
];
