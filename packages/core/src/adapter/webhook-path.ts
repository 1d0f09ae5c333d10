/**
 * The `path` option of middleware that apps mount globally (`app.use(knoxWebhook({ path }))`
 * in Express and Hono): only a POST to one of the exact paths is a delivery; everything else
 * passes through untouched, at the cost of one Set lookup.
 */
export type WebhookPathOption = string | readonly string[];

/** Returns whether a request is a delivery, or undefined when no `path` was given (verify everything). */
export function webhookRequestMatcher(path: unknown, where: string): ((method: string, pathname: string) => boolean) | undefined {
  if (path === undefined) return undefined;
  const list = typeof path === 'string' ? [path] : path;
  if (!Array.isArray(list) || list.length === 0 || !list.every((p) => typeof p === 'string' && p.startsWith('/'))) {
    throw new TypeError(`${where}: \`path\` must be an absolute path like '/webhooks/knoxcall', or a non-empty list of them`);
  }
  const paths = new Set<string>(list as string[]);
  return (method, pathname) => method === 'POST' && paths.has(pathname);
}

/** The path of a request target (`/a/b?x=1` → `/a/b`). */
export function pathnameOf(target: string): string {
  const query = target.indexOf('?');
  return query === -1 ? target : target.slice(0, query);
}
