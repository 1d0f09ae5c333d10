import { ApiError } from '../errors.js';
import { newId, opaqueToken } from '../ids.js';
import { omit } from '../omit.js';
import { ok } from '../reply.js';
import type { HandlerContext, RouteRegistration } from '../router.js';
import { validate } from '../validate.js';

/**
 * `dynamicDb` (resources.md §15): connections, roles, and short-lived credential leases that are
 * minted (password shown once) and revoked; leases expire by the emulator clock. Connection and
 * role deletes are refused with 409 while live leases exist.
 */

interface RoleRow {
  id: string;
  name: string;
  creation_sql_template: string;
  revocation_sql_template: string;
  default_ttl_seconds: number | null;
  max_ttl_seconds: number | null;
  created_at: string;
  updated_at: string;
}

interface ConnectionRow {
  id: string;
  name: string;
  engine: string;
  host: string;
  port: number | null;
  database_name: string | null;
  admin_username: string;
  execution_mode: string;
  agent_id: string | null;
  default_ttl_seconds: number;
  max_ttl_seconds: number;
  connect_options: Record<string, unknown>;
  enabled: boolean;
  created_at: string;
  updated_at: string;
  ssh_host: string | null;
  ssh_port: number | null;
  ssh_username: string | null;
  iam_region: string | null;
  iam_db_user: string | null;
  roles: Map<string, RoleRow>;
}

interface LeaseRow {
  id: number;
  status: 'active' | 'revoked';
  expires_at_ms: number;
  issued_at: string;
  username: string;
  connection_name: string;
  role_name: string;
  engine: string;
}

const TEMPLATES: Record<string, [string, string]> = {
  postgres_readonly: [
    'CREATE ROLE "{{name}}" WITH LOGIN PASSWORD \'{{password}}\' VALID UNTIL \'{{expiration}}\'; GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{{name}}";',
    'DROP ROLE IF EXISTS "{{name}}";',
  ],
  postgres_readwrite: [
    'CREATE ROLE "{{name}}" WITH LOGIN PASSWORD \'{{password}}\' VALID UNTIL \'{{expiration}}\'; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{{name}}";',
    'DROP ROLE IF EXISTS "{{name}}";',
  ],
  mysql_readonly: ["CREATE USER '{{name}}'@'%' IDENTIFIED BY '{{password}}'; GRANT SELECT ON *.* TO '{{name}}'@'%';", "DROP USER IF EXISTS '{{name}}'@'%';"],
};

const connections = (ctx: HandlerContext) => ctx.state.store('dyndb.connections', () => new Map<string, ConnectionRow>());
const leases = (ctx: HandlerContext) => ctx.state.store('dyndb.leases', () => ({ next: 1, rows: new Map<number, LeaseRow>() }));

function connOr404(ctx: HandlerContext, param = 'name'): ConnectionRow {
  const name = ctx.params[param] ?? '';
  const row = connections(ctx).get(name);
  if (!row) throw ApiError.notFound(`Database connection "${name}"`);
  return row;
}

function liveLeases(ctx: HandlerContext): LeaseRow[] {
  const now = ctx.now();
  return [...leases(ctx).rows.values()].filter((l) => l.status === 'active' && l.expires_at_ms > now);
}

function view(c: ConnectionRow) {
  return omit(c, 'roles');
}

function refuseWithLeases(ctx: HandlerContext, what: string, match: (l: LeaseRow) => boolean): void {
  const n = liveLeases(ctx).filter(match).length;
  if (n > 0) throw ApiError.conflict(`${what} has ${n} active credential lease(s); revoke them first`, 'active_leases');
}

export const dynamicDbRoutes: RouteRegistration[] = [
  { method: 'GET', path: '/v1/dyn-db-credentials', handler: (ctx) => ok(ctx, [...connections(ctx).values()].map(view)) },
  {
    method: 'GET',
    path: '/v1/dyn-db-credentials/leases',
    handler: (ctx) => {
      const q = ctx.query;
      const limit = Math.min(Math.max(Number(q.get('limit') ?? 50) || 50, 1), 500);
      const offset = Math.max(Number(q.get('offset') ?? 0) || 0, 0);
      const connection = q.get('connection');
      const rows = liveLeases(ctx).filter((l) => connection === null || l.connection_name === connection);
      return ok(ctx, {
        leases: rows.slice(offset, offset + limit).map((l) => ({
          id: l.id,
          status: l.status,
          expires_at: new Date(l.expires_at_ms).toISOString(),
          issued_at: l.issued_at,
          username: l.username,
          connection_name: l.connection_name,
          role_name: l.role_name,
          engine: l.engine,
        })),
        total: rows.length,
        limit,
        offset,
      });
    },
  },
  {
    method: 'POST',
    path: '/v1/dyn-db-credentials/leases/:leaseId/revoke',
    handler: (ctx) => {
      const id = Number(ctx.params['leaseId']);
      const lease = leases(ctx).rows.get(id);
      if (!Number.isInteger(id) || !lease) throw ApiError.notFound('Lease');
      lease.status = 'revoked';
      ctx.state.audit('dyndb.lease_revoked', 'dyn_db_lease', String(id));
      return ok(ctx, { revoked: id });
    },
  },
  { method: 'GET', path: '/v1/dyn-db-credentials/:name', handler: (ctx) => ok(ctx, view(connOr404(ctx))) },
  {
    method: 'POST',
    path: '/v1/dyn-db-credentials',
    handler: (ctx) => {
      const v = validate(ctx.json());
      const name = v.string('name', { required: true });
      const engine = v.string('engine', { required: true });
      const mode = v.string('execution_mode') ?? 'direct';
      const host = v.string('host');
      const port = v.int('port', { min: 1, max: 65535 });
      const db = v.string('database_name');
      const admin = v.string('admin_username');
      v.string('admin_password');
      const agent = v.nullableString('agent_id');
      const sshHost = v.string('ssh_host');
      const sshPort = v.int('ssh_port', { min: 1, max: 65535 });
      const sshUser = v.string('ssh_username');
      v.string('ssh_private_key');
      v.string('ssh_passphrase');
      v.string('ssh_host_fingerprint');
      const iamRegion = v.string('iam_region');
      const iamUser = v.string('iam_db_user');
      const def = v.int('default_ttl_seconds', { min: 1 });
      const max = v.int('max_ttl_seconds', { min: 1 });
      const opts = v.object('connect_options');
      if (mode === 'direct' && !host) v.error('host', 'is required for direct execution');
      v.done();
      if (connections(ctx).has(name!)) throw ApiError.conflict(`Database connection "${name}" already exists`);
      const now = ctx.nowIso();
      const row: ConnectionRow = {
        id: newId(),
        name: name!,
        engine: engine!,
        host: host ?? '',
        port: port ?? null,
        database_name: db ?? null,
        admin_username: admin ?? '',
        execution_mode: mode,
        agent_id: agent ?? null,
        default_ttl_seconds: def ?? 3600,
        max_ttl_seconds: max ?? 86_400,
        connect_options: opts ?? {},
        enabled: true,
        created_at: now,
        updated_at: now,
        ssh_host: sshHost ?? null,
        ssh_port: sshPort ?? null,
        ssh_username: sshUser ?? null,
        iam_region: iamRegion ?? null,
        iam_db_user: iamUser ?? null,
        roles: new Map(),
      };
      connections(ctx).set(row.name, row);
      ctx.state.audit('dyndb.connection_created', 'dyn_db_connection', row.id, { name: row.name });
      return ok(ctx, { id: row.id, name: row.name, engine: row.engine, execution_mode: row.execution_mode }, 201);
    },
  },
  {
    method: 'PATCH',
    path: '/v1/dyn-db-credentials/:name',
    handler: (ctx) => {
      const c = connOr404(ctx);
      const v = validate(ctx.json());
      const host = v.string('host');
      const port = v.int('port', { min: 1, max: 65535, nullable: true });
      const db = v.nullableString('database_name');
      const admin = v.string('admin_username');
      v.string('admin_password');
      const def = v.int('default_ttl_seconds', { min: 1 });
      const max = v.int('max_ttl_seconds', { min: 1 });
      const opts = v.object('connect_options');
      const agent = v.nullableString('agent_id');
      const enabled = v.bool('enabled');
      v.done();
      if (host !== undefined) c.host = host;
      if (port !== undefined) c.port = port;
      if (db !== undefined) c.database_name = db;
      if (admin !== undefined) c.admin_username = admin;
      if (def !== undefined) c.default_ttl_seconds = def;
      if (max !== undefined) c.max_ttl_seconds = max;
      if (opts !== undefined) c.connect_options = opts;
      if (agent !== undefined) c.agent_id = agent;
      if (enabled !== undefined) c.enabled = enabled;
      c.updated_at = ctx.nowIso();
      return ok(ctx, { updated: c.name });
    },
  },
  {
    method: 'DELETE',
    path: '/v1/dyn-db-credentials/:name',
    handler: (ctx) => {
      const c = connOr404(ctx);
      refuseWithLeases(ctx, `Connection ${c.name}`, (l) => l.connection_name === c.name);
      connections(ctx).delete(c.name);
      return ok(ctx, { deleted: c.name });
    },
  },
  {
    method: 'POST',
    path: '/v1/dyn-db-credentials/:name/rotate-ssh-key',
    handler: (ctx) => {
      const c = connOr404(ctx);
      const v = validate(ctx.json());
      v.string('ssh_private_key', { required: true });
      v.string('ssh_passphrase');
      const fp = v.string('ssh_host_fingerprint');
      v.done();
      return ok(ctx, { rotated: c.name, fingerprint_updated: fp !== undefined });
    },
  },
  { method: 'GET', path: '/v1/dyn-db-credentials/:connectionName/roles', handler: (ctx) => ok(ctx, [...connOr404(ctx, 'connectionName').roles.values()]) },
  {
    method: 'POST',
    path: '/v1/dyn-db-credentials/:connectionName/roles',
    handler: (ctx) => {
      const c = connOr404(ctx, 'connectionName');
      const v = validate(ctx.json());
      const name = v.string('name', { required: true });
      const template = v.string('template');
      const creation = v.string('creation_sql');
      const revocation = v.string('revocation_sql');
      const def = v.int('default_ttl_seconds', { min: 1, nullable: true });
      const max = v.int('max_ttl_seconds', { min: 1, nullable: true });
      if (template !== undefined && !TEMPLATES[template]) v.error('template', `unknown template; known: ${Object.keys(TEMPLATES).join(', ')}`);
      if (template === undefined && creation === undefined) v.error('creation_sql', 'is required unless a template is given');
      v.done();
      if (c.roles.has(name!)) throw ApiError.conflict(`Role "${name}" already exists on ${c.name}`);
      const [tplCreate, tplRevoke] = template !== undefined ? TEMPLATES[template]! : ['', ''];
      const now = ctx.nowIso();
      const row: RoleRow = {
        id: newId(),
        name: name!,
        creation_sql_template: creation ?? tplCreate,
        revocation_sql_template: revocation ?? tplRevoke,
        default_ttl_seconds: def ?? null,
        max_ttl_seconds: max ?? null,
        created_at: now,
        updated_at: now,
      };
      c.roles.set(row.name, row);
      return ok(ctx, { id: row.id, name: row.name, connection: c.name }, 201);
    },
  },
  {
    method: 'PATCH',
    path: '/v1/dyn-db-credentials/:connectionName/roles/:role',
    handler: (ctx) => {
      const c = connOr404(ctx, 'connectionName');
      const role = c.roles.get(ctx.params['role'] ?? '');
      if (!role) throw ApiError.notFound('Role');
      const v = validate(ctx.json());
      const creation = v.string('creation_sql');
      const revocation = v.string('revocation_sql');
      const def = v.int('default_ttl_seconds', { min: 1, nullable: true });
      const max = v.int('max_ttl_seconds', { min: 1, nullable: true });
      v.done();
      if (creation !== undefined) role.creation_sql_template = creation;
      if (revocation !== undefined) role.revocation_sql_template = revocation;
      if (def !== undefined) role.default_ttl_seconds = def;
      if (max !== undefined) role.max_ttl_seconds = max;
      role.updated_at = ctx.nowIso();
      return ok(ctx, { updated: role.name });
    },
  },
  {
    method: 'DELETE',
    path: '/v1/dyn-db-credentials/:connectionName/roles/:role',
    handler: (ctx) => {
      const c = connOr404(ctx, 'connectionName');
      const role = c.roles.get(ctx.params['role'] ?? '');
      if (!role) throw ApiError.notFound('Role');
      refuseWithLeases(ctx, `Role ${role.name}`, (l) => l.connection_name === c.name && l.role_name === role.name);
      c.roles.delete(role.name);
      return ok(ctx, { deleted: role.name });
    },
  },
  {
    method: 'POST',
    path: '/v1/dyn-db-credentials/:connectionName/creds/:role',
    handler: (ctx) => {
      const c = connOr404(ctx, 'connectionName');
      const role = c.roles.get(ctx.params['role'] ?? '');
      if (!role) throw ApiError.notFound('Role');
      if (!c.enabled) throw ApiError.conflict(`Connection ${c.name} is disabled`, 'connection_disabled');
      const v = validate(ctx.json());
      const ttl = v.int('ttl_seconds', { min: 1 });
      v.done();
      const max = Math.min(role.max_ttl_seconds ?? c.max_ttl_seconds, c.max_ttl_seconds);
      const seconds = Math.min(ttl ?? role.default_ttl_seconds ?? c.default_ttl_seconds, max);
      const store = leases(ctx);
      const lease: LeaseRow = {
        id: store.next++,
        status: 'active',
        expires_at_ms: ctx.now() + seconds * 1000,
        issued_at: ctx.nowIso(),
        username: `v_${role.name}_${opaqueToken('', 4)}`.slice(0, 63),
        connection_name: c.name,
        role_name: role.name,
        engine: c.engine,
      };
      store.rows.set(lease.id, lease);
      ctx.state.audit('dyndb.credential_minted', 'dyn_db_lease', String(lease.id), { connection: c.name, role: role.name });
      return ok(
        ctx,
        {
          username: lease.username,
          password: opaqueToken('', 16),
          expires_at: new Date(lease.expires_at_ms).toISOString(),
          lease_id: lease.id,
          connection_name: c.name,
          role_name: role.name,
        },
        201,
      );
    },
  },
];
