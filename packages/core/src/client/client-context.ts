import type { ViewDefaults } from '../config/call-defaults.js';
import type { ClientCore } from '../config/shared-state.js';
import { type AdapterWithOptions, viewDefaults } from './view-defaults.js';

/**
 * @internal Where a lazy view's options come from (see `LAZY_VIEW`): an adapter's own
 * per-request state, which exists anyway, so deferring the view's defaults allocates
 * nothing extra.
 */
export interface LazyViewSource {
  /**
   * The `environment` the view's options will carry (undefined: the parent's). Known when
   * the view is made, because the view's public `environment` field shows it from the start.
   */
  readonly viewEnvironment: string | undefined;
  /**
   * The view's `withOptions(...)` options. Called at most once per view, when its defaults
   * are first needed (its first call, or a view made of it); must return the
   * `viewEnvironment` above as its `environment`.
   */
  viewOptions(): AdapterWithOptions;
}

/**
 * @internal What a client or view holds: the shared core and its own call defaults. A root client's
 * and a `withOptions` view's defaults are there from the start; a lazy view's are made from
 * its source on first read. Adapters make a view for every request their handler takes one
 * for, and most of those views never send a call: reading the forwarded headers, copying
 * them, the defaults object and the disconnect-signal closure were most of what such a view
 * cost per request (instruction counts of the Nest bench), and are now paid by views that
 * are used. One class for every context, so the calls' reads of `defaults` stay
 * monomorphic.
 */
export class ClientContext {
  #defaults: ViewDefaults | undefined;
  #parent: ClientContext | undefined;
  #source: LazyViewSource | undefined;

  private constructor(
    readonly core: ClientCore,
    readonly isView: boolean,
    defaults: ViewDefaults | undefined,
    parent: ClientContext | undefined,
    source: LazyViewSource | undefined,
  ) {
    this.#defaults = defaults;
    this.#parent = parent;
    this.#source = source;
  }

  /** A root client's or a `withOptions` view's context: its defaults are final. */
  static settled(core: ClientCore, isView: boolean, defaults: ViewDefaults): ClientContext {
    return new ClientContext(core, isView, defaults, undefined, undefined);
  }

  /** A lazy view's context: its defaults are `parent`'s with `source`'s options on top, made on first read. */
  static deferred(parent: ClientContext, source: LazyViewSource): ClientContext {
    return new ClientContext(parent.core, true, undefined, parent, source);
  }

  get defaults(): ViewDefaults {
    const settled = this.#defaults;
    if (settled !== undefined) return settled;
    // Only a deferred context gets here, once: afterwards the source and parent are let go.
    const made = viewDefaults((this.#parent as ClientContext).defaults, (this.#source as LazyViewSource).viewOptions());
    this.#defaults = made;
    this.#parent = undefined;
    this.#source = undefined;
    return made;
  }
}
