import { KnoxCallError } from '../errors.js';
import { EgressObservationReporter, type EgressObservationReporterOptions } from './egress/reporter.js';
import { flagIsOff } from './kill-switch.js';
import type { WrapFetchOptions } from './options.js';
import { wrapNodeSupport } from './node-support.js';
import type { InterceptManifest } from './types.js';
import { type HostSettings, type WrapContext, WrapRouter } from './wrap-router.js';

export type InterceptStack = 'fetch' | 'http';

export interface InterceptOptions extends WrapFetchOptions {
  /**
   * Hosts KnoxCall carries even without a manifest route (through the ephemeral proxy), as a
   * list or with per-host settings. Other hosts go direct unless a manifest route covers them.
   */
  hosts?: readonly string[] | Readonly<Record<string, HostSettings>> | undefined;
  /** Default: both in the Node build; the Web build has `fetch` only. */
  stacks?: readonly InterceptStack[] | undefined;
  /** Only requests made inside `wrap.routed(fn)` are routed; the rest go direct. */
  requireContext?: boolean | undefined;
}

export interface InterceptHandle {
  /** False once `uninstall()` ran. */
  readonly installed: boolean;
  readonly stacks: readonly InterceptStack[];
  readonly ready: Promise<void>;
  /** Restores the original global fetch and node:http/https functions; flushes pending observations. */
  uninstall(): void;
  refresh(): Promise<void>;
  manifest(): InterceptManifest | undefined;
}

// Shared by every copy of the package in the process: two intercepts must not stack.
const ACTIVE: unique symbol = Symbol.for('knoxcall.wrap.activeIntercept') as never;
type Global = { [ACTIVE]?: InterceptHandle | undefined; fetch: typeof fetch };

function hostSettingsOf(hosts: InterceptOptions['hosts']): Map<string, HostSettings> {
  const out = new Map<string, HostSettings>();
  if (hosts === undefined) return out;
  if (Array.isArray(hosts)) for (const h of hosts as readonly string[]) out.set(h.toLowerCase(), {});
  else for (const [h, settings] of Object.entries(hosts as Record<string, HostSettings>)) out.set(h.toLowerCase(), settings ?? {});
  return out;
}

/**
 * Patches the process's global fetch (and node:http/https in the Node build) so requests to
 * listed hosts and manifest routes go through KnoxCall. One at a time per process.
 */
export function installIntercept(ctx: WrapContext, options: InterceptOptions, report: EgressObservationReporterOptions['report']): InterceptHandle {
  const g = globalThis as unknown as Global;
  if (g[ACTIVE]?.installed === true) {
    throw new KnoxCallError('wrap.intercept(): an intercept is already installed in this process; call uninstall() on it first (intercepts do not stack)');
  }
  const support = wrapNodeSupport();
  const stacks: readonly InterceptStack[] = options.stacks ?? (support !== undefined ? ['fetch', 'http'] : ['fetch']);
  for (const stack of stacks) {
    if (stack !== 'fetch' && stack !== 'http') throw new KnoxCallError(`wrap.intercept(): unknown stack ${JSON.stringify(stack)}; use "fetch" or "http"`);
  }
  if (stacks.includes('http') && support === undefined) {
    throw new KnoxCallError('wrap.intercept(): the "http" stack (node:http/https) exists only in the Node build; use stacks: ["fetch"]');
  }
  if (options.requireContext === true && support === undefined) {
    throw new KnoxCallError('wrap.intercept(): requireContext needs AsyncLocalStorage, which only the Node build provides');
  }
  const settings = hostSettingsOf(options.hosts);
  for (const [host, s] of settings) {
    if (s.unavailable === 'direct' && (s.credential ?? options.credential) !== undefined) {
      throw new KnoxCallError(`wrap.intercept(): unavailable: "direct" for ${host} works only in transit mode (no credential)`);
    }
  }
  const original = g.fetch;
  const observe = options.observeUncovered !== false && !flagIsOff(ctx.platform.getEnv('KNOXCALL_OBSERVE_UNCOVERED'));
  const reporter = observe ? new EgressObservationReporter({ report, onFlush: options.onObservationFlush }) : undefined;
  const router = new WrapRouter(
    ctx,
    { ...options, directFetch: options.directFetch ?? original },
    {
      routesDefault: 'auto',
      isListed: (host) => settings.has(host),
      hostSettings: (host) => settings.get(host),
      inContext: options.requireContext === true ? () => support!.routedContext.inside() : undefined,
      onUnlisted: reporter === undefined ? undefined : (url, method, headers) => reporter.record(url, method, headers),
    },
  );

  let installed = true;
  const restores: Array<() => void> = [];
  if (stacks.includes('fetch')) {
    const patchedFetch = ((input: string | URL | Request, init?: RequestInit) =>
      installed ? router.send(input, init) : original(input, init)) as typeof fetch;
    g.fetch = patchedFetch;
    // Someone may have patched fetch over ours since; then only ours is switched off (it passes through).
    restores.push(() => {
      if (g.fetch === patchedFetch) g.fetch = original;
    });
  }
  if (stacks.includes('http')) {
    restores.push(
      support!.httpStack.install({
        takes: (url, method, headers) => installed && router.takes(url, method, headers),
        send: (url, init) => router.send(url, init),
      }),
    );
  }

  const handle: InterceptHandle = {
    get installed() {
      return installed;
    },
    stacks,
    get ready() {
      return router.ready;
    },
    uninstall() {
      if (!installed) return;
      installed = false;
      for (const restore of restores.reverse()) restore();
      router.stop();
      if (reporter !== undefined) void reporter.flush().then(() => reporter.stop());
      if (g[ACTIVE] === handle) g[ACTIVE] = undefined;
    },
    refresh: () => router.refresh(),
    manifest: () => router.manifest(),
  };
  g[ACTIVE] = handle;
  return handle;
}
