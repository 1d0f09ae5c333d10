/**
 * Per-request proxy log (contract resources §11, §21.8). Every `RequestLog` member may be
 * absent: identity-tier fields are left out (not nulled) without `log:read_identity`.
 */

export type RequestLogClientOrigin = 'direct' | 'sdk_intercept' | (string & {});
export type ProofFailureReason =
  | 'not_yet_anchored'
  | 'range_incomplete'
  | 'range_grew'
  | 'root_mismatch'
  | 'row_not_in_range'
  | 'anchor_range_too_large'
  | (string & {});

/**
 * The first twelve members, in this order, are the Merkle leaf fields; keep the order
 * when editing (the proof verification rebuilds the leaf from them).
 */
export interface RequestLog {
  /** 64-bit integer as a decimal string. */
  id?: string;
  request_id?: string;
  tenant_id?: string;
  route_id?: string | null;
  /** Identity tier. */
  matched_client_id?: string | null;
  /** Identity tier; e.g. `ip`, `mtls_thumbprint`. */
  identification_method?: string | null;
  method?: string | null;
  status_code?: number | null;
  /** Identity tier. */
  src_ip?: string | null;
  environment?: string | null;
  /** Null on pre-partition rows (= Live); null, false and true are distinct. */
  sandbox?: boolean | null;
  ts?: string;
  // Not part of the Merkle leaf:
  path?: string | null;
  latency_ms?: number | null;
  upstream_host?: string | null;
  error?: string | null;
  rate_limited?: boolean | null;
  proxy_mode?: string | null;
  client_origin?: RequestLogClientOrigin;
  /** This row's own position in the feed. */
  cursor?: string;
}

export interface ListRequestLogsParams {
  cursor?: string;
  limit?: number;
  route_id?: string;
  status_code?: number;
}

export interface ProofStep {
  /** Hex. */
  hash: string;
  /** True = the sibling is the right operand. */
  right: boolean;
}

export interface ProofAnchor {
  id: string;
  /** Decimal string. */
  sequence_number: string;
  anchored_at: string;
  algo: string;
  /** Hex. */
  merkle_root: string;
  leaf_count: number;
  from_id: string;
  to_id: string;
  chain_row_hash: string | null;
}

/** Every outcome is HTTP 200: read `anchored` and `verified`, never the status. */
export interface RequestLogProof extends RequestLog {
  anchored?: boolean;
  verified?: boolean;
  reason?: ProofFailureReason;
  detail?: string;
  observed_leaf_count?: number;
  recomputed_root?: string | null;
  anchor?: ProofAnchor;
  leaf_index?: number;
  leaf_hash?: string;
  /** Present only when `verified` is true. */
  proof?: ProofStep[];
  verification?: { algo: string; leaf_fields: string[]; note: string };
  _redacted?: string[];
}
