/**
 * `client.workflows` (contract resources §17). Executions are read on the FLAT path
 * `/v1/workflows/executions/{id}`.
 */
import type { Page, PageParams } from '../../transport/pagination.js';
import { type Endpoints, fields, NO_BODY, path, type RequestOptions } from '../define/index.js';
import type {
  CreateWorkflowInput,
  UpdateWorkflowInput,
  Workflow,
  WorkflowCancelResult,
  WorkflowDeleteResult,
  WorkflowExecution,
  WorkflowRun,
} from './types/workflows.js';

export interface WorkflowsResource {
  list(params?: PageParams, opts?: RequestOptions): Promise<Page<Workflow>>;
  iterate(params?: PageParams, opts?: RequestOptions): AsyncIterableIterator<Workflow>;
  get(workflowId: string, opts?: RequestOptions): Promise<Workflow>;
  /** `enabled: true` with an incomplete definition is stored disabled: read the result's `enabled`. */
  create(input: CreateWorkflowInput, opts?: RequestOptions): Promise<Workflow>;
  /** `enabled: true` on an unpublishable definition → `ValidationError` (`invalid_definition`). */
  update(workflowId: string, input: UpdateWorkflowInput, opts?: RequestOptions): Promise<Workflow>;
  delete(workflowId: string, opts?: RequestOptions): Promise<WorkflowDeleteResult>;
  /**
   * Queues a run with body `{"input": input}` (`null` when omitted). Idempotent per key:
   * replaying the same `idempotencyKey` returns the same execution.
   */
  execute(workflowId: string, input?: unknown, opts?: RequestOptions): Promise<WorkflowRun>;
  listExecutions(workflowId: string, params?: PageParams, opts?: RequestOptions): Promise<Page<WorkflowExecution>>;
  iterateExecutions(workflowId: string, params?: PageParams, opts?: RequestOptions): AsyncIterableIterator<WorkflowExecution>;
  /** With `node_executions`. */
  getExecution(executionId: string, opts?: RequestOptions): Promise<WorkflowExecution>;
  /** Sends no body; the result's `status` is typically `cancelling`. */
  cancelExecution(executionId: string, opts?: RequestOptions): Promise<WorkflowCancelResult>;
}

export function createWorkflows(api: Endpoints): WorkflowsResource {
  return {
    list: (params, opts) => api.listPage('/v1/workflows', params, opts),
    iterate: (params, opts) => api.iteratePage('/v1/workflows', params, opts),
    get: (workflowId, opts) => api.getOne(path`/v1/workflows/${workflowId}`, undefined, opts),
    create: (input, opts) => api.mutate('POST', '/v1/workflows', fields(input), opts),
    update: (workflowId, input, opts) => api.mutate('PATCH', path`/v1/workflows/${workflowId}`, fields(input), opts),
    delete: (workflowId, opts) => api.mutate('DELETE', path`/v1/workflows/${workflowId}`, NO_BODY, opts),
    // The `input` member is always present (official Python behaviour): `undefined` → null.
    execute: (workflowId, input, opts) => api.mutate('POST', path`/v1/workflows/${workflowId}/execute`, { input: input === undefined ? null : input }, opts),
    listExecutions: (workflowId, params, opts) => api.listPage(path`/v1/workflows/${workflowId}/executions`, params, opts),
    iterateExecutions: (workflowId, params, opts) => api.iteratePage(path`/v1/workflows/${workflowId}/executions`, params, opts),
    getExecution: (executionId, opts) => api.getOne(path`/v1/workflows/executions/${executionId}`, undefined, opts),
    cancelExecution: (executionId, opts) => api.mutate('POST', path`/v1/workflows/executions/${executionId}/cancel`, NO_BODY, opts),
  };
}
