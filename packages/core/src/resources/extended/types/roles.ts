/** Roles are read-only on `/v1` (contract resources §7, §21.7); rule bodies are never exposed. */

export type RoleSubjectKind = 'api_key' | 'user' | (string & {});

export interface Role {
  id: string;
  name: string;
  description: string | null;
  /** Subset of `user`, `api_key`. */
  applies_to: RoleSubjectKind[];
  is_default: boolean;
  /** Only seeded key roles may be attached to API keys. */
  seeded: boolean;
}

export interface ListRolesParams {
  subject_kind?: RoleSubjectKind;
  page?: number;
  per_page?: number;
}
