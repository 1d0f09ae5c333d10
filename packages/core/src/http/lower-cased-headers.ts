/**
 * A header record whose names are lower case by construction: code that writes only
 * lower-case names builds one (the adapters' forwarded `traceparent` / `x-request-id`), and
 * `withOptions` then makes the view's header bag with one plain copy instead of
 * lower-casing every name again — adapters do this for every incoming request.
 *
 * Only the class says "already lower case"; any other record is lower-cased as usual. Across
 * two builds of the package (ESM and CJS) the check fails and the record takes that usual,
 * equally correct path. Edge-safe: no node: imports.
 */
export class LowerCasedHeaders {
  [name: string]: string;
}
