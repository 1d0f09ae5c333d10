/**
 * Node-only pieces of auth, reached through `Platform.nodeAuth` so that the Web build never
 * imports node: modules. Placeholder: the auth implementation owns and fills this.
 */
export interface NodeAuthSupport {
  readonly kind: 'node';
}
