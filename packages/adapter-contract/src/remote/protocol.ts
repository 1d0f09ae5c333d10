import type { KnoxCallOptions } from '@knoxcall/core';
import type { WebhookHmacFormat } from '@knoxcall/core/adapter';
import type { ContractAppConfig, ContractRequestHeaders } from '../types.js';

/**
 * A contract app's configuration as data, for an app served by another process (Bun, Deno,
 * workerd): live objects stay in the test process, and the app calls them back through the
 * control server (see control-server.ts) at the paths below.
 */
export interface RemoteAppConfig {
  webhook?: {
    /** A function secret is resolved by the control server (`POST secret`). */
    secret: string | readonly string[] | { remote: true };
    format?: WebhookHmacFormat;
    headerName?: string;
    toleranceSeconds?: number | null;
    maxBodyBytes?: number;
    replayLeaseSeconds?: number;
    replayStoreTimeoutMs?: number;
    /**
     * `{ redis }`: a RedisReplayStore of the app's own, over a client of that address. Else a
     * replay store that runs in the test process, called through the control server, with
     * the interface the case's store has: the current one (`POST replay/begin`,
     * `replay/complete`, `replay/release`), or the earlier one (`replay/claim`,
     * `replay/release`) that start-up must refuse.
     */
    replayStore?: ReplayStoreInterface | { redis: { host: string; port: number } };
    /** The event types with a handler; each runs in the test process (`POST on`). */
    on?: string[];
  };
  knox?: {
    clientOptions: KnoxCallOptions;
    requestHeaders?: ContractRequestHeaders;
    /** Probe with `wrapFetchProbe(url)`; `settled`: report how the call ended (`POST probe/settled`). */
    wrapFetch?: { url: string; settled: boolean };
  };
  globalJsonParser?: boolean;
}

export type ReplayStoreInterface = 'begin/complete/release' | 'claim/release';

/** The control server's paths, relative to `<control url>/apps/<id>/`. */
export const CONTROL_PATHS = {
  config: 'config',
  on: 'on',
  secret: 'secret',
  begin: 'replay/begin',
  claim: 'replay/claim',
  complete: 'replay/complete',
  release: 'replay/release',
  probeSettled: 'probe/settled',
} as const;

/**
 * The webhook options whose value is data and crosses as it is. Every other field must be
 * handled in `describeAppConfig` explicitly: one silently dropped left the remote app on a
 * default (its replay store deadline at 2000 ms instead of the case's 200 ms).
 */
const PLAIN_WEBHOOK_FIELDS = ['format', 'headerName', 'toleranceSeconds', 'maxBodyBytes', 'replayLeaseSeconds', 'replayStoreTimeoutMs'] as const;
const DESCRIBED_WEBHOOK_FIELDS: readonly string[] = [...PLAIN_WEBHOOK_FIELDS, 'secret', 'replayStore', 'replayStoreRedis', 'on'];

/**
 * The data form of `config`. A live hook without its declarative variant cannot cross a
 * process boundary: that is an error naming the field to add.
 */
export function describeAppConfig(config: ContractAppConfig): RemoteAppConfig {
  const out: RemoteAppConfig = {};
  if (config.globalJsonParser) out.globalJsonParser = true;
  const { webhook, knox } = config;
  if (webhook !== undefined) {
    out.webhook = {
      secret: typeof webhook.secret === 'function' ? { remote: true } : webhook.secret,
    };
    if (webhook.replayStoreRedis !== undefined) out.webhook.replayStore = { redis: webhook.replayStoreRedis };
    else if (webhook.replayStore !== undefined) out.webhook.replayStore = replayStoreInterface(webhook.replayStore);
    for (const field of Object.keys(webhook)) {
      if (!DESCRIBED_WEBHOOK_FIELDS.includes(field)) {
        throw new Error(`\`webhook.${field}\` has no remote form: describe it in describeAppConfig (src/remote/protocol.ts) and apply it in the remote app`);
      }
    }
    for (const field of PLAIN_WEBHOOK_FIELDS) {
      if (webhook[field] !== undefined) Object.assign(out.webhook, { [field]: webhook[field] });
    }
    if (webhook.on !== undefined) out.webhook.on = Object.keys(webhook.on);
  }
  if (knox !== undefined) {
    if (knox.clientOptions === undefined) {
      throw new Error('an app in another process builds its own client: give the case `knox.clientOptions` beside `knox.client`');
    }
    if (knox.requestOptions !== undefined && knox.requestHeaders === undefined) {
      throw new Error('`knox.requestOptions` is a synchronous function of the request: give the case its declarative `knox.requestHeaders` too');
    }
    out.knox = { clientOptions: knox.clientOptions };
    if (knox.requestHeaders !== undefined) out.knox.requestHeaders = knox.requestHeaders;
    if (knox.wrapFetch !== undefined) out.knox.wrapFetch = { url: knox.wrapFetch.url, settled: knox.wrapFetch.settled !== undefined };
  }
  return out;
}

function replayStoreInterface(store: object): ReplayStoreInterface {
  const has = (name: string) => typeof (store as Record<string, unknown>)[name] === 'function';
  if (has('begin')) return 'begin/complete/release';
  if (has('claim')) return 'claim/release';
  throw new Error('`webhook.replayStore` has neither begin() nor claim(): it has no remote form');
}

/** What `requestHeaders` asks for, given the incoming request's header reader. */
export function resolveRequestHeaders(spec: ContractRequestHeaders, header: (name: string) => string | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(spec).map(([name, { from, prefix = '', fallback }]) => [name, prefix + (header(from) ?? fallback)]));
}
