/**
 * Recognises the emulator's answer for an endpoint it does not implement (404 "No endpoint
 * METHOD PATH"), so catalogue and flow tests can SKIP, and name, a gap of the emulator rather
 * than pass or fail on it. A resource the emulator serves but cannot find is a different 404.
 */
import type { TestContext } from 'vitest';
import { isKnoxCallError } from '../src/errors.js';

export function missingEndpoint(error: unknown): string | undefined {
  if (!isKnoxCallError(error) || error.status !== 404) return undefined;
  return /^No endpoint /.test(error.message) ? error.message.replace(/^No endpoint /, '') : undefined;
}

/** Runs `body`; an emulator gap becomes `skip("emulator gap: …")` instead of a failure. */
export async function skippingEmulatorGaps(ctx: Pick<TestContext, 'skip'>, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const gap = missingEndpoint(error);
    if (gap === undefined) throw error;
    ctx.skip(`emulator gap: ${gap}`);
  }
}
