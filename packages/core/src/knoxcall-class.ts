import { KnoxCallError } from './errors.js';
import { createResources, type Resources } from './resources/index.js';
import { createWrap, type Wrap } from './wrap/wrap.js';
import { CLIENT_CONTEXT, ClientBase, INIT_VIEW, RESOURCE_REQUESTER, hasClientContext } from './client/call-machinery.js';
import type { ClientInternals, ClientRuntime, VerifySignatureParams } from './config/create-shared-state.js';
import type { KnoxCallOptions } from './config/options.js';

/**
 * The full client: `ClientBase` plus the resource properties (`routes`, `secrets`, …) and
 * `verifySignature`. Each entry point exports `class KnoxCall extends KnoxCallBase` bound
 * to its runtime, so import paths are the same everywhere.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: the merged resource members are assigned in the constructor
export class KnoxCallBase extends ClientBase {
  constructor(options: KnoxCallOptions | undefined, runtime: ClientRuntime, internals?: ClientInternals) {
    super(options, runtime, internals);
    attachResources(this);
  }

  // Views get their resource properties lazily (see the prototype getters below), so a view
  // that never touches a resource costs two small objects, not twenty.
  override [INIT_VIEW](): void {}

  /** Synchronous legacy webhook signature check; same as `verifyWebhookSignature`. */
  verifySignature(params: VerifySignatureParams): boolean {
    const verify = this[CLIENT_CONTEXT].core.runtime.verifyWebhookSignature;
    if (!verify) {
      throw new KnoxCallError('verifySignature is not available in this build; use verifyWebhookSignatureAsync');
    }
    return verify(params);
  }
}

// A function, not a #private method: views are made with Object.create and carry no private brand.
function attachResources(client: KnoxCallBase): void {
  const { runtime } = client[CLIENT_CONTEXT].core;
  const resources = {
    ...createResources(client[RESOURCE_REQUESTER](), { constructWebhookEvent: runtime.constructWebhookEvent }),
    wrap: createWrap(client),
  };
  installViewGetters(resources);
  // Plain read-only properties (contract transport §1.2); views get their own, bound to the view's defaults.
  for (const name of Object.keys(resources) as Array<keyof typeof resources>) {
    Object.defineProperty(client, name, { value: resources[name], enumerable: true, writable: false, configurable: false });
  }
}

let viewGettersInstalled = false;

/**
 * Prototype getters for every resource name: a root client shadows them with own data
 * properties at construction; a view (no own properties) builds its set on first access,
 * bound to its own defaults, and then shadows the getters the same way. Installed by the
 * first root client (every view descends from one), with that client's resource names, so
 * importing the package does not build a throwaway set of every resource just to list them.
 */
function installViewGetters(resources: Resources & { wrap: Wrap }): void {
  if (viewGettersInstalled) return;
  viewGettersInstalled = true;
  for (const name of Object.keys(resources)) {
    Object.defineProperty(KnoxCallBase.prototype, name, {
      configurable: true,
      enumerable: false,
      get(this: KnoxCallBase) {
        if (!hasClientContext(this)) return undefined; // the prototype itself
        attachResources(this);
        return (this as unknown as Record<string, unknown>)[name];
      },
    });
  }
}

// The resource properties are defined in the constructor (attachResources) for every root client, on first access for a view.
export interface KnoxCallBase extends Readonly<Resources> {
  /** Routes other SDKs' traffic through KnoxCall (`wrap.fetch()`) and manages escrowed credentials. */
  readonly wrap: Wrap;
}
