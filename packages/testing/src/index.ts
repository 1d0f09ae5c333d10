export { type Emulator, startEmulator } from './emulator/server.js';
export {
  type MintSubjectTokenOptions,
  TEST_ISSUERS,
  type TestIssuerPlatform,
  mintTestSubjectToken,
  testIssuerJwks,
} from './emulator/test-issuers.js';
export type {
  EmulatorCredentials,
  EmulatorOptions,
  EmulatorSeed,
  JsonObject,
  RecordedRequest,
  ScriptStep,
  SeedApiKey,
  SeedEnvironment,
  SeedOAuthClient,
  SeedRefreshToken,
  SeedRoute,
  SeedRouteEnvironment,
  SeedSecret,
  SeedWebhook,
} from './emulator/types.js';
export { signWebhook, type SignWebhookOptions, type WebhookHmacFormat, WEBHOOK_HMAC_FORMATS, WEBHOOK_SIGNATURE_HEADERS } from './signer/index.js';
export { deliverWebhook, type DeliverWebhookOptions, type DeliverWebhookResult, type WebhookEventInput } from './deliver-webhook.js';
