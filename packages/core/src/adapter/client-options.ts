import { isKnoxCall } from '../client/call-machinery.js';

/** The options of every adapter's request-scoped client (`knoxCall`, Nest's module) that are checked the same way. */
export interface ClientSourceOptions {
  client?: unknown;
  clientOptions?: unknown;
  requestOptions?: unknown;
}

/**
 * Checks an adapter's client options once, at setup, so a misconfigured app fails at boot
 * with the same message in every framework: `where` names the adapter's function, and
 * `requestArg` what its `requestOptions` receives (`req`, `request`, `c`).
 */
export function assertClientOptions(options: ClientSourceOptions | undefined, where: string, requestArg: string): asserts options is ClientSourceOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${where}: the options must be an object with \`client\` or \`clientOptions\``);
  }
  assertOneClientSource(options, where);
  if (options.client !== undefined && !isKnoxCall(options.client)) {
    throw new TypeError(`${where}: \`client\` must be a KnoxCall instance from @knoxcall/core`);
  }
  if (options.requestOptions !== undefined && typeof options.requestOptions !== 'function') {
    throw new TypeError(`${where}: \`requestOptions\` must be a function (${requestArg}) => { headers?, environment?, timeout? }`);
  }
}

/**
 * `client` or `clientOptions`, exactly one: checked once at setup so a misconfigured app
 * fails at boot.
 */
export function assertOneClientSource(options: { client?: unknown; clientOptions?: unknown } | undefined, where: string): void {
  const hasClient = options?.client !== undefined;
  const hasOptions = options?.clientOptions !== undefined;
  if (hasClient === hasOptions) {
    throw new TypeError(
      `${where}: pass exactly one of \`client\` (a KnoxCall you built; it is never closed for you) or \`clientOptions\` (the adapter builds the client and closes it on shutdown)`,
    );
  }
  if (hasClient && typeof (options.client as { withOptions?: unknown }).withOptions !== 'function') {
    throw new TypeError(`${where}: \`client\` must be a KnoxCall instance (it has no withOptions method)`);
  }
}
