/** Input and response types of `client.environments` (contract resources §6, §21.7). */

export interface CreateEnvironmentInput {
  name: string;
  display_name?: string;
  description?: string | null;
  /** Hex, like `#f59e0b`. */
  color?: string;
  is_default?: boolean;
}

export interface UpdateEnvironmentInput {
  name?: string;
  display_name?: string;
  description?: string | null;
  color?: string;
  is_default?: boolean;
}

export interface Environment {
  id: string;
  name: string;
  display_name: string;
  description: string | null;
  color: string;
  is_default: boolean;
  created_at: string;
}

/** Python `EnvironmentFull`: create/update result. */
export interface EnvironmentRecord extends Environment {
  tenant_id: string;
  sandbox: boolean;
}
