/** AI gateway types: settings shared by gateways, agents and MCP servers (see ../ai-gateway.ts for the conventions). */

export type AIGatewayStatus = 'active' | 'paused' | 'archived' | (string & {});
/** `off` when unset — never a boolean. */
export type GuardrailWebhookMode = 'off' | 'request' | 'response' | 'both' | (string & {});
export type GuardrailWebhookFailureAction = 'fail_open' | 'fail_closed' | (string & {});
