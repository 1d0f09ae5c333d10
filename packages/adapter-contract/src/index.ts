import { describe } from 'vitest';
import { requestScopeCases } from './request-scope-cases.js';
import type { AdapterUnderTest } from './types.js';
import { webhookCases } from './webhook-cases.js';
import { deliveryGuaranteeCases } from './delivery-guarantee-cases.js';
import { consistencyCases } from './consistency-cases.js';
import { wrapScopeCases } from './wrap-scope-cases.js';

export { CUSTOM_HEADER, SECRET, envelopeBody, post, postRaw, readAnswer, signedDelivery } from './deliveries.js';
export { type EmulatorClient, startEmulatorClient } from './emulator-client.js';
export { ERROR_STATUS_CASES, type ErrorStatusCase, scriptRoutesFailure } from './error-status-cases.js';
export { RecordingReplayStore } from './recording-replay-store.js';
export { type ControlServer, startControlServer } from './remote/control-server.js';
export { CONTROL_PATHS, describeAppConfig, type RemoteAppConfig, resolveRequestHeaders } from './remote/protocol.js';
export { remoteAdapter } from './remote/remote-adapter.js';
export { type WrapFetchOutcome, wrapFetchProbe } from './remote/wrap-fetch-probe.js';
export {
  type AdapterUnderTest,
  CONTRACT_PATHS,
  type ContractAppConfig,
  type ContractCaseId,
  type ContractEventHandler,
  type ContractKnoxConfig,
  type ContractRequestHeaders,
  type ContractSecretFunction,
  type ContractWebhookConfig,
  type RunningApp,
} from './types.js';

/**
 * Registers the adapter contract cases (vitest `describe`/`it`) for one adapter. Every case
 * talks to a real app over HTTP with `fetch`; `adapter.start(config)` builds that app.
 */
export function runAdapterContract(adapter: AdapterUnderTest): void {
  describe(`adapter contract: ${adapter.name}`, () => {
    describe('webhooks', () => webhookCases(adapter));
    describe('webhook delivery guarantees', () => deliveryGuaranteeCases(adapter));
    describe('webhook consistency and start-up checks', () => consistencyCases(adapter));
    describe('request-scoped client', () => requestScopeCases(adapter));
    describe('request-scoped wrap.fetch()', () => wrapScopeCases(adapter));
  });
}
