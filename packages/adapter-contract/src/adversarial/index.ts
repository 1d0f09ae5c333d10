import { describe } from 'vitest';
import type { AdapterUnderTest } from '../types.js';
import { type MutationRunOptions, mutationCases } from './mutation-cases.js';
import { requestScopeAdversarialCases } from './request-scope-cases.js';
import { streamCases } from './stream-cases.js';

export type { MutationRunOptions } from './mutation-cases.js';
export { type SoakOptions, runSoak } from './soak.js';

/**
 * Registers the adversarial cases for one adapter — mutated deliveries, slow and lying bodies,
 * hostile headers for the request-scoped client — seeded, bounded and run in CI. Everything
 * goes over raw sockets to a real app on 127.0.0.1 (`adapter.start`).
 */
export function runAdversarialSuite(adapter: AdapterUnderTest, options: MutationRunOptions = {}): void {
  describe(`adversarial: ${adapter.name}`, () => {
    mutationCases(adapter, options);
    streamCases(adapter);
    requestScopeAdversarialCases(adapter);
  });
}
