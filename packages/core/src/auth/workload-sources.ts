/**
 * The workload-identity sources of auto-detection slots 3–9 (contract auth §1.3, §8.1), in
 * the contract's order: GitHub Actions, GCP metadata, AWS IRSA/EKS, Azure managed identity,
 * Vercel, CircleCI, Buildkite. Each returns the platform's OIDC ID token for audience
 * `knoxcall:api`, or undefined; any error skips the source. Universal: environment, fetch
 * and (Node only) a file reader come from the caller.
 */
import { OidcTokenExchange } from './bootstraps.js';
import { probeGet } from './workload-http-probe.js';

/** The management audience every source asks its platform for. */
export const MANAGEMENT_AUDIENCE = 'knoxcall:api';

export interface WorkloadProbeContext {
  /** Non-empty environment values only (empty counts as unset). */
  env(name: string): string | undefined;
  fetch: typeof fetch;
  /** Node only; absent where there is no filesystem (the AWS source is then skipped). */
  readTextFile?: ((path: string) => Promise<string>) | undefined;
}

export interface WorkloadSource {
  /** Human name used in messages ("GitHub Actions"). */
  readonly platform: string;
  /** The issuer label the bootstrap carries (never sent). */
  readonly issuer: string;
  subjectToken(ctx: WorkloadProbeContext): Promise<string | undefined>;
}

const nonEmpty = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
};

function jsonMember(text: string, name: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    return nonEmpty((parsed as Record<string, unknown>)[name]);
  } catch {
    return undefined;
  }
}

const is2xx = (status: number) => status >= 200 && status < 300;

/** GETs a platform identity endpoint; the named JSON member of an accepted answer. */
async function probeJsonMember(
  ctx: WorkloadProbeContext,
  url: string,
  headers: Record<string, string>,
  member: string,
  accept: (status: number) => boolean,
): Promise<string | undefined> {
  const response = await probeGet(ctx.fetch, url, headers);
  return response && accept(response.status) ? jsonMember(response.text, member) : undefined;
}

/**
 * The GCP metadata origin. `GCE_METADATA_HOST` is the variable Google's own client libraries
 * read (host, optionally with a port); it lets tests and sidecars serve the metadata locally.
 */
export function gcpMetadataOrigin(env: (name: string) => string | undefined): string {
  const host = env('GCE_METADATA_HOST') ?? 'metadata.google.internal';
  return /^https?:\/\//i.test(host) ? host.replace(/\/+$/, '') : `http://${host}`;
}

const envToken = (platform: string, issuer: string, variable: string): WorkloadSource => ({
  platform,
  issuer,
  subjectToken: async (ctx) => ctx.env(variable),
});

export const WORKLOAD_SOURCES: readonly WorkloadSource[] = [
  {
    platform: 'GitHub Actions',
    issuer: 'https://token.actions.githubusercontent.com',
    async subjectToken(ctx) {
      const url = ctx.env('ACTIONS_ID_TOKEN_REQUEST_URL');
      const requestToken = ctx.env('ACTIONS_ID_TOKEN_REQUEST_TOKEN');
      if (url === undefined || requestToken === undefined) return undefined;
      // Appended as a plain string, as the official SDKs do (the URL already has a query).
      const headers = { authorization: `Bearer ${requestToken}`, 'user-agent': 'knoxcall-sdk' };
      return probeJsonMember(ctx, `${url}&audience=${MANAGEMENT_AUDIENCE}`, headers, 'value', (status) => status === 200);
    },
  },
  {
    platform: 'GCP',
    issuer: 'https://accounts.google.com',
    async subjectToken(ctx) {
      const origin = gcpMetadataOrigin(ctx.env);
      const url = `${origin}/computeMetadata/v1/instance/service-accounts/default/identity?audience=${MANAGEMENT_AUDIENCE}`;
      const response = await probeGet(ctx.fetch, url, { 'metadata-flavor': 'Google' });
      return response && is2xx(response.status) ? nonEmpty(response.text) : undefined;
    },
  },
  {
    platform: 'AWS',
    issuer: 'https://sts.amazonaws.com',
    async subjectToken(ctx) {
      const path = ctx.env('AWS_WEB_IDENTITY_TOKEN_FILE');
      if (path === undefined || !ctx.readTextFile) return undefined;
      return nonEmpty(await ctx.readTextFile(path));
    },
  },
  {
    platform: 'Azure',
    issuer: 'https://login.microsoftonline.com',
    async subjectToken(ctx) {
      const endpoint = ctx.env('IDENTITY_ENDPOINT');
      const header = ctx.env('IDENTITY_HEADER');
      if (endpoint === undefined || header === undefined) return undefined;
      const url = `${endpoint}?api-version=2019-08-01&resource=${MANAGEMENT_AUDIENCE}`;
      return probeJsonMember(ctx, url, { 'x-identity-header': header }, 'access_token', is2xx);
    },
  },
  envToken('Vercel', 'https://oidc.vercel.com', 'VERCEL_OIDC_TOKEN'),
  envToken('CircleCI', 'https://oidc.circleci.com', 'CIRCLE_OIDC_TOKEN_V2'),
  envToken('Buildkite', 'https://agent.buildkite.com', 'BUILDKITE_OIDC_TOKEN'),
];

/** The first source that yields a token, as a bootstrap; undefined when none does. */
export async function detectWorkloadIdentity(ctx: WorkloadProbeContext): Promise<OidcTokenExchange | undefined> {
  for (const source of WORKLOAD_SOURCES) {
    let token: string | undefined;
    try {
      token = await source.subjectToken(ctx);
    } catch {
      // Every probe swallows its own errors and the chain continues (contract auth §1.3).
      token = undefined;
    }
    if (token !== undefined) return new OidcTokenExchange({ subjectToken: token, issuer: source.issuer });
  }
  return undefined;
}

/** "GitHub Actions" for a known issuer label, else the label itself (or a generic name). */
export function workloadPlatformName(issuer: string | undefined): string {
  const known = WORKLOAD_SOURCES.find((source) => source.issuer === issuer);
  if (known) return known.platform;
  return issuer ? `issuer ${issuer}` : 'the OIDC provider';
}
