import type { Platform } from '../auth/platform.js';

interface MaybeProcess {
  process?: { env?: Record<string, string | undefined> };
}

/**
 * The Web platform (workers, edge, browsers, Deno): environment variables only where a
 * `process.env` exists (e.g. Node-compat modes), warnings once per code via console.warn.
 * No node: imports.
 */
export function createWebPlatform(): Platform {
  const warned = new Set<string>();
  return {
    runtime: 'web',
    getEnv(name) {
      const env = (globalThis as MaybeProcess).process?.env;
      const value = env?.[name];
      return typeof value === 'string' ? value : undefined;
    },
    warnOnce(code, message) {
      if (warned.has(code)) return;
      warned.add(code);
      console.warn(`[${code}] ${message}`);
    },
    nodeAuth: undefined,
  };
}

export const webPlatform: Platform = createWebPlatform();
