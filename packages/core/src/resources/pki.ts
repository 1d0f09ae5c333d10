/**
 * `client.pki` — private CA (contract resources §13). The root certificate and the CRL are
 * the catalogue's only non-JSON successes: returned as raw text.
 */
import { type Endpoints, fields, path, type RequestOptions } from './define/index.js';
import type {
  CaRole,
  CaRoot,
  CreateCaRoleInput,
  CreateCaRootInput,
  CreateCaRootResponse,
  IssueCertInput,
  IssueCertResponse,
  RevokeCertInput,
  RevokeCertResult,
  RotateIntermediateResult,
} from './pki.types.js';

export interface PkiResource {
  listRoots(opts?: RequestOptions): Promise<CaRoot[]>;
  createRoot(input: CreateCaRootInput, opts?: RequestOptions): Promise<CreateCaRootResponse>;
  /** The root certificate as raw PEM text. */
  getRootCert(name: string, opts?: RequestOptions): Promise<string>;
  rotateIntermediate(name: string, opts?: RequestOptions): Promise<RotateIntermediateResult>;
  /** The CRL as raw text. */
  getCrl(name: string, opts?: RequestOptions): Promise<string>;
  listRoles(rootName: string, opts?: RequestOptions): Promise<CaRole[]>;
  createRole(rootName: string, input: CreateCaRoleInput, opts?: RequestOptions): Promise<CaRole>;
  /** The leaf `private_key_pem` is returned exactly once. */
  issueCert(rootName: string, role: string, input: IssueCertInput, opts?: RequestOptions): Promise<IssueCertResponse>;
  revokeCert(rootName: string, input: RevokeCertInput, opts?: RequestOptions): Promise<RevokeCertResult>;
}

export function createPki(api: Endpoints): PkiResource {
  return {
    listRoots: (opts) => api.plainArray('/v1/pki/roots', undefined, opts),
    createRoot: (input, opts) => api.mutate('POST', '/v1/pki/roots', fields(input), opts),
    getRootCert: (name, opts) => api.rawText(path`/v1/pki/roots/${name}/cert`, opts),
    rotateIntermediate: (name, opts) => api.mutate('POST', path`/v1/pki/roots/${name}/rotate-intermediate`, {}, opts),
    getCrl: (name, opts) => api.rawText(path`/v1/pki/roots/${name}/crl`, opts),
    listRoles: (rootName, opts) => api.plainArray(path`/v1/pki/roots/${rootName}/roles`, undefined, opts),
    createRole: (rootName, input, opts) => api.mutate('POST', path`/v1/pki/roots/${rootName}/roles`, fields(input), opts),
    issueCert: (rootName, role, input, opts) => api.mutate('POST', path`/v1/pki/roots/${rootName}/issue/${role}`, fields(input), opts),
    revokeCert: (rootName, input, opts) => api.mutate('POST', path`/v1/pki/roots/${rootName}/revoke`, fields(input), opts),
  };
}
