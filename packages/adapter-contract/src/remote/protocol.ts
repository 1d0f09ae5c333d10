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
    /** True: claim and release through the control server (`POST replay/claim`, `replay/release`). */
    replayStore: boolean;
    /** The event types with a handler; each runs in the test process (`POST on`). */
    on?: string[];
  };
  knox?: {
    clientOptions: KnoxCallOptions;
    requestHeaders?: ContractRequestHeaders;
  };
  globalJsonParser?: boolean;
}

/** The control server's paths, relative to `<control url>/apps/<id>/`. */
export const CONTROL_PATHS = {
  config: 'config',
  on: 'on',
  secret: 'secret',
  begin: 'replay/begin',
  complete: 'replay/complete',
  release: 'replay/release',
} as const;

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
      replayStore: webhook.replayStore !== undefined,
    };
    if (webhook.format !== undefined) out.webhook.format = webhook.format;
    if (webhook.headerName !== undefined) out.webhook.headerName = webhook.headerName;
    if (webhook.toleranceSeconds !== undefined) out.webhook.toleranceSeconds = webhook.toleranceSeconds;
    if (webhook.maxBodyBytes !== undefined) out.webhook.maxBodyBytes = webhook.maxBodyBytes;
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
  }
  return out;
}

/** What `requestHeaders` asks for, given the incoming request's header reader. */
export function resolveRequestHeaders(
  spec: ContractRequestHeaders,
  header: (name: string) => string | undefined,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(spec).map(([name, { from, prefix = '', fallback }]) => [name, prefix + (header(from) ?? fallback)]),
  );
}
