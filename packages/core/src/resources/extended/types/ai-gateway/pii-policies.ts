/** AI gateway types: pII policies and recognizers (see ../ai-gateway.ts for the conventions). */

export type PiiAction = 'redact' | 'tokenize' | 'warn' | 'whitelist' | (string & {});
export type PiiRecognizerKind = 'regex' | 'aho_corasick' | 'presidio_pattern' | 'presidio_ner' | 'presidio_custom' | (string & {});

export interface PiiPolicy {
  id: string;
  tenant_id: string;
  name: string;
  version: number;
  /** Empty = every enabled recognizer the tenant owns (the WIDEST policy). */
  recognizer_ids: string[];
  default_action: PiiAction;
  description: string | null;
  created_at: string;
}

export interface CreatePiiPolicyInput {
  /** 2–64 characters: letters, digits, space, `_`, `-`; unique per tenant. */
  name: string;
  /** `[]` IS sent (and means every enabled recognizer). */
  recognizer_ids?: string[];
  default_action?: PiiAction;
  description?: string | null;
}

export interface UpdatePiiPolicyInput {
  /** Replaces, does not merge. */
  recognizer_ids?: string[];
  default_action?: PiiAction;
  description?: string | null;
}

export interface AIGatewayPiiDeleteResult {
  id: string;
  deleted: true;
}

export interface PiiRecognizer {
  id: string;
  tenant_id: string;
  name: string;
  kind: PiiRecognizerKind;
  pattern: string;
  context_words: string[];
  confidence: number;
  action: PiiAction;
  /** Token template, only for `tokenize`. */
  format: string | null;
  enabled: boolean;
  created_at: string;
}

export interface CreatePiiRecognizerInput {
  name: string;
  kind: PiiRecognizerKind;
  pattern: string;
  context_words?: string[];
  /** 0–1, default 0.85. */
  confidence?: number;
  action?: PiiAction;
  format?: string | null;
  enabled?: boolean;
}

export interface UpdatePiiRecognizerInput {
  name?: string;
  kind?: PiiRecognizerKind;
  pattern?: string;
  context_words?: string[];
  confidence?: number;
  action?: PiiAction;
  format?: string | null;
  /** `false` mutes a recognizer a policy still lists (deleting it would be a 409). */
  enabled?: boolean;
}

export interface TestPiiRecognizerInput {
  pattern: string;
  text: string;
  kind?: PiiRecognizerKind;
  action?: PiiAction;
  context_words?: string[];
  name?: string;
}

export interface PiiRecognizerTestMatch {
  /** `[start, end)` offsets into `text`. */
  span: [number, number];
  matched: string;
  replacement: string;
  entity_type: string;
}

export interface PiiRecognizerTestResult {
  matched: boolean;
  matches: PiiRecognizerTestMatch[];
}
