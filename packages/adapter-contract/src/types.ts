import type { KnoxCallOptions } from '@knoxcall/core';
import type { WrapFetchOutcome } from './remote/wrap-fetch-probe.js';
import type { KnoxRequestOptions, KnoxWebhookEvent, ReplayStore, WebhookHmacFormat } from '@knoxcall/core/adapter';

/** Where the contract apps mount things (every adapter uses these paths). */
export const CONTRACT_PATHS = {
  /** POST: the knoxWebhook route. */
  webhook: '/webhooks/knoxcall',
  /** GET: a handler that runs `knox.probe(view)` with the request's view and answers `{ result }`. */
  probe: '/knox/probe',
  /** POST (only with `globalJsonParser`): answers `{ body: <the parsed JSON body> }`, proving the parser ran. */
  jsonEcho: '/json-echo',
} as const;

/** A framework-neutral `on` handler: the adapter wraps it in its own handler signature. */
export type ContractEventHandler = (event: KnoxWebhookEvent) => unknown;

/**
 * A per-request secret: adapters pass the framework's secret function, calling this with a
 * case-insensitive reader of the incoming request's headers.
 */
export type ContractSecretFunction = (header: (name: string) => string | undefined) => Promise<string | readonly string[]>;

export interface ContractWebhookConfig {
  secret: string | readonly string[] | ContractSecretFunction;
  format?: WebhookHmacFormat;
  headerName?: string;
  toleranceSeconds?: number | null;
  replayStore?: ReplayStore;
  /**
   * Declarative variant of a `replayStore` that is a RedisReplayStore over a client of the
   * Redis at this address: an app in another process builds its own RedisReplayStore, with a
   * client of its runtime's TCP sockets (a live client cannot cross the process boundary).
   */
  replayStoreRedis?: { host: string; port: number };
  replayLeaseSeconds?: number;
  replayStoreTimeoutMs?: number;
  maxBodyBytes?: number;
  /**
   * When given, mount `knoxWebhook` with these handlers (it answers itself). When absent,
   * mount it without `on`, followed by the route's own handler, which must answer
   * 200 `{ received: true, handledBy: 'route', event: <event.event> }` from the attached event.
   */
  on?: Record<string, ContractEventHandler>;
}

/**
 * Per-request scope case: the view built for the request is passed to `probe`, and what it
 * returns is answered as 200 `{ result }`. A KnoxCall error thrown by `probe` goes through
 * the adapter's knoxErrorToResponse wrapper.
 */
export interface ContractKnoxConfig<Client = unknown> {
  client: Client;
  /** Adapters call it with a case-insensitive reader of the incoming request's headers. */
  requestOptions?: (header: (name: string) => string | undefined) => KnoxRequestOptions | undefined;
  probe: (knox: Client) => Promise<unknown>;
  /**
   * Declarative variants, for an app served by another process (src/remote/): the options
   * `client` was built from (that app builds its own), and `requestOptions` as data. An app
   * in another process always probes with `routes.list()` → `{ listed: boolean }`.
   */
  clientOptions?: KnoxCallOptions;
  requestHeaders?: ContractRequestHeaders;
  /**
   * Declarative variant of a `probe` made by `wrapFetchProbe(url, settled)`: an app in
   * another process probes with `wrapFetchProbe(url)` instead of `routes.list()`, and how
   * its call ended reaches `settled` here through the control server.
   */
  wrapFetch?: { url: string; settled?: (outcome: WrapFetchOutcome) => void };
}

/** `requestOptions` as data: each outgoing header is `prefix + (incoming header \`from\` ?? fallback)`. */
export type ContractRequestHeaders = Record<string, { from: string; prefix?: string; fallback: string }>;

export interface ContractAppConfig<Client = unknown> {
  webhook?: ContractWebhookConfig;
  knox?: ContractKnoxConfig<Client>;
  /**
   * Mount the framework's usual GLOBAL JSON body parser before every route, with the raw
   * body capture the adapter documents for it (Express: `express.json({ verify: rawBodySaver })`),
   * and the `jsonEcho` route.
   */
  globalJsonParser?: boolean;
}

export interface RunningApp {
  /** Base URL on 127.0.0.1, without a trailing slash. */
  url: string;
  close(): Promise<void>;
}

/** Ids of the cases an adapter may skip (with a reason) when its framework cannot express them. */
/**
 * `caller-disconnect`: the runtime serving the app never tells it that the caller went away
 * (the request's signal never aborts), so an abort on disconnect cannot be observed there.
 */
export type ContractCaseId = 'global-json-parser' | 'chunked-oversize' | 'request-scope' | 'caller-disconnect';

export interface AdapterUnderTest {
  name: string;
  /** Starts a real app listening on 127.0.0.1 with the given configuration. */
  start(config: ContractAppConfig): Promise<RunningApp>;
  /** Cases the framework cannot express, each with the reason (reported as an explicit skip). */
  skip?: Partial<Record<ContractCaseId, string>>;
  /**
   * For a framework whose native error body is not the contract's `{ error: { type, message } }`
   * (Fastify's default error handler answers `{ statusCode, code, error, message }`): returns
   * the contract's code from a webhook failure's parsed body, or undefined when the body does
   * not have the framework's shape. Absent: the contract's body is required exactly.
   */
  readErrorCode?: (body: unknown) => unknown;
}
