/** Workflow types (contract resources §17, §21.14). `definition` and `trigger_config` are any JSON. */
import type { JsonValue } from '../../common-types.js';

export type WorkflowExecutionStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelling' | 'cancelled' | (string & {});

export interface Workflow {
  id: string;
  name: string;
  description: string | null;
  definition: JsonValue;
  environment: string | null;
  /** The server's value: an unpublishable definition is stored with `enabled: false`. */
  enabled: boolean;
  version: number;
  sandbox: boolean;
  timeout_seconds: number | null;
  published_at: string | null;
  created_at: string;
  updated_at: string;
  /** On list rows only. */
  run_count?: number;
}

export interface CreateWorkflowInput {
  name: string;
  definition: unknown;
  description?: string | null;
  trigger_config?: unknown;
  environment?: string | null;
  enabled?: boolean;
}

export interface UpdateWorkflowInput {
  name?: string;
  definition?: unknown;
  description?: string | null;
  trigger_config?: unknown;
  environment?: string | null;
  /** `true` on an unpublishable stored definition → 422 `invalid_definition`. */
  enabled?: boolean;
}

/** What `execute` answers; replaying the same idempotency key returns the same run. */
export interface WorkflowRun {
  id: string;
  workflow_id: string;
  status: WorkflowExecutionStatus;
}

export interface WorkflowExecution {
  id: string;
  workflow_id: string;
  status: WorkflowExecutionStatus;
  trigger_type: string;
  started_at: string | null;
  completed_at: string | null;
  execution_time_ms: number | null;
  error_message: string | null;
  workflow_version: number | null;
  created_at: string;
  /** On `getExecution` only. */
  node_executions?: JsonValue[];
}

export interface WorkflowDeleteResult {
  id: string;
  deleted: boolean;
}

export interface WorkflowCancelResult {
  id: string;
  status: WorkflowExecutionStatus;
}
