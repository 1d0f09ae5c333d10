/**
 * The resource-definition mechanism ("resources are data, not code", ARCHITECTURE.md).
 *
 * A resource is a factory that takes the bound `Endpoints` and returns an object of
 * one-line methods. Each method names its HTTP shape with one helper, its path with the
 * `path` tag (every `${placeholder}` becomes exactly one percent-encoded segment; integers
 * render as decimal), its body with `fields(input)` (only given members; `{}` when none)
 * or `NO_BODY`, and its return type as the helper's type argument:
 *
 *   export interface ThingsResource {
 *     list(params?: ListThingsParams, opts?: RequestOptions): Promise<Page<Thing>>;
 *     iterate(params?: ListThingsParams, opts?: RequestOptions): AsyncIterableIterator<Thing>;
 *     get(id: string, opts?: RequestOptions): Promise<Thing>;
 *     update(id: string, input: UpdateThingInput, opts?: RequestOptions): Promise<Thing>;
 *     delete(id: string, opts?: RequestOptions): Promise<DeleteResult>;
 *   }
 *   export function createThings(api: Endpoints): ThingsResource {
 *     return {
 *       list: (params, opts) => api.listPage('/v1/things', params, opts),
 *       iterate: (params, opts) => api.iteratePage('/v1/things', params, opts),
 *       get: (id, opts) => api.getOne(path`/v1/things/${id}`, undefined, opts),
 *       update: (id, input, opts) => api.mutate('PATCH', path`/v1/things/${id}`, fields(input), opts),
 *       delete: (id, opts) => api.mutate('DELETE', path`/v1/things/${id}`, NO_BODY, opts),
 *     };
 *   }
 *
 * The interface is the public, documented type (return types are inferred into the helpers
 * from it); then add the factory to `createResources` (core) or `createExtendedResources`.
 * Helpers: `getOne` (T), `plainArray` (T[]), `listPage` (Page<T>), `iteratePage`
 * (AsyncIterableIterator<T>), `listCursor` (CursorPage<T>), `iterateCursor`, `rawText`
 * (string), `mutate` (unwrapped T), `envelope` (the parsed body, not unwrapped). Every method
 * ends with `opts?: RequestOptions` (`{ idempotencyKey?, signal? }`) and passes it through.
 * `routes.ts` is the worked example.
 */
export { bindEndpoints, type Endpoints, type MutatingMethod, type QueryParams } from './endpoints.js';
export { path, renderPath, ResourcePath, type PathLike, type PathValue } from './path.js';
export type { RequestOptions } from './request-options.js';
export { fields, fieldsWithDefaults, NO_BODY, type WireBody } from './wire-body.js';
