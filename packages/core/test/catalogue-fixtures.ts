/**
 * Fixture factories for the catalogue conformance rows: each creates one resource through the
 * client under test (its requests are made before the row's own call and are not checked).
 */
import type { CatalogueClient } from './catalogue-row.js';

let counter = 0;
/** A name no other row uses in this emulator run. */
export function uniq(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${Date.now().toString(36)}`;
}

export const TARGET = 'https://upstream.example.com';
/** Webhook deliveries (`webhooks.test`) may only ever go to 127.0.0.1. */
export const HOOK_URL = 'http://127.0.0.1:9/hook';

/** A self-signed P-256 certificate (generated once with openssl; only its shape matters). */
export const TEST_CERT_PEM = `-----BEGIN CERTIFICATE-----
MIIBhjCCAS2gAwIBAgIUXWQzS1LU5qwRE6Bg2uOTfQO6TjkwCgYIKoZIzj0EAwIw
GTEXMBUGA1UEAwwOY2F0YWxvZ3VlLXRlc3QwHhcNMjYxMTI4MTI0ODE0WhcNMzYx
MTI1MTI0ODE0WjAZMRcwFQYDVQQDDA5jYXRhbG9ndWUtdGVzdDBZMBMGByqGSM49
AgEGCCqGSM49AwEHA0IABOJIVml4YoAQBN6fhHJlra4WwYNUcO/Ohvv7BVTLvU4Z
TACUQTFgY0W3k+23a0dLvY7NW5wI3NomqxpLvEY7ZSCjUzBRMB0GA1UdDgQWBBSW
d6ZTiYfxs4CJKXlAHI4rcphjxjAfBgNVHSMEGDAWgBSWd6ZTiYfxs4CJKXlAHI4r
cphjxjAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0cAMEQCIGLbNgI1HpDP
kbVdehw+Xp0m9ILD5gwQ8pSzjlqAMuyBAiB84xC6mhtLCni3XIYqpc2/qs6oXQeH
vz6xHVrr6RAABA==
-----END CERTIFICATE-----
`;

export async function newRoute(c: CatalogueClient): Promise<string> {
  return (await c.routes.create({ name: uniq('route'), target_base_url: TARGET })).id;
}

export async function newSecret(c: CatalogueClient): Promise<string> {
  return (await c.secrets.create({ name: uniq('secret'), value: 'v1' })).id;
}

export async function newWebhook(c: CatalogueClient): Promise<string> {
  return (await c.webhooks.create({ name: uniq('hook'), url: HOOK_URL, event_types: ['request.completed'] })).id;
}

export async function newClient(c: CatalogueClient): Promise<string> {
  return (await c.clients.create({ name: uniq('client'), ip_address: '10.1.2.3' })).id;
}

export async function newCryptoKey(c: CatalogueClient, mode: 'encrypt' | 'sign' | 'hmac' = 'encrypt', keyType?: string): Promise<string> {
  const name = uniq(`key-${mode}`);
  await c.crypto.createKey(keyType === undefined ? { name, mode } : { name, mode, key_type: keyType });
  return name;
}

export async function newVault(c: CatalogueClient): Promise<string> {
  const name = uniq('vault');
  await c.vaults.create({ name });
  return name;
}

export async function newPkiRoot(c: CatalogueClient): Promise<string> {
  const name = uniq('root');
  await c.pki.createRoot({ name, subject: { common_name: `${name} CA` } });
  return name;
}

export async function newDbConnection(c: CatalogueClient): Promise<string> {
  const name = uniq('db');
  await c.dynamicDb.create({ name, engine: 'postgres', host: '127.0.0.1', port: 5432, admin_username: 'admin', admin_password: 'pw' });
  return name;
}

export async function newDbRole(c: CatalogueClient, connection: string): Promise<string> {
  const name = uniq('dbrole');
  await c.dynamicDb.createRole(connection, { name, template: 'postgres_readonly' });
  return name;
}
