/** AI gateway types: firewall policies (see ../ai-gateway.ts for the conventions). */

export type FirewallAction = 'block' | 'warn' | 'tag' | (string & {});
export type FirewallRuleKind = 'regex' | 'keyword' | (string & {});

export interface FirewallRule {
  name: string;
  kind: FirewallRuleKind;
  pattern: string;
  /** Only `i m s g y`; default `i`; ignored for `keyword`. */
  flags?: string;
}

export interface FirewallPolicy {
  id: string;
  tenant_id: string;
  name: string;
  version: number;
  heuristics: FirewallRule[];
  canary_enabled: boolean;
  vector_classifier_enabled: boolean;
  lakera_enabled: boolean;
  model_classifier_id: string | null;
  action: FirewallAction;
  created_at: string;
}

export interface CreateFirewallPolicyInput {
  /** Re-using a name creates version N+1. */
  name: string;
  heuristics?: FirewallRule[];
  canary_enabled?: boolean;
  action?: FirewallAction;
}

export interface UpdateFirewallPolicyInput {
  heuristics?: FirewallRule[];
  canary_enabled?: boolean;
  action?: FirewallAction;
}

export interface TestFirewallRulesInput {
  text: string;
  heuristics?: FirewallRule[];
}

export interface FirewallTestMatch {
  rule: string;
  /** `[start, end]` offsets into `text`. */
  span: [number, number];
  matched: string;
}

export interface FirewallTestSkip {
  rule: string;
  reason: string;
}

export interface FirewallTestResult {
  matched: boolean;
  matches: FirewallTestMatch[];
  skipped: FirewallTestSkip[];
}

export interface AIGatewayFirewallDeleteResult {
  id: string;
  deleted: true;
}
