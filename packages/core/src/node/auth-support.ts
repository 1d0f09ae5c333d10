/**
 * Node-only auth: the credentials file and `FileTokenStore`. Only the Node entry imports
 * this file; it plugs `nodeAuthSupport` into the Node Platform so that shared code reaches
 * the filesystem without importing `node:` modules itself.
 */
import { readCredentialsRecord, resolveCredentialsLocation } from './credentials-file.js';
import { FileTokenStore } from './file-token-store.js';
import type { NodeAuthSupport } from '../auth/node-auth.js';
import { nodeEs256Signer } from './node-es256.js';
import { nodeFs } from './node-fs.js';
import { fetchStoredToken } from './stored-token-fetch.js';

export { FileTokenStore } from './file-token-store.js';

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

export const nodeAuthSupport: NodeAuthSupport = {
  kind: 'node',
  resolveCredentialsLocation,
  async readStoredProfile(location, warnOnce) {
    const record = await readCredentialsRecord(location, warnOnce);
    if (!record) return null;
    const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
    let baseUrl = text(record.base_url);
    if (baseUrl !== undefined && !isHttpUrl(baseUrl)) {
      warnOnce(
        'KNOXCALL_CREDENTIALS_BASE_URL',
        `ignoring base_url of profile "${location.profile}" in ${location.path}: it is not an http(s) URL — run \`knoxcall login\` again or fix the file`,
      );
      baseUrl = undefined;
    }
    return { tenant: text(record.tenant), baseUrl };
  },
  fetchStoredToken: (request) => fetchStoredToken(request),
  readTextFile: async (path) => (await nodeFs()).readFile(path, 'utf8'),
  createFileTokenStore: (path) => new FileTokenStore(path),
  syncEs256Signer: nodeEs256Signer,
};
