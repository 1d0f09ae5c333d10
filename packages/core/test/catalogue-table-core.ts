/**
 * Conformance rows of the core tier (contract resources §1–§15): for every public method, one
 * call and the exact method, path, query and body the contract gives, plus the return shape.
 */
import {
  HOOK_URL,
  newClient,
  newCryptoKey,
  newDbConnection,
  newDbRole,
  newPkiRoot,
  newRoute,
  newSecret,
  newVault,
  newWebhook,
  TARGET,
  TEST_CERT_PEM,
  uniq,
} from './catalogue-fixtures.js';
import { signWebhook } from '@knoxcall/testing';
import type { CatalogueRow, Fixture } from './catalogue-row.js';

/** Seeded by the conformance test: an id with spaces must be encoded as %20 (contract §22). */
export const SPACED_SECRET_ID = 's_3 with spaces';

const routes: CatalogueRow[] = [
  {
    name: 'routes.list',
    call: (c) => c.routes.list({ page: 1, per_page: 5, enabled: true }),
    expect: { method: 'GET', path: '/v1/routes', query: { page: '1', per_page: '5', enabled: 'true' } },
    returns: 'page',
  },
  { name: 'routes.list', call: (c) => c.routes.list(), expect: { method: 'GET', path: '/v1/routes' }, returns: 'page' },
  {
    name: 'routes.iterate',
    setup: async (c) => ({ a: await newRoute(c), b: await newRoute(c), d: await newRoute(c) }),
    call: (c) => c.routes.iterate({ per_page: 2 }),
    expect: { method: 'GET', path: '/v1/routes', query: { page: '1', per_page: '2' } },
    returns: 'iterator',
    check: (items, fx) => {
      const ids = (items as { id: string }[]).map((r) => r.id);
      for (const id of [fx.a, fx.b, fx.d]) if (!ids.includes(id as string)) throw new Error(`iterate missed route ${id}`);
    },
  },
  {
    name: 'routes.get',
    setup: async (c) => ({ id: await newRoute(c) }),
    call: (c, fx) => c.routes.get(fx.id as string, { idempotencyKey: 'idem-get-route' }),
    expect: (fx) => ({ method: 'GET', path: `/v1/routes/${fx.id}`, idempotencyKey: 'idem-get-route' }),
    returns: 'object',
  },
  {
    name: 'routes.create',
    setup: async () => ({ name: uniq('route') }),
    call: (c, fx) =>
      c.routes.create({
        name: fx.name as string,
        target_base_url: TARGET,
        slug: undefined,
        ip_allowlist: [],
        inject_headers_json: {},
        intercept_enabled: false,
      }),
    expect: (fx) => ({
      method: 'POST',
      path: '/v1/routes',
      body: { name: fx.name, target_base_url: TARGET, ip_allowlist: [], inject_headers_json: {}, intercept_enabled: false },
    }),
    returns: 'object',
  },
  {
    name: 'routes.update',
    setup: async (c) => ({ id: await newRoute(c) }),
    call: (c, fx) => c.routes.update(fx.id as string, { enabled: false, requires_clients: false }),
    expect: (fx) => ({ method: 'PATCH', path: `/v1/routes/${fx.id}`, body: { enabled: false, requires_clients: false } }),
    returns: 'object',
  },
  {
    name: 'routes.update',
    setup: async (c) => ({ id: await newRoute(c) }),
    call: (c, fx) => c.routes.update(fx.id as string, {}),
    expect: (fx) => ({ method: 'PATCH', path: `/v1/routes/${fx.id}`, body: {} }),
    returns: 'object',
  },
  {
    name: 'routes.delete',
    setup: async (c) => ({ id: await newRoute(c) }),
    call: (c, fx) => c.routes.delete(fx.id as string),
    expect: (fx) => ({ method: 'DELETE', path: `/v1/routes/${fx.id}`, body: 'none' }),
    returns: 'object',
  },
  {
    name: 'routes.getLogs',
    setup: async (c) => ({ id: await newRoute(c) }),
    call: (c, fx) => c.routes.getLogs(fx.id as string, { page: 2, per_page: 10 }),
    expect: (fx) => ({ method: 'GET', path: `/v1/routes/${fx.id}/logs`, query: { page: '2', per_page: '10' } }),
    returns: 'page',
  },
  {
    name: 'routes.listEnvironments',
    setup: async (c) => ({ id: await newRoute(c) }),
    call: (c, fx) => c.routes.listEnvironments(fx.id as string),
    expect: (fx) => ({ method: 'GET', path: `/v1/routes/${fx.id}/environments` }),
    returns: 'array',
  },
  {
    name: 'routes.upsertEnvironment',
    setup: async (c) => ({ id: await newRoute(c) }),
    call: (c, fx) => c.routes.upsertEnvironment(fx.id as string, 'staging', { target_base_url: 'https://staging.example.com', enabled: false }),
    expect: (fx) => ({
      method: 'PUT',
      path: `/v1/routes/${fx.id}/environments/staging`,
      body: { target_base_url: 'https://staging.example.com', enabled: false },
    }),
    returns: 'object',
  },
  {
    name: 'routes.deleteEnvironment',
    setup: async (c) => {
      const id = await newRoute(c);
      await c.routes.upsertEnvironment(id, 'staging', { target_base_url: 'https://staging.example.com' });
      return { id };
    },
    call: (c, fx) => c.routes.deleteEnvironment(fx.id as string, 'staging'),
    expect: (fx) => ({ method: 'DELETE', path: `/v1/routes/${fx.id}/environments/staging`, body: 'none' }),
    returns: 'object',
  },
  {
    name: 'routes.listActions',
    setup: async (c) => ({ id: await newRoute(c) }),
    call: (c, fx) => c.routes.listActions(fx.id as string),
    expect: (fx) => ({ method: 'GET', path: `/v1/routes/${fx.id}/actions` }),
    returns: 'array',
  },
  {
    name: 'routes.createAction',
    setup: async (c) => ({ id: await newRoute(c) }),
    call: (c, fx) => c.routes.createAction(fx.id as string, { direction: 'request', action: 'encrypt', selectors: ['$.card.number'], key_name: 'default' }),
    expect: (fx) => ({
      method: 'POST',
      path: `/v1/routes/${fx.id}/actions`,
      body: { direction: 'request', action: 'encrypt', selectors: ['$.card.number'], key_name: 'default' },
    }),
    returns: 'object',
  },
  {
    name: 'routes.deleteAction',
    setup: async (c) => {
      const id = await newRoute(c);
      const action = await c.routes.createAction(id, { direction: 'response', action: 'decrypt', selectors: ['$.ssn'], key_name: 'default' });
      return { id, action: action.id };
    },
    call: (c, fx) => c.routes.deleteAction(fx.id as string, fx.action as string),
    expect: (fx) => ({ method: 'DELETE', path: `/v1/routes/${fx.id}/actions/${fx.action}`, body: 'none' }),
    returns: 'object',
  },
];

const secrets: CatalogueRow[] = [
  {
    name: 'secrets.list',
    call: (c) => c.secrets.list({ page: 1, per_page: 2 }),
    expect: { method: 'GET', path: '/v1/secrets', query: { page: '1', per_page: '2' } },
    returns: 'page',
  },
  {
    name: 'secrets.iterate',
    setup: async (c) => ({ a: await newSecret(c), b: await newSecret(c) }),
    call: (c) => c.secrets.iterate({ per_page: 1 }),
    expect: { method: 'GET', path: '/v1/secrets', query: { page: '1', per_page: '1' } },
    returns: 'iterator',
  },
  {
    name: 'secrets.get',
    call: (c) => c.secrets.get(SPACED_SECRET_ID),
    expect: { method: 'GET', path: '/v1/secrets/s_3%20with%20spaces' },
    returns: 'object',
  },
  {
    name: 'secrets.create',
    setup: async () => ({ name: uniq('secret') }),
    call: (c, fx) => c.secrets.create({ name: fx.name as string, value: 'sk_live_1', description: null, environment: undefined }),
    expect: (fx) => ({ method: 'POST', path: '/v1/secrets', body: { name: fx.name, value: 'sk_live_1', description: null } }),
    returns: 'object',
    check: (r) => {
      if ('value' in (r as object)) throw new Error('a secret value was returned');
    },
  },
  {
    name: 'secrets.createOAuth2',
    setup: async () => ({ name: uniq('oauth-secret') }),
    call: (c, fx) =>
      c.secrets.createOAuth2({
        name: fx.name as string,
        provider: 'custom',
        client_id: 'cid',
        client_secret: 'csecret',
        scopes: ['read'],
        token_url: 'https://idp.example.com/token',
      }),
    expect: (fx) => ({
      method: 'POST',
      path: '/v1/secrets/oauth2',
      body: { name: fx.name, provider: 'custom', client_id: 'cid', client_secret: 'csecret', scopes: ['read'], token_url: 'https://idp.example.com/token' },
    }),
    returns: 'object',
  },
  {
    name: 'secrets.createCertificate',
    setup: async () => ({ name: uniq('cert-secret') }),
    call: (c, fx) => c.secrets.createCertificate({ name: fx.name as string, certificate_content: TEST_CERT_PEM, certificate_type: 'pem' }),
    expect: (fx) => ({
      method: 'POST',
      path: '/v1/secrets/certificate',
      body: { name: fx.name, certificate_content: TEST_CERT_PEM, certificate_type: 'pem' },
    }),
    returns: 'object',
  },
  {
    name: 'secrets.update',
    setup: async (c) => ({ id: await newSecret(c) }),
    call: (c, fx) => c.secrets.update(fx.id as string, { description: 'rotated monthly', strict_expiry_enforcement: false }),
    expect: (fx) => ({ method: 'PATCH', path: `/v1/secrets/${fx.id}`, body: { description: 'rotated monthly', strict_expiry_enforcement: false } }),
    returns: 'object',
  },
  {
    name: 'secrets.setValue',
    setup: async (c) => ({ id: await newSecret(c) }),
    call: (c, fx) => c.secrets.setValue(fx.id as string, { value: 'v2', environment: 'staging' }),
    expect: (fx) => ({ method: 'PUT', path: `/v1/secrets/${fx.id}/value`, body: { value: 'v2', environment: 'staging' } }),
    returns: 'object',
  },
  {
    name: 'secrets.getOAuthToken',
    setup: async (c) => {
      const s = await c.secrets.createOAuth2({
        name: uniq('oauth-secret'),
        provider: 'custom',
        client_id: 'cid',
        client_secret: 'cs',
        token_url: 'https://idp.example.com/token',
      });
      return { id: s.id };
    },
    call: (c, fx) => c.secrets.getOAuthToken(fx.id as string, { environment: 'production' }),
    expect: (fx) => ({ method: 'GET', path: `/v1/secrets/${fx.id}/oauth2/token`, query: { environment: 'production' } }),
    returns: 'object',
  },
  {
    name: 'secrets.delete',
    setup: async (c) => ({ id: await newSecret(c) }),
    call: (c, fx) => c.secrets.delete(fx.id as string),
    expect: (fx) => ({ method: 'DELETE', path: `/v1/secrets/${fx.id}`, body: 'none' }),
    returns: 'object',
  },
];

const webhooks: CatalogueRow[] = [
  {
    name: 'webhooks.list',
    call: (c) => c.webhooks.list({ per_page: 3 }),
    expect: { method: 'GET', path: '/v1/webhooks', query: { per_page: '3' } },
    returns: 'page',
  },
  {
    name: 'webhooks.iterate',
    setup: async (c) => ({ a: await newWebhook(c) }),
    call: (c) => c.webhooks.iterate(),
    expect: { method: 'GET', path: '/v1/webhooks', query: { page: '1' } },
    returns: 'iterator',
  },
  {
    name: 'webhooks.get',
    setup: async (c) => ({ id: await newWebhook(c) }),
    call: (c, fx) => c.webhooks.get(fx.id as string),
    expect: (fx) => ({ method: 'GET', path: `/v1/webhooks/${fx.id}` }),
    returns: 'object',
    check: (r) => {
      for (const k of ['secret_key', 'auth_config', 'request_headers']) if (k in (r as object)) throw new Error(`get echoed ${k}`);
    },
  },
  {
    name: 'webhooks.create',
    setup: async () => ({ name: uniq('hook') }),
    call: (c, fx) =>
      c.webhooks.create({
        name: fx.name as string,
        url: HOOK_URL,
        event_types: ['request.completed'],
        route_filter: ['r1'],
        hmac_format: 'stripe',
        enabled: false,
      }),
    expect: (fx) => ({
      method: 'POST',
      path: '/v1/webhooks',
      body: { name: fx.name, url: HOOK_URL, event_types: ['request.completed'], route_filter: ['r1'], hmac_format: 'stripe', enabled: false },
    }),
    returns: 'object',
    check: (r) => {
      if (typeof (r as { secret_key?: unknown }).secret_key !== 'string') throw new Error('create did not return the one-time secret_key');
    },
  },
  {
    name: 'webhooks.update',
    setup: async (c) => ({ id: await newWebhook(c) }),
    call: (c, fx) => c.webhooks.update(fx.id as string, { method: 'PUT', max_retries: 0 }),
    expect: (fx) => ({ method: 'PATCH', path: `/v1/webhooks/${fx.id}`, body: { method: 'PUT', max_retries: 0 } }),
    returns: 'object',
  },
  {
    name: 'webhooks.delete',
    setup: async (c) => ({ id: await newWebhook(c) }),
    call: (c, fx) => c.webhooks.delete(fx.id as string),
    expect: (fx) => ({ method: 'DELETE', path: `/v1/webhooks/${fx.id}`, body: 'none' }),
    returns: 'object',
  },
  {
    name: 'webhooks.getLogs',
    setup: async (c) => ({ id: await newWebhook(c) }),
    call: (c, fx) => c.webhooks.getLogs(fx.id as string, { page: 1 }),
    expect: (fx) => ({ method: 'GET', path: `/v1/webhooks/${fx.id}/logs`, query: { page: '1' } }),
    returns: 'page',
  },
  {
    name: 'webhooks.listEventTypes',
    call: (c) => c.webhooks.listEventTypes(),
    expect: { method: 'GET', path: '/v1/webhooks/event-types' },
    returns: 'object',
    check: (r) => {
      if (!Array.isArray((r as { event_types?: unknown }).event_types)) throw new Error('expected {event_types: [...]}');
    },
  },
  {
    name: 'webhooks.listHmacFormats',
    call: (c) => c.webhooks.listHmacFormats(),
    expect: { method: 'GET', path: '/v1/webhooks/hmac-formats' },
    returns: 'object',
    check: (r) => {
      if (!Array.isArray((r as { hmac_formats?: unknown }).hmac_formats)) throw new Error('expected {hmac_formats: [...]}');
    },
  },
  {
    name: 'webhooks.test',
    setup: async (c) => ({ id: await newWebhook(c) }),
    call: (c, fx) => c.webhooks.test(fx.id as string),
    expect: (fx) => ({ method: 'POST', path: `/v1/webhooks/${fx.id}/test`, body: 'none' }),
    returns: 'object',
  },
];

const WEBHOOK_SECRET = 'whsec_catalogue';

/** A delivery signed by the testing package's independent signer (stripe format: the timestamp is signed). */
async function signedDelivery(): Promise<Fixture> {
  const body = JSON.stringify({ event: 'webhook.test', timestamp: new Date().toISOString(), data: { ok: true } });
  const headers = await signWebhook({ body, secret: WEBHOOK_SECRET, format: 'stripe', timestamp: Math.floor(Date.now() / 1000) });
  return { body, headers: JSON.stringify(headers) };
}

function checkTestEvent(event: unknown): void {
  if ((event as { event?: unknown }).event !== 'webhook.test') throw new Error('the verified event was not returned');
}

webhooks.push(
  {
    name: 'webhooks.constructEvent',
    setup: signedDelivery,
    call: (c, fx) => c.webhooks.constructEvent(fx.body as string, JSON.parse(fx.headers as string), WEBHOOK_SECRET, { format: 'stripe' }),
    expect: 'no-request',
    returns: 'object',
    check: checkTestEvent,
  },
  {
    name: 'webhooks.constructEventAsync',
    setup: signedDelivery,
    call: (c, fx) => c.webhooks.constructEventAsync(fx.body as string, JSON.parse(fx.headers as string), WEBHOOK_SECRET, { format: 'stripe' }),
    expect: 'no-request',
    returns: 'object',
    check: checkTestEvent,
  },
);

const clients: CatalogueRow[] = [
  {
    name: 'clients.list',
    call: (c) => c.clients.list({ type: 'server', per_page: 5 }),
    expect: { method: 'GET', path: '/v1/clients', query: { type: 'server', per_page: '5' } },
    returns: 'page',
  },
  {
    name: 'clients.iterate',
    setup: async (c) => ({ a: await newClient(c) }),
    call: (c) => c.clients.iterate({ type: 'server' }),
    expect: { method: 'GET', path: '/v1/clients', query: { page: '1', type: 'server' } },
    returns: 'iterator',
  },
  {
    name: 'clients.get',
    setup: async (c) => ({ id: await newClient(c) }),
    call: (c, fx) => c.clients.get(fx.id as string),
    expect: (fx) => ({ method: 'GET', path: `/v1/clients/${fx.id}` }),
    returns: 'object',
  },
  {
    name: 'clients.create',
    setup: async () => ({ name: uniq('client') }),
    call: (c, fx) => c.clients.create({ name: fx.name as string, ip_address: '10.0.0.7' }),
    expect: (fx) => ({ method: 'POST', path: '/v1/clients', body: { name: fx.name, type: 'server', ip_address: '10.0.0.7' } }),
    returns: 'object',
  },
  {
    name: 'clients.update',
    setup: async (c) => ({ id: await newClient(c) }),
    call: (c, fx) => c.clients.update(fx.id as string, { enabled: false, description: '' }),
    expect: (fx) => ({ method: 'PATCH', path: `/v1/clients/${fx.id}`, body: { enabled: false, description: '' } }),
    returns: 'object',
  },
  {
    name: 'clients.delete',
    setup: async (c) => ({ id: await newClient(c) }),
    call: (c, fx) => c.clients.delete(fx.id as string),
    expect: (fx) => ({ method: 'DELETE', path: `/v1/clients/${fx.id}`, body: 'none' }),
    returns: 'object',
  },
  {
    name: 'clients.listCredentials',
    setup: async (c) => ({ id: await newClient(c) }),
    call: (c, fx) => c.clients.listCredentials(fx.id as string),
    expect: (fx) => ({ method: 'GET', path: `/v1/clients/${fx.id}/credentials` }),
    returns: 'array',
  },
  {
    name: 'clients.createCredential',
    setup: async (c) => ({ id: await newClient(c) }),
    call: (c, fx) => c.clients.createCredential(fx.id as string, { kind: 'ip', data: { ip_address: '10.9.9.9' }, label: 'office' }),
    expect: (fx) => ({
      method: 'POST',
      path: `/v1/clients/${fx.id}/credentials`,
      body: { kind: 'ip', data: { ip_address: '10.9.9.9' }, label: 'office' },
    }),
    returns: 'object',
  },
  {
    name: 'clients.updateCredential',
    setup: async (c) => {
      const id = await newClient(c);
      const cred = await c.clients.createCredential(id, { kind: 'ip', data: { ip_address: '10.9.9.8' } });
      return { id, cred: cred.id };
    },
    call: (c, fx) => c.clients.updateCredential(fx.id as string, fx.cred as string, { enabled: false }),
    expect: (fx) => ({ method: 'PATCH', path: `/v1/clients/${fx.id}/credentials/${fx.cred}`, body: { enabled: false } }),
    returns: 'object',
  },
  {
    name: 'clients.deleteCredential',
    setup: async (c) => {
      const id = await newClient(c);
      const cred = await c.clients.createCredential(id, { kind: 'ip', data: { ip_address: '10.9.9.7' } });
      return { id, cred: cred.id };
    },
    call: (c, fx) => c.clients.deleteCredential(fx.id as string, fx.cred as string),
    expect: (fx) => ({ method: 'DELETE', path: `/v1/clients/${fx.id}/credentials/${fx.cred}`, body: 'none' }),
    returns: 'object',
  },
];

const OAUTH_DEFAULTS = {
  type: 'confidential',
  grant_types: ['client_credentials'],
  allowed_scopes: [],
  require_dpop: false,
  require_pkce: true,
  token_format: 'opaque',
};

async function newOAuthClient(c: Parameters<NonNullable<CatalogueRow['setup']>>[0]): Promise<string> {
  return (await c.oauthClients.create({ name: uniq('oauth') })).id;
}

const oauthClients: CatalogueRow[] = [
  { name: 'oauthClients.list', call: (c) => c.oauthClients.list(), expect: { method: 'GET', path: '/v1/oauth-clients' }, returns: 'array' },
  {
    name: 'oauthClients.get',
    setup: async (c) => ({ id: await newOAuthClient(c) }),
    call: (c, fx) => c.oauthClients.get(fx.id as string),
    expect: (fx) => ({ method: 'GET', path: `/v1/oauth-clients/${fx.id}` }),
    returns: 'object',
  },
  {
    name: 'oauthClients.create',
    setup: async () => ({ name: uniq('oauth') }),
    call: (c, fx) => c.oauthClients.create({ name: fx.name as string, allowed_scopes: ['routes:read'] }),
    expect: (fx) => ({ method: 'POST', path: '/v1/oauth-clients', body: { ...OAUTH_DEFAULTS, name: fx.name, allowed_scopes: ['routes:read'] } }),
    returns: 'object',
    check: (r) => {
      if (typeof (r as { client_secret?: unknown }).client_secret !== 'string') throw new Error('create did not return the one-time client_secret');
    },
  },
  {
    name: 'oauthClients.update',
    setup: async (c) => ({ id: await newOAuthClient(c) }),
    call: (c, fx) => c.oauthClients.update(fx.id as string, { active: false }),
    expect: (fx) => ({ method: 'PATCH', path: `/v1/oauth-clients/${fx.id}`, body: { active: false } }),
    returns: 'object',
  },
  {
    name: 'oauthClients.rotateSecret',
    setup: async (c) => ({ id: await newOAuthClient(c) }),
    call: (c, fx) => c.oauthClients.rotateSecret(fx.id as string),
    expect: (fx) => ({ method: 'POST', path: `/v1/oauth-clients/${fx.id}/rotate-secret`, body: {} }),
    returns: 'object',
  },
  {
    name: 'oauthClients.revoke',
    setup: async (c) => ({ id: await newOAuthClient(c) }),
    call: (c, fx) => c.oauthClients.revoke(fx.id as string),
    expect: (fx) => ({ method: 'DELETE', path: `/v1/oauth-clients/${fx.id}`, body: 'none' }),
    returns: 'object',
  },
];

const environments: CatalogueRow[] = [
  { name: 'environments.list', call: (c) => c.environments.list(), expect: { method: 'GET', path: '/v1/environments' }, returns: 'array' },
  {
    name: 'environments.create',
    setup: async () => ({ name: uniq('env') }),
    call: (c, fx) => c.environments.create({ name: fx.name as string, color: '#f59e0b', is_default: false }),
    expect: (fx) => ({ method: 'POST', path: '/v1/environments', body: { name: fx.name, color: '#f59e0b', is_default: false } }),
    returns: 'object',
  },
  {
    name: 'environments.update',
    setup: async (c) => ({ id: (await c.environments.create({ name: uniq('env') })).id }),
    call: (c, fx) => c.environments.update(fx.id as string, { display_name: 'QA' }),
    expect: (fx) => ({ method: 'PATCH', path: `/v1/environments/${fx.id}`, body: { display_name: 'QA' } }),
    returns: 'object',
  },
  {
    name: 'environments.delete',
    setup: async (c) => ({ id: (await c.environments.create({ name: uniq('env') })).id }),
    call: (c, fx) => c.environments.delete(fx.id as string),
    expect: (fx) => ({ method: 'DELETE', path: `/v1/environments/${fx.id}`, body: 'none' }),
    returns: 'object',
  },
];

const apiKeys: CatalogueRow[] = [
  {
    name: 'apiKeys.list',
    call: (c) => c.apiKeys.list({ page: 1, per_page: 50 }),
    expect: { method: 'GET', path: '/v1/api-keys', query: { page: '1', per_page: '50' } },
    returns: 'page',
  },
  {
    name: 'apiKeys.iterate',
    call: (c) => c.apiKeys.iterate({ per_page: 1 }),
    expect: { method: 'GET', path: '/v1/api-keys', query: { page: '1', per_page: '1' } },
    returns: 'iterator',
  },
  {
    name: 'apiKeys.create',
    setup: async () => ({ name: uniq('key') }),
    call: (c, fx) => c.apiKeys.create({ name: fx.name as string, rate_limit_requests: 100, rate_limit_window_sec: 60 }),
    expect: (fx) => ({ method: 'POST', path: '/v1/api-keys', body: { name: fx.name, rate_limit_requests: 100, rate_limit_window_sec: 60 } }),
    returns: 'object',
    check: (r) => {
      if (typeof (r as { api_key?: unknown }).api_key !== 'string') throw new Error('create did not return the one-time api_key');
    },
  },
  {
    name: 'apiKeys.revoke',
    setup: async (c) => ({ id: (await c.apiKeys.create({ name: uniq('key') })).id }),
    call: (c, fx) => c.apiKeys.revoke(fx.id as string),
    expect: (fx) => ({ method: 'DELETE', path: `/v1/api-keys/${fx.id}`, body: 'none' }),
    returns: 'object',
  },
];

const account: CatalogueRow[] = [
  { name: 'account.get', call: (c) => c.account.get(), expect: { method: 'GET', path: '/v1/account' }, returns: 'object' },
  { name: 'account.getUsage', call: (c) => c.account.getUsage(), expect: { method: 'GET', path: '/v1/account/usage' }, returns: 'object' },
];

const auditLogs: CatalogueRow[] = [
  {
    name: 'auditLogs.list',
    call: (c) => c.auditLogs.list({ action: 'secret.created', resource_type: 'secret', per_page: 10 }),
    expect: { method: 'GET', path: '/v1/audit-logs', query: { action: 'secret.created', resource_type: 'secret', per_page: '10' } },
    returns: 'page',
  },
  {
    name: 'auditLogs.iterate',
    call: (c) => c.auditLogs.iterate({ resource_type: 'route', per_page: 5 }),
    expect: { method: 'GET', path: '/v1/audit-logs', query: { page: '1', resource_type: 'route', per_page: '5' } },
    returns: 'iterator',
  },
  {
    name: 'auditLogs.events',
    call: (c) => c.auditLogs.events({ limit: 2, action_prefix: 'secret.' }),
    expect: { method: 'GET', path: '/v1/audit-logs/events', query: { limit: '2', action_prefix: 'secret.' } },
    returns: 'cursorPage',
  },
  {
    name: 'auditLogs.iterateEvents',
    setup: async (c) => ({ a: await newSecret(c), b: await newSecret(c), d: await newSecret(c) }),
    call: (c) => c.auditLogs.iterateEvents({ limit: 2 }),
    expect: { method: 'GET', path: '/v1/audit-logs/events', query: { limit: '2' } },
    returns: 'iterator',
  },
];

const agents: CatalogueRow[] = [
  { name: 'agents.list', call: (c) => c.agents.list(), expect: { method: 'GET', path: '/v1/agents' }, returns: 'array' },
  {
    name: 'agents.create',
    setup: async () => ({ name: uniq('agent') }),
    call: (c, fx) => c.agents.create({ name: fx.name as string }),
    expect: (fx) => ({ method: 'POST', path: '/v1/agents', body: { name: fx.name } }),
    returns: 'object',
    check: (r) => {
      if (typeof (r as { agent_secret?: unknown }).agent_secret !== 'string') throw new Error('create did not return the one-time agent_secret');
    },
  },
  {
    name: 'agents.revoke',
    setup: async (c) => ({ id: (await c.agents.create({ name: uniq('agent') })).id }),
    call: (c, fx) => c.agents.revoke(fx.id as string),
    expect: (fx) => ({ method: 'DELETE', path: `/v1/agents/${fx.id}`, body: 'none' }),
    returns: 'object',
  },
  {
    name: 'agents.getTamperEvents',
    setup: async (c) => ({ id: (await c.agents.create({ name: uniq('agent') })).id }),
    call: (c, fx) => c.agents.getTamperEvents(fx.id as string),
    expect: (fx) => ({ method: 'GET', path: `/v1/agents/${fx.id}/tamper-events` }),
    returns: 'array',
  },
];

const crypto: CatalogueRow[] = [
  { name: 'crypto.listKeys', call: (c) => c.crypto.listKeys(), expect: { method: 'GET', path: '/v1/crypto/keys' }, returns: 'array' },
  {
    name: 'crypto.getKey',
    setup: async (c) => ({ key: await newCryptoKey(c) }),
    call: (c, fx) => c.crypto.getKey(fx.key as string),
    expect: (fx) => ({ method: 'GET', path: `/v1/crypto/keys/${fx.key}` }),
    returns: 'object',
  },
  {
    name: 'crypto.createKey',
    setup: async () => ({ name: uniq('key') }),
    call: (c, fx) => c.crypto.createKey({ name: fx.name as string, mode: 'sign', key_type: 'ed25519', description: 'jwt signing' }),
    expect: (fx) => ({ method: 'POST', path: '/v1/crypto/keys', body: { name: fx.name, mode: 'sign', key_type: 'ed25519', description: 'jwt signing' } }),
    returns: 'object',
  },
  {
    name: 'crypto.updateKey',
    setup: async (c) => ({ key: await newCryptoKey(c) }),
    call: (c, fx) => c.crypto.updateKey(fx.key as string, { deletion_allowed: true }),
    expect: (fx) => ({ method: 'PATCH', path: `/v1/crypto/keys/${fx.key}`, body: { deletion_allowed: true } }),
    returns: 'object',
  },
  {
    name: 'crypto.rotateKey',
    setup: async (c) => ({ key: await newCryptoKey(c) }),
    call: (c, fx) => c.crypto.rotateKey(fx.key as string),
    expect: (fx) => ({ method: 'POST', path: `/v1/crypto/keys/${fx.key}/rotate`, body: {} }),
    returns: 'object',
  },
  {
    name: 'crypto.destroyKeyVersion',
    setup: async (c) => {
      const key = await newCryptoKey(c);
      await c.crypto.rotateKey(key);
      await c.crypto.updateKey(key, { deletion_allowed: true });
      return { key };
    },
    call: (c, fx) => c.crypto.destroyKeyVersion(fx.key as string, 1),
    expect: (fx) => ({ method: 'DELETE', path: `/v1/crypto/keys/${fx.key}/versions/1`, body: 'none' }),
    returns: 'object',
  },
  {
    name: 'crypto.getPublicKey',
    setup: async (c) => ({ key: await newCryptoKey(c, 'sign', 'ed25519') }),
    call: (c, fx) => c.crypto.getPublicKey(fx.key as string, { version: 1 }),
    expect: (fx) => ({ method: 'GET', path: `/v1/crypto/keys/${fx.key}/public-key`, query: { version: '1' } }),
    returns: 'object',
  },
  {
    name: 'crypto.encrypt',
    setup: async (c) => ({ key: await newCryptoKey(c) }),
    call: (c, fx) => c.crypto.encrypt(fx.key as string, { plaintext: 'hello' }),
    expect: (fx) => ({ method: 'POST', path: `/v1/crypto/keys/${fx.key}/encrypt`, body: { plaintext: 'hello' } }),
    returns: 'object',
  },
  {
    name: 'crypto.decrypt',
    setup: async (c) => {
      const key = await newCryptoKey(c);
      return { key, ct: (await c.crypto.encrypt(key, { plaintext: 'hello' })).ciphertext };
    },
    call: (c, fx) => c.crypto.decrypt(fx.key as string, { ciphertext: fx.ct as string }, { format: 'utf8' }),
    expect: (fx) => ({ method: 'POST', path: `/v1/crypto/keys/${fx.key}/decrypt`, query: { format: 'utf8' }, body: { ciphertext: fx.ct } }),
    returns: 'object',
    check: (r) => {
      if ((r as { plaintext?: unknown }).plaintext !== 'hello') throw new Error('decrypt did not return the utf8 plaintext');
    },
  },
  {
    name: 'crypto.rewrap',
    setup: async (c) => {
      const key = await newCryptoKey(c);
      const ct = (await c.crypto.encrypt(key, { plaintext_b64: 'aGk=' })).ciphertext;
      await c.crypto.rotateKey(key);
      return { key, ct };
    },
    call: (c, fx) => c.crypto.rewrap(fx.key as string, { ciphertext: fx.ct as string }),
    expect: (fx) => ({ method: 'POST', path: `/v1/crypto/keys/${fx.key}/rewrap`, body: { ciphertext: fx.ct } }),
    returns: 'object',
  },
  {
    name: 'crypto.encryptData',
    call: (c) => c.crypto.encryptData({ card: { number: '4242424242424242', cvc: 123 } }),
    expect: { method: 'POST', path: '/v1/encrypt', body: { data: { card: { number: '4242424242424242', cvc: 123 } } } },
    returns: 'object',
  },
  {
    name: 'crypto.encryptData',
    call: (c) => c.crypto.encryptData(undefined, { role: undefined }),
    expect: { method: 'POST', path: '/v1/encrypt', body: { data: null } },
    returns: 'object',
  },
  {
    name: 'crypto.decryptData',
    setup: async (c) => ({ ct: JSON.stringify((await c.crypto.encryptData({ a: 'x', b: [1, true] })).ciphertext) }),
    call: (c, fx) => c.crypto.decryptData(JSON.parse(fx.ct as string)),
    expect: (fx) => ({ method: 'POST', path: '/v1/decrypt', body: { data: JSON.parse(fx.ct as string) } }),
    returns: 'object',
  },
  {
    name: 'crypto.inspect',
    setup: async (c) => ({ ct: (await c.crypto.encryptData('secret')).ciphertext as string }),
    call: (c, fx) => c.crypto.inspect(fx.ct as string),
    expect: (fx) => ({ method: 'POST', path: '/v1/inspect', body: { value: fx.ct } }),
    returns: 'object',
  },
  {
    name: 'crypto.getSealingBundle',
    call: (c) => c.crypto.getSealingBundle(),
    expect: { method: 'GET', path: '/v1/encrypt/sealing-bundle' },
    returns: 'object',
  },
  {
    name: 'crypto.mintClientToken',
    setup: async (c) => ({ vault: await newVault(c) }),
    call: (c, fx) => c.crypto.mintClientToken({ action: 'tokenize', vault: fx.vault as string, origins: ['https://app.example.com'], ttl_seconds: 120 }),
    expect: (fx) => ({
      method: 'POST',
      path: '/v1/client-tokens',
      body: { action: 'tokenize', vault: fx.vault, origins: ['https://app.example.com'], ttl_seconds: 120 },
    }),
    returns: 'object',
  },
  {
    name: 'crypto.sign',
    setup: async (c) => ({ key: await newCryptoKey(c, 'sign', 'ed25519') }),
    call: (c, fx) => c.crypto.sign(fx.key as string, { data: 'hello' }),
    expect: (fx) => ({ method: 'POST', path: `/v1/crypto/keys/${fx.key}/sign`, body: { data: 'hello' } }),
    returns: 'object',
  },
  {
    name: 'crypto.verify',
    setup: async (c) => {
      const key = await newCryptoKey(c, 'sign', 'ed25519');
      return { key, sig: (await c.crypto.sign(key, { data: 'hello' })).signature };
    },
    call: (c, fx) => c.crypto.verify(fx.key as string, { data: 'hello', signature: fx.sig as string }),
    expect: (fx) => ({ method: 'POST', path: `/v1/crypto/keys/${fx.key}/verify`, body: { data: 'hello', signature: fx.sig } }),
    returns: 'object',
    check: (r) => {
      if ((r as { valid?: unknown }).valid !== true) throw new Error('a fresh signature did not verify');
    },
  },
  {
    name: 'crypto.signJwt',
    setup: async (c) => ({ key: await newCryptoKey(c, 'sign', 'ed25519') }),
    call: (c, fx) => c.crypto.signJwt(fx.key as string, { claims: { sub: 'user-1' }, header_overrides: { typ: 'JWT' } }),
    expect: (fx) => ({ method: 'POST', path: `/v1/crypto/keys/${fx.key}/jwt`, body: { claims: { sub: 'user-1' }, header_overrides: { typ: 'JWT' } } }),
    returns: 'object',
  },
  {
    name: 'crypto.verifyJwt',
    setup: async (c) => {
      const key = await newCryptoKey(c, 'sign', 'ed25519');
      return { key, token: (await c.crypto.signJwt(key, { claims: { sub: 'user-1' } })).token };
    },
    call: (c, fx) => c.crypto.verifyJwt(fx.key as string, { token: fx.token as string, expected: { sub: 'user-1' } }),
    expect: (fx) => ({ method: 'POST', path: `/v1/crypto/keys/${fx.key}/jwt/verify`, body: { token: fx.token, expected: { sub: 'user-1' } } }),
    returns: 'object',
  },
  {
    name: 'crypto.signWebhook',
    setup: async (c) => ({ key: await newCryptoKey(c, 'hmac') }),
    call: (c, fx) => c.crypto.signWebhook(fx.key as string, { payload: '{"a":1}', timestamp_seconds: 1700000000 }),
    expect: (fx) => ({ method: 'POST', path: `/v1/crypto/keys/${fx.key}/webhook-sign`, body: { payload: '{"a":1}', timestamp_seconds: 1700000000 } }),
    returns: 'object',
  },
];

const pki: CatalogueRow[] = [
  { name: 'pki.listRoots', call: (c) => c.pki.listRoots(), expect: { method: 'GET', path: '/v1/pki/roots' }, returns: 'array' },
  {
    name: 'pki.createRoot',
    setup: async () => ({ name: uniq('root') }),
    call: (c, fx) => c.pki.createRoot({ name: fx.name as string, subject: { common_name: 'Example Root', organization: 'Example' } }),
    expect: (fx) => ({ method: 'POST', path: '/v1/pki/roots', body: { name: fx.name, subject: { common_name: 'Example Root', organization: 'Example' } } }),
    returns: 'object',
  },
  {
    name: 'pki.getRootCert',
    setup: async (c) => ({ root: await newPkiRoot(c) }),
    call: (c, fx) => c.pki.getRootCert(fx.root as string),
    expect: (fx) => ({ method: 'GET', path: `/v1/pki/roots/${fx.root}/cert` }),
    returns: 'string',
    check: (r) => {
      if (!(r as string).includes('-----BEGIN CERTIFICATE-----')) throw new Error('not PEM text');
    },
  },
  {
    name: 'pki.rotateIntermediate',
    setup: async (c) => ({ root: await newPkiRoot(c) }),
    call: (c, fx) => c.pki.rotateIntermediate(fx.root as string),
    expect: (fx) => ({ method: 'POST', path: `/v1/pki/roots/${fx.root}/rotate-intermediate`, body: {} }),
    returns: 'object',
  },
  {
    name: 'pki.getCrl',
    setup: async (c) => ({ root: await newPkiRoot(c) }),
    call: (c, fx) => c.pki.getCrl(fx.root as string),
    expect: (fx) => ({ method: 'GET', path: `/v1/pki/roots/${fx.root}/crl` }),
    returns: 'string',
  },
  {
    name: 'pki.listRoles',
    setup: async (c) => ({ root: await newPkiRoot(c) }),
    call: (c, fx) => c.pki.listRoles(fx.root as string),
    expect: (fx) => ({ method: 'GET', path: `/v1/pki/roots/${fx.root}/roles` }),
    returns: 'array',
  },
  {
    name: 'pki.createRole',
    setup: async (c) => ({ root: await newPkiRoot(c) }),
    call: (c, fx) =>
      c.pki.createRole(fx.root as string, { role_name: 'web', allowed_domains: ['example.com'], allow_subdomains: true, allow_wildcards: false }),
    expect: (fx) => ({
      method: 'POST',
      path: `/v1/pki/roots/${fx.root}/roles`,
      body: { role_name: 'web', allowed_domains: ['example.com'], allow_subdomains: true, allow_wildcards: false },
    }),
    returns: 'object',
  },
  {
    name: 'pki.issueCert',
    setup: async (c) => {
      const root = await newPkiRoot(c);
      await c.pki.createRole(root, { role_name: 'web', allowed_domains: ['example.com'], allow_subdomains: true });
      return { root };
    },
    call: (c, fx) =>
      c.pki.issueCert(fx.root as string, 'web', { subject: { common_name: 'api.example.com' }, san_dns: ['api.example.com'], ttl_seconds: 3600 }),
    expect: (fx) => ({
      method: 'POST',
      path: `/v1/pki/roots/${fx.root}/issue/web`,
      body: { subject: { common_name: 'api.example.com' }, san_dns: ['api.example.com'], ttl_seconds: 3600 },
    }),
    returns: 'object',
  },
  {
    name: 'pki.revokeCert',
    setup: async (c) => {
      const root = await newPkiRoot(c);
      await c.pki.createRole(root, { role_name: 'web', allowed_domains: ['example.com'], allow_subdomains: true });
      const cert = await c.pki.issueCert(root, 'web', { subject: { common_name: 'a.example.com' }, san_dns: ['a.example.com'] });
      return { root, serial: cert.serial_hex };
    },
    call: (c, fx) => c.pki.revokeCert(fx.root as string, { serial_hex: fx.serial as string, reason: 'key_compromise' }),
    expect: (fx) => ({ method: 'POST', path: `/v1/pki/roots/${fx.root}/revoke`, body: { serial_hex: fx.serial, reason: 'key_compromise' } }),
    returns: 'object',
  },
];

async function tokenized(c: Parameters<NonNullable<CatalogueRow['setup']>>[0]): Promise<{ vault: string; token: string }> {
  const vault = await newVault(c);
  return { vault, token: (await c.vaults.tokenize(vault, { value: '4111111111111111' })).token };
}

const vaults: CatalogueRow[] = [
  {
    name: 'vaults.list',
    call: (c) => c.vaults.list({ page: 1 }),
    expect: { method: 'GET', path: '/v1/vaults', query: { page: '1' } },
    returns: 'page',
  },
  {
    name: 'vaults.iterate',
    setup: async (c) => ({ a: await newVault(c) }),
    call: (c) => c.vaults.iterate({ per_page: 100 }),
    expect: { method: 'GET', path: '/v1/vaults', query: { page: '1', per_page: '100' } },
    returns: 'iterator',
  },
  {
    name: 'vaults.get',
    setup: async (c) => ({ vault: await newVault(c) }),
    call: (c, fx) => c.vaults.get(fx.vault as string),
    expect: (fx) => ({ method: 'GET', path: `/v1/vaults/${fx.vault}` }),
    returns: 'object',
  },
  {
    name: 'vaults.create',
    setup: async () => ({ name: uniq('vault') }),
    call: (c, fx) => c.vaults.create({ name: fx.name as string, custody_mode: 'managed', metadata_jsonb: {}, default_ttl_seconds: null }),
    expect: (fx) => ({ method: 'POST', path: '/v1/vaults', body: { name: fx.name, custody_mode: 'managed', metadata_jsonb: {}, default_ttl_seconds: null } }),
    returns: 'object',
  },
  {
    name: 'vaults.update',
    setup: async (c) => ({ vault: await newVault(c) }),
    call: (c, fx) => c.vaults.update(fx.vault as string, { enabled: false, description: null }),
    expect: (fx) => ({ method: 'PATCH', path: `/v1/vaults/${fx.vault}`, body: { enabled: false, description: null } }),
    returns: 'object',
  },
  {
    name: 'vaults.delete',
    setup: async (c) => ({ vault: await newVault(c) }),
    call: (c, fx) => c.vaults.delete(fx.vault as string),
    expect: (fx) => ({ method: 'DELETE', path: `/v1/vaults/${fx.vault}`, body: 'none' }),
    returns: 'object',
  },
  {
    name: 'vaults.rotate',
    setup: async (c) => ({ vault: await newVault(c) }),
    call: (c, fx) => c.vaults.rotate(fx.vault as string),
    expect: (fx) => ({ method: 'POST', path: `/v1/vaults/${fx.vault}/rotate`, body: {} }),
    returns: 'object',
  },
  {
    name: 'vaults.tokenize',
    setup: async (c) => ({ vault: await newVault(c) }),
    call: (c, fx) => c.vaults.tokenize(fx.vault as string, { value: '4111111111111111', metadata: { user: 'u1' }, ttl_seconds: 600 }),
    expect: (fx) => ({
      method: 'POST',
      path: `/v1/vaults/${fx.vault}/tokens`,
      body: { value: '4111111111111111', metadata: { user: 'u1' }, ttl_seconds: 600 },
    }),
    returns: 'object',
  },
  {
    name: 'vaults.bulkTokenize',
    setup: async (c) => ({ vault: await newVault(c) }),
    call: (c, fx) => c.vaults.bulkTokenize(fx.vault as string, { values: [{ value: 'a' }, { value: 'b', metadata: { n: 2 } }] }),
    expect: (fx) => ({ method: 'POST', path: `/v1/vaults/${fx.vault}/tokens/bulk`, body: { values: [{ value: 'a' }, { value: 'b', metadata: { n: 2 } }] } }),
    returns: 'object',
  },
  {
    name: 'vaults.listTokens',
    setup: async (c) => tokenized(c),
    call: (c, fx) => c.vaults.listTokens(fx.vault as string, { per_page: 1 }),
    expect: (fx) => ({ method: 'GET', path: `/v1/vaults/${fx.vault}/tokens`, query: { per_page: '1' } }),
    returns: 'page',
  },
  {
    name: 'vaults.iterateTokens',
    setup: async (c) => tokenized(c),
    call: (c, fx) => c.vaults.iterateTokens(fx.vault as string, { per_page: 1 }),
    expect: (fx) => ({ method: 'GET', path: `/v1/vaults/${fx.vault}/tokens`, query: { page: '1', per_page: '1' } }),
    returns: 'iterator',
  },
  {
    name: 'vaults.detokenize',
    setup: async (c) => tokenized(c),
    call: (c, fx) => c.vaults.detokenize(fx.vault as string, fx.token as string),
    expect: (fx) => ({ method: 'GET', path: `/v1/vaults/${fx.vault}/tokens/${encodeURIComponent(fx.token as string)}` }),
    returns: 'object',
  },
  {
    name: 'vaults.updateToken',
    setup: async (c) => tokenized(c),
    call: (c, fx) => c.vaults.updateToken(fx.vault as string, fx.token as string, { metadata: { user: 'u2' } }),
    expect: (fx) => ({ method: 'PATCH', path: `/v1/vaults/${fx.vault}/tokens/${encodeURIComponent(fx.token as string)}`, body: { metadata: { user: 'u2' } } }),
    returns: 'object',
  },
  {
    name: 'vaults.deleteToken',
    setup: async (c) => tokenized(c),
    call: (c, fx) => c.vaults.deleteToken(fx.vault as string, fx.token as string),
    expect: (fx) => ({ method: 'DELETE', path: `/v1/vaults/${fx.vault}/tokens/${encodeURIComponent(fx.token as string)}`, body: 'none' }),
    returns: 'object',
  },
];

async function leased(c: Parameters<NonNullable<CatalogueRow['setup']>>[0]): Promise<{ conn: string; role: string; lease: string }> {
  const conn = await newDbConnection(c);
  const role = await newDbRole(c, conn);
  const minted = await c.dynamicDb.mint(conn, role, { ttl_seconds: 300 });
  return { conn, role, lease: String(minted.lease_id) };
}

const dynamicDb: CatalogueRow[] = [
  { name: 'dynamicDb.list', call: (c) => c.dynamicDb.list(), expect: { method: 'GET', path: '/v1/dyn-db-credentials' }, returns: 'array' },
  {
    name: 'dynamicDb.get',
    setup: async (c) => ({ conn: await newDbConnection(c) }),
    call: (c, fx) => c.dynamicDb.get(fx.conn as string),
    expect: (fx) => ({ method: 'GET', path: `/v1/dyn-db-credentials/${fx.conn}` }),
    returns: 'object',
  },
  {
    name: 'dynamicDb.create',
    setup: async () => ({ name: uniq('db') }),
    call: (c, fx) =>
      c.dynamicDb.create({ name: fx.name as string, engine: 'postgres', host: 'db.internal', port: 5432, admin_username: 'admin', admin_password: 'pw' }),
    expect: (fx) => ({
      method: 'POST',
      path: '/v1/dyn-db-credentials',
      body: { name: fx.name, engine: 'postgres', execution_mode: 'direct', host: 'db.internal', port: 5432, admin_username: 'admin', admin_password: 'pw' },
    }),
    returns: 'object',
  },
  {
    name: 'dynamicDb.update',
    setup: async (c) => ({ conn: await newDbConnection(c) }),
    call: (c, fx) => c.dynamicDb.update(fx.conn as string, { enabled: false, max_ttl_seconds: 7200 }),
    expect: (fx) => ({ method: 'PATCH', path: `/v1/dyn-db-credentials/${fx.conn}`, body: { enabled: false, max_ttl_seconds: 7200 } }),
    returns: 'object',
  },
  {
    name: 'dynamicDb.delete',
    setup: async (c) => ({ conn: await newDbConnection(c) }),
    call: (c, fx) => c.dynamicDb.delete(fx.conn as string),
    expect: (fx) => ({ method: 'DELETE', path: `/v1/dyn-db-credentials/${fx.conn}`, body: 'none' }),
    returns: 'object',
  },
  {
    name: 'dynamicDb.rotateSshKey',
    setup: async (c) => {
      const name = uniq('db-ssh');
      await c.dynamicDb.create({
        name,
        engine: 'postgres',
        execution_mode: 'ssh_tunnel',
        host: '10.0.0.5',
        admin_username: 'a',
        admin_password: 'p',
        ssh_host: 'bastion.example.com',
        ssh_username: 'tunnel',
        ssh_private_key: 'old-key',
      });
      return { conn: name };
    },
    call: (c, fx) => c.dynamicDb.rotateSshKey(fx.conn as string, { ssh_private_key: 'new-key' }),
    expect: (fx) => ({ method: 'POST', path: `/v1/dyn-db-credentials/${fx.conn}/rotate-ssh-key`, body: { ssh_private_key: 'new-key' } }),
    returns: 'object',
  },
  {
    name: 'dynamicDb.listRoles',
    setup: async (c) => ({ conn: await newDbConnection(c) }),
    call: (c, fx) => c.dynamicDb.listRoles(fx.conn as string),
    expect: (fx) => ({ method: 'GET', path: `/v1/dyn-db-credentials/${fx.conn}/roles` }),
    returns: 'array',
  },
  {
    name: 'dynamicDb.createRole',
    setup: async (c) => ({ conn: await newDbConnection(c) }),
    call: (c, fx) =>
      c.dynamicDb.createRole(fx.conn as string, { name: 'readonly', creation_sql: 'CREATE ROLE', revocation_sql: 'DROP ROLE', default_ttl_seconds: 60 }),
    expect: (fx) => ({
      method: 'POST',
      path: `/v1/dyn-db-credentials/${fx.conn}/roles`,
      body: { name: 'readonly', creation_sql: 'CREATE ROLE', revocation_sql: 'DROP ROLE', default_ttl_seconds: 60 },
    }),
    returns: 'object',
  },
  {
    name: 'dynamicDb.updateRole',
    setup: async (c) => {
      const conn = await newDbConnection(c);
      return { conn, role: await newDbRole(c, conn) };
    },
    call: (c, fx) => c.dynamicDb.updateRole(fx.conn as string, fx.role as string, { max_ttl_seconds: 600 }),
    expect: (fx) => ({ method: 'PATCH', path: `/v1/dyn-db-credentials/${fx.conn}/roles/${fx.role}`, body: { max_ttl_seconds: 600 } }),
    returns: 'object',
  },
  {
    name: 'dynamicDb.deleteRole',
    setup: async (c) => {
      const conn = await newDbConnection(c);
      return { conn, role: await newDbRole(c, conn) };
    },
    call: (c, fx) => c.dynamicDb.deleteRole(fx.conn as string, fx.role as string),
    expect: (fx) => ({ method: 'DELETE', path: `/v1/dyn-db-credentials/${fx.conn}/roles/${fx.role}`, body: 'none' }),
    returns: 'object',
  },
  {
    name: 'dynamicDb.mint',
    setup: async (c) => {
      const conn = await newDbConnection(c);
      return { conn, role: await newDbRole(c, conn) };
    },
    call: (c, fx) => c.dynamicDb.mint(fx.conn as string, fx.role as string),
    expect: (fx) => ({ method: 'POST', path: `/v1/dyn-db-credentials/${fx.conn}/creds/${fx.role}`, body: {} }),
    returns: 'object',
    check: (r) => {
      if (typeof (r as { password?: unknown }).password !== 'string') throw new Error('mint did not return the one-time password');
    },
  },
  {
    name: 'dynamicDb.listLeases',
    setup: async (c) => leased(c),
    call: (c, fx) => c.dynamicDb.listLeases({ connection: fx.conn as string, limit: 10, offset: 0 }),
    expect: (fx) => ({ method: 'GET', path: '/v1/dyn-db-credentials/leases', query: { connection: fx.conn as string, limit: '10', offset: '0' } }),
    returns: 'object',
    check: (r) => {
      const list = r as { leases?: unknown; limit?: unknown; offset?: unknown };
      if (!Array.isArray(list.leases) || list.limit !== 10 || list.offset !== 0) throw new Error('expected {leases, total, limit, offset}');
    },
  },
  {
    name: 'dynamicDb.revokeLease',
    setup: async (c) => leased(c),
    call: (c, fx) => c.dynamicDb.revokeLease(Number(fx.lease)),
    expect: (fx) => ({ method: 'POST', path: `/v1/dyn-db-credentials/leases/${fx.lease}/revoke`, body: {} }),
    returns: 'object',
  },
];

export const coreRows: readonly CatalogueRow[] = [
  ...routes,
  ...secrets,
  ...webhooks,
  ...clients,
  ...oauthClients,
  ...environments,
  ...apiKeys,
  ...account,
  ...auditLogs,
  ...agents,
  ...crypto,
  ...pki,
  ...vaults,
  ...dynamicDb,
];
