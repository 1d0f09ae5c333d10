/**
 * The Node binary for child processes that take Node's flags or must be Node: when Bun or
 * Deno runs this suite, `process.execPath` is that runtime (`deno --input-type=module -e`
 * fails), so those children use the `node` on PATH.
 */
export const nodeBinary: string = process.versions.bun === undefined && process.versions.deno === undefined ? process.execPath : 'node';
