/**
 * AI gateway response and input types (contract resources §16, §21.13). Wire names stay
 * snake_case; enumerations are open so a new server value never breaks compilation; objects
 * are returned exactly as parsed, so members the server adds later are still there at runtime.
 */

// One file per subject; this barrel keeps the names and import path the resources use.
export type * from './ai-gateway/shared-settings.js';
export type * from './ai-gateway/gateways.js';
export type * from './ai-gateway/agents.js';
export type * from './ai-gateway/mcp-servers.js';
export type * from './ai-gateway/capability-tokens.js';
export type * from './ai-gateway/firewall-policies.js';
export type * from './ai-gateway/pii-policies.js';
export type * from './ai-gateway/usage.js';
