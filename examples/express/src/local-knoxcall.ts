/**
 * Development only: when no KnoxCall credentials are configured, `pnpm start` runs the
 * example against the KnoxCall emulator from @knoxcall/testing, seeded with a route to a
 * small upstream on 127.0.0.1 whose API key only the emulator holds. Not needed (and not
 * loaded) when you point the app at the real KnoxCall.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KnoxCallOptions, WebhookHmacFormat } from '@knoxcall/core';
import { type Emulator, startEmulator } from '@knoxcall/testing';

export interface LocalKnoxCall {
  knoxcall: KnoxCallOptions;
  route: string;
  webhookSecret: string;
  emulator: Emulator;
  /** Points the seeded webhook at the running app. */
  subscribe(appUrl: string): Promise<void>;
  close(): Promise<void>;
}

export async function startLocalKnoxCall(route: string, webhook: { format: WebhookHmacFormat; headerName?: string }): Promise<LocalKnoxCall> {
  const upstreamKey = `sk_local_${randomBytes(12).toString('hex')}`;
  const webhookSecret = `whsec_local_${randomBytes(18).toString('hex')}`;
  const upstream = await startUpstream(upstreamKey);
  const webhookId = randomUUID();
  const emulator = await startEmulator({
    seed: {
      secrets: [{ name: 'upstream_api_key', value: upstreamKey }],
      routes: [
        {
          name: 'Local upstream',
          slug: route,
          target_base_url: upstream.url,
          inject_headers_json: { Authorization: 'Bearer {{secret:upstream_api_key}}' },
        },
      ],
      webhooks: [
        // Its URL is set once the app listens (subscribe()).
        {
          id: webhookId,
          name: 'example app',
          url: 'http://127.0.0.1:9/',
          event_types: ['request.completed'],
          secret_key: webhookSecret,
          hmac_format: webhook.format,
          ...(webhook.headerName !== undefined ? { hmac_header_name: webhook.headerName } : {}),
          enabled: false,
        },
      ],
    },
  });
  const knoxcall: KnoxCallOptions = {
    baseUrl: emulator.url,
    proxyBaseUrl: emulator.proxyUrl,
    clientId: emulator.credentials.clientId,
    clientSecret: emulator.credentials.clientSecret,
  };
  return {
    knoxcall,
    route,
    webhookSecret,
    emulator,
    async subscribe(appUrl) {
      const res = await fetch(`${emulator.url}/v1/webhooks/${webhookId}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${emulator.credentials.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: `${appUrl}/webhooks/knoxcall`, enabled: true }),
      });
      if (!res.ok) throw new Error(`could not point the emulator's webhook at ${appUrl}: HTTP ${res.status}`);
    },
    async close() {
      await emulator.close();
      upstream.server.closeAllConnections();
      await new Promise((resolve) => upstream.server.close(resolve));
    },
  };
}

/** The upstream API: answers whether the request carried its key (it never echoes the key). */
async function startUpstream(apiKey: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ message: 'hello from the upstream', authorized: req.headers.authorization === `Bearer ${apiKey}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
