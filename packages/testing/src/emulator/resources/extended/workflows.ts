import { ApiError } from '../../errors.js';
import { ok, paginate } from '../../reply.js';
import type { HandlerContext, RouteRegistration } from '../../router.js';
import { validate } from '../../validate.js';
import { applyGiven, found, rowsOf } from './patch.js';

/**
 * `workflows` (resources.md §17). A definition is publishable when it has a non-empty
 * `nodes` array: creating with `enabled: true` and anything less stores the row DISABLED
 * (200, the server's value is reported), while enabling it by update is a 422
 * `invalid_definition`. `execute` idempotency (same key → same execution) comes from the
 * emulator's generic `X-Idempotency-Key` replay.
 */

interface WorkflowRow {
  id: string;
  name: string;
  description: string | null;
  definition: unknown;
  trigger_config: unknown;
  environment: string | null;
  enabled: boolean;
  version: number;
  sandbox: boolean;
  timeout_seconds: number | null;
  published_at: string | null;
  created_at: string;
  updated_at: string;
}

interface ExecutionRow {
  id: string;
  workflow_id: string;
  status: string;
  trigger_type: string;
  input: unknown;
  started_at: string | null;
  completed_at: string | null;
  execution_time_ms: number | null;
  error_message: string | null;
  workflow_version: number | null;
  created_at: string;
}

interface WorkflowStore {
  workflows: Map<string, WorkflowRow>;
  executions: Map<string, ExecutionRow>;
}

const store = (ctx: HandlerContext) => ctx.state.store<WorkflowStore>('ext:workflows', () => ({ workflows: new Map(), executions: new Map() }));

function publishable(definition: unknown): boolean {
  if (definition === null || typeof definition !== 'object' || Array.isArray(definition)) return false;
  const nodes = (definition as { nodes?: unknown }).nodes;
  return Array.isArray(nodes) && nodes.length > 0;
}

/** What a read returns (`trigger_config` is writable but not part of the read type). */
function view(row: WorkflowRow) {
  const { trigger_config, ...rest } = row;
  void trigger_config;
  return rest;
}

function executionView(row: ExecutionRow, withNodes: boolean) {
  const { input, ...rest } = row;
  void input;
  return withNodes ? { ...rest, node_executions: [] } : rest;
}

const WRITABLE = ['name', 'definition', 'description', 'trigger_config', 'environment', 'enabled'] as const;

function create(ctx: HandlerContext) {
  const body = ctx.json();
  const v = validate(body);
  v.string('name', { required: true });
  if (body['definition'] === undefined) v.error('definition', 'is required');
  v.nullableString('description');
  v.nullableString('environment');
  const enabled = v.bool('enabled');
  v.done();
  const now = ctx.nowIso();
  const row: WorkflowRow = {
    id: crypto.randomUUID(),
    name: body['name'] as string,
    description: null,
    definition: null,
    trigger_config: null,
    environment: null,
    enabled: false,
    version: 1,
    sandbox: false,
    timeout_seconds: null,
    published_at: null,
    created_at: now,
    updated_at: now,
  };
  applyGiven(row, body, ['description', 'definition', 'trigger_config', 'environment']);
  // "An unpublishable definition may never be live": the request's enabled is not echoed.
  row.enabled = enabled === true && publishable(row.definition);
  if (row.enabled) row.published_at = now;
  store(ctx).workflows.set(row.id, row);
  return ok(ctx, view(row), 201);
}

function update(ctx: HandlerContext) {
  const row = found(store(ctx).workflows, ctx.params['workflowId'], 'Workflow');
  const body = ctx.json();
  const v = validate(body);
  v.string('name');
  v.nullableString('description');
  v.nullableString('environment');
  const enabled = v.bool('enabled');
  v.done();
  const definition = body['definition'] !== undefined ? body['definition'] : row.definition;
  if (enabled === true && !publishable(definition)) {
    throw new ApiError(422, 'invalid_definition', 'The workflow definition cannot be published: it needs at least one node', {
      fields: { definition: ['must contain at least one node before the workflow can be enabled'] },
    });
  }
  const now = ctx.nowIso();
  if (body['definition'] !== undefined) row.version += 1;
  applyGiven(row, body, WRITABLE);
  if (row.enabled && !publishable(row.definition)) row.enabled = false;
  if (enabled === true) row.published_at = now;
  row.updated_at = now;
  return ok(ctx, view(row));
}

function execute(ctx: HandlerContext) {
  const wf = found(store(ctx).workflows, ctx.params['workflowId'], 'Workflow');
  const body = ctx.json();
  if (!('input' in body)) throw ApiError.validation({ input: ['is required (send null for no input)'] });
  const run: ExecutionRow = {
    id: crypto.randomUUID(),
    workflow_id: wf.id,
    status: 'queued',
    trigger_type: 'api',
    input: body['input'],
    started_at: null,
    completed_at: null,
    execution_time_ms: null,
    error_message: null,
    workflow_version: wf.version,
    created_at: ctx.nowIso(),
  };
  store(ctx).executions.set(run.id, run);
  return ok(ctx, { id: run.id, workflow_id: run.workflow_id, status: run.status }, 202);
}

function cancel(ctx: HandlerContext) {
  const run = found(store(ctx).executions, ctx.params['executionId'], 'Execution');
  if (run.status === 'queued' || run.status === 'running') run.status = 'cancelling';
  else if (run.status !== 'cancelling') throw ApiError.conflict(`Execution already ${run.status}`, 'execution_finished');
  return ok(ctx, { id: run.id, status: run.status });
}

export const workflowRoutes: RouteRegistration[] = [
  {
    method: 'GET',
    path: '/v1/workflows',
    handler: (ctx) => {
      const { workflows, executions } = store(ctx);
      const runs = rowsOf(executions);
      return paginate(
        ctx,
        rowsOf(workflows).map((w) => ({ ...view(w), run_count: runs.filter((r) => r.workflow_id === w.id).length })),
      );
    },
  },
  { method: 'POST', path: '/v1/workflows', handler: create },
  { method: 'GET', path: '/v1/workflows/:workflowId', handler: (ctx) => ok(ctx, view(found(store(ctx).workflows, ctx.params['workflowId'], 'Workflow'))) },
  { method: 'PATCH', path: '/v1/workflows/:workflowId', handler: update },
  {
    method: 'DELETE',
    path: '/v1/workflows/:workflowId',
    handler: (ctx) => {
      const wf = found(store(ctx).workflows, ctx.params['workflowId'], 'Workflow');
      store(ctx).workflows.delete(wf.id);
      return ok(ctx, { id: wf.id, deleted: true });
    },
  },
  { method: 'POST', path: '/v1/workflows/:workflowId/execute', handler: execute },
  {
    method: 'GET',
    path: '/v1/workflows/:workflowId/executions',
    handler: (ctx) => {
      const wf = found(store(ctx).workflows, ctx.params['workflowId'], 'Workflow');
      return paginate(
        ctx,
        rowsOf(store(ctx).executions, (r) => r.workflow_id === wf.id).map((r) => executionView(r, false)),
      );
    },
  },
  {
    method: 'GET',
    path: '/v1/workflows/executions/:executionId',
    handler: (ctx) => ok(ctx, executionView(found(store(ctx).executions, ctx.params['executionId'], 'Execution'), true)),
  },
  { method: 'POST', path: '/v1/workflows/executions/:executionId/cancel', handler: cancel },
];
