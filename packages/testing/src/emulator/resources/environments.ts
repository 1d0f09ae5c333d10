import { ApiError } from '../errors.js';
import { newId } from '../ids.js';
import { ok } from '../reply.js';
import type { HandlerContext, RouteRegistration } from '../router.js';
import type { EnvironmentRow } from '../state.js';
import { validate } from '../validate.js';

/** `environments` (resources.md §6): plain-array list, addressed by id; exactly one default. */

const NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const COLOR = /^#[0-9a-fA-F]{6}$/;

function envOr404(ctx: HandlerContext): EnvironmentRow {
  const row = ctx.state.environments.get(ctx.params['id'] ?? '');
  if (!row) throw ApiError.notFound('Environment');
  return row;
}

function makeDefault(ctx: HandlerContext, row: EnvironmentRow): void {
  for (const e of ctx.state.environments.values()) e.is_default = e === row;
}

function read(ctx: HandlerContext, required: boolean) {
  const v = validate(ctx.json());
  const name = v.string('name', { required });
  const input = {
    name,
    display_name: v.string('display_name'),
    description: v.nullableString('description'),
    color: v.string('color'),
    is_default: v.bool('is_default'),
  };
  if (name !== undefined && !NAME.test(name)) v.error('name', 'must be lower-case letters, digits, "-" or "_"');
  if (input.color !== undefined && !COLOR.test(input.color)) v.error('color', 'must be a hex colour like #f59e0b');
  v.done();
  return input;
}

export const environmentRoutes: RouteRegistration[] = [
  { method: 'GET', path: '/v1/environments', handler: (ctx) => ok(ctx, [...ctx.state.environments.values()]) },
  {
    method: 'POST',
    path: '/v1/environments',
    handler: (ctx) => {
      const input = read(ctx, true);
      if (ctx.state.environmentByName(input.name!)) throw ApiError.conflict(`Environment "${input.name}" already exists`);
      const row: EnvironmentRow = {
        id: newId(),
        tenant_id: ctx.state.account.id,
        name: input.name!,
        display_name: input.display_name ?? input.name!,
        description: input.description ?? null,
        color: input.color ?? '#6b7280',
        is_default: false,
        sandbox: false,
        created_at: ctx.nowIso(),
      };
      ctx.state.environments.set(row.id, row);
      if (input.is_default) makeDefault(ctx, row);
      ctx.state.audit('environment.created', 'environment', row.id, { name: row.name });
      return ok(ctx, row, 201);
    },
  },
  {
    method: 'PATCH',
    path: '/v1/environments/:id',
    handler: (ctx) => {
      const row = envOr404(ctx);
      const input = read(ctx, false);
      if (input.name !== undefined && input.name !== row.name) {
        if (ctx.state.environmentByName(input.name)) throw ApiError.conflict(`Environment "${input.name}" already exists`);
        row.name = input.name;
      }
      if (input.display_name !== undefined) row.display_name = input.display_name;
      if (input.description !== undefined) row.description = input.description;
      if (input.color !== undefined) row.color = input.color;
      if (input.is_default === true) makeDefault(ctx, row);
      if (input.is_default === false && row.is_default) throw ApiError.conflict('Make another environment the default instead', 'default_required');
      return ok(ctx, row);
    },
  },
  {
    method: 'DELETE',
    path: '/v1/environments/:id',
    handler: (ctx) => {
      const row = envOr404(ctx);
      if (row.is_default) throw ApiError.conflict('The default environment cannot be deleted', 'deletion_not_allowed');
      ctx.state.environments.delete(row.id);
      ctx.state.audit('environment.deleted', 'environment', row.id, { name: row.name });
      return ok(ctx, { deleted: true });
    },
  },
];
