import { type KeyObject, createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { ApiError } from '../errors.js';
import { newId } from '../ids.js';
import { ok, text } from '../reply.js';
import type { HandlerContext, RouteRegistration } from '../router.js';
import { validate } from '../validate.js';
import { type SubjectFields, createCertificate, createCrl, newEcKeyPair, privateKeyPem, subjectString } from '../x509.js';

/**
 * `pki` (resources.md §13): a private CA per root — a self-signed root plus an intermediate
 * that signs leaves. Certificates are real X.509 (ECDSA P-256) built by ../x509.ts, so they parse
 * with `new crypto.X509Certificate(pem)`; the CRL is a real signed v2 CRL in PEM.
 */

interface Authority {
  id: string;
  subject: SubjectFields;
  pem: string;
  privateKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
}

interface RoleRow {
  id: string;
  ca_root_id: string;
  name: string;
  allowed_domains: string[];
  allow_subdomains: boolean;
  allow_wildcards: boolean;
  max_ttl_seconds: number;
  default_ttl_seconds: number;
  key_algorithm: 'ecdsa-p256';
}

interface RootRow {
  id: string;
  tenant_id: string;
  name: string;
  root: Authority;
  intermediate: Authority;
  status: string;
  created_at: string;
  roles: Map<string, RoleRow>;
  issued: Map<string, { notAfter: Date }>;
  revoked: Array<{ serialHex: string; at: Date }>;
}

const DAY = 86_400_000;
const roots = (ctx: HandlerContext) => ctx.state.store('pki.roots', () => new Map<string, RootRow>());

function rootOr404(ctx: HandlerContext, param = 'name'): RootRow {
  const ref = ctx.params[param] ?? '';
  for (const r of roots(ctx).values()) if (r.name === ref || r.id === ref) return r;
  throw ApiError.notFound(`CA root "${ref}"`);
}

function authority(subject: SubjectFields, signer: Authority | undefined, lifetimeMs: number, now: number): Authority {
  const keys = newEcKeyPair();
  const notBefore = new Date(now - 60_000);
  const notAfter = new Date(now + lifetimeMs);
  const { pem } = createCertificate({
    subject,
    issuer: signer?.subject ?? subject,
    publicKey: keys.publicKey,
    signingKey: signer?.privateKey ?? keys.privateKey,
    notBefore,
    notAfter,
    isCa: true,
  });
  return { id: newId(), subject, pem, privateKey: keys.privateKey, notBefore, notAfter };
}

function rootView(r: RootRow) {
  return {
    id: r.id,
    tenant_id: r.tenant_id,
    name: r.name,
    cert_pem: r.root.pem,
    subject: subjectString(r.root.subject),
    subject_fields: r.root.subject,
    not_before: r.root.notBefore.toISOString(),
    not_after: r.root.notAfter.toISOString(),
    status: r.status,
    created_at: r.created_at,
    sandbox: false,
  };
}

function readSubject(v: ReturnType<typeof validate>): SubjectFields | undefined {
  const subject = v.object('subject', { required: true }) as SubjectFields | undefined;
  if (subject && (typeof subject.common_name !== 'string' || subject.common_name === '')) v.error('subject.common_name', 'is required');
  return subject;
}

function domainAllowed(role: RoleRow, domain: string): boolean {
  if (role.allowed_domains.length === 0) return true;
  if (domain.startsWith('*.') && !role.allow_wildcards) return false;
  const bare = domain.replace(/^\*\./, '');
  return role.allowed_domains.some((d) => bare === d || (role.allow_subdomains && bare.endsWith(`.${d}`)) || (domain.startsWith('*.') && bare === d));
}

export const pkiRoutes: RouteRegistration[] = [
  { method: 'GET', path: '/v1/pki/roots', handler: (ctx) => ok(ctx, [...roots(ctx).values()].map(rootView)) },
  {
    method: 'POST',
    path: '/v1/pki/roots',
    handler: (ctx) => {
      const v = validate(ctx.json());
      const name = v.string('name', { required: true });
      const subject = readSubject(v);
      v.done();
      for (const r of roots(ctx).values()) if (r.name === name) throw ApiError.conflict(`A CA root named "${name}" already exists`);
      const now = ctx.now();
      const root = authority(subject!, undefined, 10 * 365 * DAY, now);
      const intermediate = authority({ ...subject!, common_name: `${subject!.common_name} Intermediate` }, root, 3 * 365 * DAY, now);
      const row: RootRow = {
        id: root.id,
        tenant_id: ctx.state.account.id,
        name: name!,
        root,
        intermediate,
        status: 'active',
        created_at: ctx.nowIso(),
        roles: new Map(),
        issued: new Map(),
        revoked: [],
      };
      roots(ctx).set(row.id, row);
      ctx.state.audit('pki.root_created', 'ca_root', row.id, { name: row.name });
      return ok(ctx, { root: rootView(row), intermediate_not_after: intermediate.notAfter.toISOString() }, 201);
    },
  },
  { method: 'GET', path: '/v1/pki/roots/:name/cert', handler: (ctx) => text(rootOr404(ctx).root.pem, 'text/x-pem-file') },
  {
    method: 'POST',
    path: '/v1/pki/roots/:name/rotate-intermediate',
    handler: (ctx) => {
      const r = rootOr404(ctx);
      r.intermediate = authority(r.intermediate.subject, r.root, 3 * 365 * DAY, ctx.now());
      return ok(ctx, { intermediate_id: r.intermediate.id, not_after: r.intermediate.notAfter.toISOString() });
    },
  },
  {
    method: 'GET',
    path: '/v1/pki/roots/:name/crl',
    handler: (ctx) => {
      const r = rootOr404(ctx);
      const now = ctx.now();
      return text(
        createCrl({ issuer: r.root.subject, signingKey: r.root.privateKey, thisUpdate: new Date(now), nextUpdate: new Date(now + DAY), revoked: r.revoked }),
      );
    },
  },
  { method: 'GET', path: '/v1/pki/roots/:rootName/roles', handler: (ctx) => ok(ctx, [...rootOr404(ctx, 'rootName').roles.values()]) },
  {
    method: 'POST',
    path: '/v1/pki/roots/:rootName/roles',
    handler: (ctx) => {
      const r = rootOr404(ctx, 'rootName');
      const v = validate(ctx.json());
      const roleName = v.string('role_name', { required: true });
      const domains = v.stringArray('allowed_domains');
      const sub = v.bool('allow_subdomains');
      const wild = v.bool('allow_wildcards');
      const max = v.int('max_ttl_seconds', { min: 1 });
      const def = v.int('default_ttl_seconds', { min: 1 });
      v.done();
      const row: RoleRow = {
        id: newId(),
        ca_root_id: r.id,
        name: roleName!,
        allowed_domains: domains ?? [],
        allow_subdomains: sub ?? false,
        allow_wildcards: wild ?? false,
        max_ttl_seconds: max ?? 90 * 86_400,
        default_ttl_seconds: def ?? Math.min(30 * 86_400, max ?? 30 * 86_400),
        key_algorithm: 'ecdsa-p256',
      };
      r.roles.set(row.name, row);
      return ok(ctx, row, 201);
    },
  },
  {
    method: 'POST',
    path: '/v1/pki/roots/:rootName/issue/:role',
    handler: (ctx) => {
      const r = rootOr404(ctx, 'rootName');
      const role = r.roles.get(ctx.params['role'] ?? '');
      if (!role) throw ApiError.notFound(`PKI role "${ctx.params['role']}"`);
      const v = validate(ctx.json());
      const subject = readSubject(v);
      const sanDns = v.stringArray('san_dns') ?? [];
      const sanIp = v.stringArray('san_ip') ?? [];
      const ttl = v.int('ttl_seconds', { min: 1 });
      for (const ip of sanIp) if (isIP(ip) === 0) v.error('san_ip', `"${ip}" is not an IP address`);
      v.done();
      for (const d of [subject!.common_name!, ...sanDns]) {
        if (!domainAllowed(role, d)) throw ApiError.forbidden(`Role ${role.name} does not allow the name "${d}"`, 'domain_not_allowed');
      }
      const lifetime = Math.min(ttl ?? role.default_ttl_seconds, role.max_ttl_seconds) * 1000;
      const keys = newEcKeyPair();
      const now = ctx.now();
      const notBefore = new Date(now - 60_000);
      const notAfter = new Date(Math.min(now + lifetime, r.intermediate.notAfter.getTime()));
      const cert = createCertificate({
        subject: subject!,
        issuer: r.intermediate.subject,
        publicKey: keys.publicKey,
        signingKey: r.intermediate.privateKey,
        notBefore,
        notAfter,
        isCa: false,
        sanDns: sanDns.length ? sanDns : [subject!.common_name!],
        sanIp,
      });
      r.issued.set(cert.serialHex, { notAfter });
      return ok(ctx, {
        serial_hex: cert.serialHex,
        cert_pem: cert.pem,
        private_key_pem: privateKeyPem(keys.privateKey),
        ca_chain_pem: `${r.intermediate.pem}${r.root.pem}`,
        not_before: notBefore.toISOString(),
        not_after: notAfter.toISOString(),
      });
    },
  },
  {
    method: 'POST',
    path: '/v1/pki/roots/:rootName/revoke',
    handler: (ctx) => {
      const r = rootOr404(ctx, 'rootName');
      const v = validate(ctx.json());
      const serial = v.string('serial_hex', { required: true });
      v.string('reason');
      v.done();
      const key = serial!.toLowerCase().replace(/:/g, '');
      if (!r.issued.has(key)) return ok(ctx, { revoked: false });
      if (!r.revoked.some((x) => x.serialHex === key)) r.revoked.push({ serialHex: key, at: new Date(ctx.now()) });
      return ok(ctx, { revoked: true });
    },
  },
];

/** Issues a client certificate for an mTLS credential in issue mode (clients resource). */
export function issueClientCertificate(
  commonName: string,
  now: number,
): { certificate_pem: string; private_key_pem: string; ca_chain_pem: string; thumbprint: string } {
  const ca = authority({ common_name: 'KnoxCall Emulator Client CA' }, undefined, 365 * DAY, now);
  const keys = newEcKeyPair();
  const cert = createCertificate({
    subject: { common_name: commonName },
    issuer: ca.subject,
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 365 * DAY),
    isCa: false,
  });
  const der = Buffer.from(cert.pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return {
    certificate_pem: cert.pem,
    private_key_pem: privateKeyPem(keys.privateKey),
    ca_chain_pem: ca.pem,
    thumbprint: createHash('sha256').update(der).digest('hex'),
  };
}
