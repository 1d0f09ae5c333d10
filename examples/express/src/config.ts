import type { KnoxCallOptions, WebhookHmacFormat } from '@knoxcall/core';

const FORMATS: readonly WebhookHmacFormat[] = ['legacy', 'stripe', 'github', 'slack', 'aws-sns', 'custom'];

/** Everything the example reads from the environment (see README "Configuration"). */
export interface ExampleConfig {
  port: number;
  host: string;
  /** The KnoxCall route `GET /api/hello` calls (`KNOXCALL_ROUTE`). */
  route: string;
  webhook: { secret: string; format: WebhookHmacFormat; headerName?: string };
  /**
   * Options for the app's KnoxCall client. Left empty, the client reads KNOXCALL_BASE_URL,
   * KNOXCALL_PROXY_BASE_URL, KNOXCALL_API_KEY or KNOXCALL_CLIENT_ID/SECRET itself.
   */
  knoxcall: KnoxCallOptions;
}

/** True when the environment names a KnoxCall credential; otherwise `pnpm start` runs against a local emulator. */
export function hasKnoxCallCredentials(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.KNOXCALL_API_KEY || env.KNOXCALL_ACCESS_TOKEN || (env.KNOXCALL_CLIENT_ID && env.KNOXCALL_CLIENT_SECRET));
}

/** Reads the configuration; a missing or bad value is an Error naming the variable and the fix. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ExampleConfig {
  const secret = env.KNOXCALL_WEBHOOK_SECRET;
  if (!secret) {
    throw new Error('KNOXCALL_WEBHOOK_SECRET is not set: use the secret_key KnoxCall showed when the webhook was created (or rotate it to get a new one)');
  }
  const format = (env.KNOXCALL_WEBHOOK_FORMAT || 'legacy') as WebhookHmacFormat;
  if (!FORMATS.includes(format)) {
    throw new Error(`KNOXCALL_WEBHOOK_FORMAT must be one of ${FORMATS.join(', ')} (the webhook's hmac_format), got ${JSON.stringify(format)}`);
  }
  const headerName = env.KNOXCALL_WEBHOOK_HEADER || undefined;
  if (format === 'custom' && headerName === undefined) {
    throw new Error("KNOXCALL_WEBHOOK_HEADER is required with KNOXCALL_WEBHOOK_FORMAT=custom (the webhook's hmac_header_name)");
  }
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number (0 = any free port), got ${JSON.stringify(env.PORT)}`);
  }
  return {
    port,
    host: env.HOST || '127.0.0.1',
    route: env.KNOXCALL_ROUTE || 'hello',
    webhook: { secret, format, ...(headerName !== undefined ? { headerName } : {}) },
    knoxcall: {},
  };
}
