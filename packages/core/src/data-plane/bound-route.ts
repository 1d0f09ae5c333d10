import { mergeHeaderBags, toHeaderBag } from '../http/headers.js';
import type { CallOptions } from './call.js';

/** Defaults a bound route applies to each of its calls (contract transport §8.8). */
export interface BoundRouteDefaults {
  environment?: string | undefined;
  headers?: Readonly<Record<string, string | undefined>> | undefined;
  /** Per-attempt timeout in ms. */
  timeout?: number | undefined;
}

/** `CallOptions` without `method` and `path`, which the bound methods take positionally. */
export type BoundCallOptions = Omit<CallOptions, 'method' | 'path'>;

interface Caller {
  call(route: string, opts?: CallOptions): Promise<Response>;
}

/**
 * A route handle: holds only the client, the route and its defaults (never a token), and
 * delegates to `client.call()`, so retries, re-mint and the /api rule behave the same.
 */
export class BoundRoute {
  readonly route: string;
  readonly #client: Caller;
  readonly #defaults: BoundRouteDefaults;

  constructor(client: Caller, route: string, defaults: BoundRouteDefaults = {}) {
    this.#client = client;
    this.route = route;
    this.#defaults = { ...defaults };
  }

  /** Headers merge case-insensitively, per-call winning; environment and timeout: per-call › bound › client. */
  request(method: string, path = '/', opts: BoundCallOptions = {}): Promise<Response> {
    const bound = this.#defaults;
    const environment = opts.environment !== undefined && opts.environment !== '' ? opts.environment : bound.environment;
    return this.#client.call(this.route, {
      ...opts,
      method,
      path,
      headers: mergeHeaderBags(toHeaderBag(bound.headers), toHeaderBag(opts.headers)),
      environment,
      timeout: opts.timeout ?? bound.timeout,
    });
  }

  get(path = '/', opts?: BoundCallOptions): Promise<Response> {
    return this.request('GET', path, opts);
  }

  post(path = '/', opts?: BoundCallOptions): Promise<Response> {
    return this.request('POST', path, opts);
  }

  put(path = '/', opts?: BoundCallOptions): Promise<Response> {
    return this.request('PUT', path, opts);
  }

  patch(path = '/', opts?: BoundCallOptions): Promise<Response> {
    return this.request('PATCH', path, opts);
  }

  delete(path = '/', opts?: BoundCallOptions): Promise<Response> {
    return this.request('DELETE', path, opts);
  }
}
