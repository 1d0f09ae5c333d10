/**
 * Injection tokens are process-wide symbols (`Symbol.for`), never classes: when both the ESM
 * and the CJS build of this package are loaded in one process, a class token from one build
 * would not match the provider registered by the other, while `Symbol.for` yields the same
 * symbol everywhere.
 */

/** The shared `KnoxCall` client: `@Inject(KNOXCALL_CLIENT)` or `@InjectKnoxCall()`. */
export const KNOXCALL_CLIENT: unique symbol = Symbol.for('knoxcall.nest.client') as never;

/** The options given to `KnoxCallModule.forRoot(...)` / returned by the `forRootAsync` factory. */
export const KNOXCALL_MODULE_OPTIONS: unique symbol = Symbol.for('knoxcall.nest.moduleOptions') as never;

/**
 * A REQUEST-scoped provider: the incoming request's KnoxCall view (forwarded tracing headers
 * plus `requestOptions(req)`). Injecting it makes the consumer request-scoped too, as any
 * REQUEST-scoped provider does; `@Knox()` and `getKnox()` give the same view without that.
 */
export const KNOXCALL_REQUEST_CLIENT: unique symbol = Symbol.for('knoxcall.nest.requestClient') as never;

/** @internal The client plus whether the module built it (and so must close it). */
export const KNOXCALL_CLIENT_HOLDER: unique symbol = Symbol.for('knoxcall.nest.clientHolder') as never;

/** @internal The discovered `@OnKnoxEvent` handlers, fed by the module's webhook controller. */
export const KNOXCALL_EVENT_REGISTRY: unique symbol = Symbol.for('knoxcall.nest.eventRegistry') as never;
