import { nodeAuthSupport } from './auth-support.js';
import { dispatcherSender } from './dispatcher-sender.js';
import type { Platform } from '../auth/platform.js';
import { streamingDispatchSender } from './streaming-dispatch.js';
import { shareAttemptTimeouts } from '../transport/attempt-timeout.js';

// The Node build's attempts share one timer for their timeouts (transport/shared-deadlines.ts).
shareAttemptTimeouts();

/**
 * The Node platform: `process.env`, and warnings through `process.emitWarning` once per
 * code (codes such as KNOXCALL_INSECURE_BASE_URL, as the official Node SDK emits them).
 */
export function createNodePlatform(): Platform {
  const warned = new Set<string>();
  return {
    runtime: 'node',
    getEnv: (name) => process.env[name],
    warnOnce(code, message) {
      if (warned.has(code)) return;
      warned.add(code);
      process.emitWarning(message, { type: 'KnoxCallWarning', code });
    },
    // The credentials file and FileTokenStore: reachable from shared code only through here.
    nodeAuth: nodeAuthSupport,
    // Management attempts through undici's dispatcher while fetch is Node's own (dispatcher-sender.ts).
    directSender: dispatcherSender,
    // Data-plane attempts the same way, their Response built from the dispatch (streaming-dispatch.ts).
    streamingSender: streamingDispatchSender,
  };
}

/** Shared by every client in the process, so each warning appears once per process. */
export const nodePlatform: Platform = createNodePlatform();
