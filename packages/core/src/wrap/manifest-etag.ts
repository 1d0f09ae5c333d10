/** The weak ETag of a manifest `version`, as sent in `If-None-Match`. */
export function manifestEtag(version: string): string {
  return `W/"${version}"`;
}
