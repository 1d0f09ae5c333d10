import { ApiError } from '../../errors.js';
import { paginate } from '../../reply.js';
import type { HandlerContext, RouteRegistration } from '../../router.js';
import type { EmulatorState } from '../../state.js';

/**
 * `roles` (resources.md §7): read-only. The four seeded key roles are the only ones an API
 * key may be given; the user roles exist so `subject_kind` filtering has something to filter.
 */

export interface RoleRow {
  id: string;
  name: string;
  description: string | null;
  applies_to: string[];
  is_default: boolean;
  seeded: boolean;
}

const SEEDED: ReadonlyArray<Omit<RoleRow, 'id'>> = [
  { name: 'Key — Invoke', description: 'Call routes through the data plane', applies_to: ['api_key'], is_default: true, seeded: true },
  { name: 'Key — Read-only', description: 'Read management resources', applies_to: ['api_key'], is_default: false, seeded: true },
  { name: 'Key — Editor', description: 'Create and edit routes, secrets and webhooks', applies_to: ['api_key'], is_default: false, seeded: true },
  { name: 'Key — Infrastructure', description: 'Manage keys, clients and environments', applies_to: ['api_key'], is_default: false, seeded: true },
  { name: 'Owner', description: null, applies_to: ['user'], is_default: false, seeded: false },
  { name: 'Member', description: 'Default role of invited users', applies_to: ['user'], is_default: true, seeded: false },
];

/** The tenant's roles (stable ids within one emulator run; exported for API-key role checks). */
export function tenantRoles(state: EmulatorState): RoleRow[] {
  return state.store('ext:roles', () => SEEDED.map((r) => ({ id: crypto.randomUUID(), ...r, applies_to: [...r.applies_to] })));
}

const SUBJECT_KINDS = ['api_key', 'user'];

function list(ctx: HandlerContext) {
  const kind = ctx.query.get('subject_kind');
  if (kind !== null && !SUBJECT_KINDS.includes(kind)) {
    throw ApiError.badRequest(`subject_kind must be one of: ${SUBJECT_KINDS.join(', ')}`, 'invalid_parameter');
  }
  const rows = tenantRoles(ctx.state).filter((r) => kind === null || r.applies_to.includes(kind));
  return paginate(ctx, rows);
}

export const roleRoutes: RouteRegistration[] = [{ method: 'GET', path: '/v1/roles', handler: list }];
