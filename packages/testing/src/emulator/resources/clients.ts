import { isIP } from 'node:net';
import { ApiError } from '../errors.js';
import { newId } from '../ids.js';
import { omit } from '../omit.js';
import { ok, paginate } from '../reply.js';
import type { HandlerContext, RouteRegistration } from '../router.js';
import { validate } from '../validate.js';
import { issueClientCertificate } from './pki.js';

/**
 * `clients` (resources.md §4) and their credentials. Only `ip` and `mtls_thumbprint` kinds can
 * be created; an mTLS credential in issue mode gets a real certificate in a one-time `reveal`.
 */

interface CredentialRow {
  id: string;
  client_id: string;
  tenant_id: string;
  kind: string;
  label: string | null;
  data: Record<string, unknown>;
  enabled: boolean;
  expires_at: string | null;
  created_at: string;
  updated_at: string;
  last_matched_at: string | null;
}

interface ClientRow {
  id: string;
  tenant_id: string;
  name: string;
  type: string;
  ip_address: string | null;
  ip_notes: Record<string, unknown>;
  description: string | null;
  enabled: boolean;
  collection_id: string | null;
  created_at: string;
  updated_at: string;
  created_by: string | null;
  credentials: Map<string, CredentialRow>;
}

export const clientStore = (ctx: HandlerContext) => ctx.state.store('clients', () => new Map<string, ClientRow>());

function clientOr404(ctx: HandlerContext, param = 'id'): ClientRow {
  const row = clientStore(ctx).get(ctx.params[param] ?? '');
  if (!row) throw ApiError.notFound('Client');
  return row;
}

function listView(c: ClientRow) {
  return omit(c, 'credentials', 'tenant_id', 'created_by');
}

function record(c: ClientRow) {
  return {
    ...omit(c, 'credentials'),
    agent_version: null,
    agent_os: null,
    agent_arch: null,
    agent_hostname: null,
    agent_last_seen: null,
    agent_mode: null,
  };
}

function routeAssignments(ctx: HandlerContext, c: ClientRow) {
  // A route environment "uses" clients when requires_clients is on; the emulator attaches every
  // client of the tenant to such environments.
  const out: Array<{ route_id: string; route_name: string; environment_name: string }> = [];
  for (const r of ctx.state.routes.values()) {
    for (const cfg of r.configs.values())
      if (cfg.requires_clients && c.enabled) out.push({ route_id: r.id, route_name: r.name, environment_name: cfg.environment_name });
  }
  return out;
}

function readClient(ctx: HandlerContext, creating: boolean) {
  const v = validate(ctx.json());
  const input = {
    name: v.string('name', { required: creating }),
    type: v.string('type', { oneOf: ['server', 'user'] }),
    ip_address: v.nullableString('ip_address'),
    description: v.nullableString('description'),
    ip_notes: v.object('ip_notes'),
    enabled: v.bool('enabled'),
  };
  if (typeof input.ip_address === 'string' && isIP(input.ip_address.replace(/\/\d+$/, '')) === 0) v.error('ip_address', 'must be an IP address or CIDR');
  v.done();
  return input;
}

export const clientRoutes: RouteRegistration[] = [
  {
    method: 'GET',
    path: '/v1/clients',
    handler: (ctx) => {
      const type = ctx.query.get('type');
      return paginate(ctx, [...clientStore(ctx).values()].filter((c) => type === null || c.type === type).map(listView));
    },
  },
  {
    method: 'GET',
    path: '/v1/clients/:id',
    handler: (ctx) => {
      const c = clientOr404(ctx);
      return ok(ctx, { ...listView(c), route_assignments: routeAssignments(ctx, c) });
    },
  },
  {
    method: 'POST',
    path: '/v1/clients',
    handler: (ctx) => {
      const input = readClient(ctx, true);
      const now = ctx.nowIso();
      const row: ClientRow = {
        id: newId(),
        tenant_id: ctx.state.account.id,
        name: input.name!,
        type: input.type ?? 'server',
        ip_address: input.ip_address ?? null,
        ip_notes: input.ip_notes ?? {},
        description: input.description ?? null,
        enabled: true,
        collection_id: null,
        created_at: now,
        updated_at: now,
        created_by: null,
        credentials: new Map(),
      };
      clientStore(ctx).set(row.id, row);
      ctx.state.audit('client.created', 'client', row.id, { name: row.name });
      return ok(ctx, record(row), 201);
    },
  },
  {
    method: 'PATCH',
    path: '/v1/clients/:id',
    handler: (ctx) => {
      const row = clientOr404(ctx);
      const input = readClient(ctx, false);
      if (input.name !== undefined) row.name = input.name;
      if (input.ip_address !== undefined) row.ip_address = input.ip_address;
      if (input.description !== undefined) row.description = input.description;
      if (input.ip_notes !== undefined) row.ip_notes = input.ip_notes;
      if (input.enabled !== undefined) row.enabled = input.enabled;
      row.updated_at = ctx.nowIso();
      return ok(ctx, record(row));
    },
  },
  {
    method: 'DELETE',
    path: '/v1/clients/:id',
    handler: (ctx) => {
      const row = clientOr404(ctx);
      clientStore(ctx).delete(row.id);
      ctx.state.audit('client.deleted', 'client', row.id);
      return ok(ctx, { deleted: true });
    },
  },
  { method: 'GET', path: '/v1/clients/:clientId/credentials', handler: (ctx) => ok(ctx, [...clientOr404(ctx, 'clientId').credentials.values()]) },
  {
    method: 'POST',
    path: '/v1/clients/:clientId/credentials',
    handler: (ctx) => {
      const client = clientOr404(ctx, 'clientId');
      const v = validate(ctx.json());
      const kind = v.string('kind', { required: true });
      const data = v.object('data', { required: true });
      const label = v.nullableString('label');
      if (kind !== undefined && kind !== 'ip' && kind !== 'mtls_thumbprint') v.error('kind', 'only "ip" and "mtls_thumbprint" can be created');
      if (kind === 'ip' && data && (typeof data['ip_address'] !== 'string' || isIP(String(data['ip_address']).replace(/\/\d+$/, '')) === 0)) {
        v.error('data.ip_address', 'must be an IP address or CIDR');
      }
      if (kind === 'mtls_thumbprint' && data && data['mode'] !== 'issue' && typeof data['thumbprint'] !== 'string') {
        v.error('data', 'must be {"mode": "issue"} or carry a "thumbprint"');
      }
      v.done();
      const now = ctx.nowIso();
      const row: CredentialRow = {
        id: newId(),
        client_id: client.id,
        tenant_id: client.tenant_id,
        kind: kind!,
        label: label ?? null,
        data: { ...data! },
        enabled: true,
        expires_at: null,
        created_at: now,
        updated_at: now,
        last_matched_at: null,
      };
      let reveal: Record<string, string> | undefined;
      if (kind === 'mtls_thumbprint' && data!['mode'] === 'issue') {
        const issued = issueClientCertificate(client.name, ctx.now());
        row.data = { mode: 'issue', thumbprint: issued.thumbprint };
        row.expires_at = new Date(ctx.now() + 365 * 86_400_000).toISOString();
        reveal = { certificate_pem: issued.certificate_pem, private_key_pem: issued.private_key_pem, ca_chain_pem: issued.ca_chain_pem };
      }
      client.credentials.set(row.id, row);
      return ok(ctx, { ...row, ...(reveal ? { reveal } : {}) }, 201);
    },
  },
  {
    method: 'PATCH',
    path: '/v1/clients/:clientId/credentials/:credentialId',
    handler: (ctx) => {
      const client = clientOr404(ctx, 'clientId');
      const row = client.credentials.get(ctx.params['credentialId'] ?? '');
      if (!row) throw ApiError.notFound('Client credential');
      const v = validate(ctx.json());
      const enabled = v.bool('enabled');
      const label = v.nullableString('label');
      v.done();
      if (enabled === true && !row.enabled) throw ApiError.conflict('A disabled credential cannot be re-enabled; create a new one', 'credential_disabled');
      if (enabled !== undefined) row.enabled = enabled;
      if (label !== undefined) row.label = label;
      row.updated_at = ctx.nowIso();
      return ok(ctx, row);
    },
  },
  {
    method: 'DELETE',
    path: '/v1/clients/:clientId/credentials/:credentialId',
    handler: (ctx) => {
      const client = clientOr404(ctx, 'clientId');
      if (!client.credentials.delete(ctx.params['credentialId'] ?? '')) throw ApiError.notFound('Client credential');
      return ok(ctx, { deleted: true });
    },
  },
];
