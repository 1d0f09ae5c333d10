/**
 * `node:fs/promises`, loaded on first use. Only clients that touch the credentials file or a
 * file token store need it, and loading it costs a cold `import '@knoxcall/core'` ~2 ms.
 */
type NodeFsPromises = typeof import('node:fs/promises');

let loading: Promise<NodeFsPromises> | undefined;

export function nodeFs(): Promise<NodeFsPromises> {
  loading ??= import('node:fs/promises');
  return loading;
}
