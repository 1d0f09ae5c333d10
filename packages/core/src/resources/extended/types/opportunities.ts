/** Promotion suggestions (contract resources §18, §21.14). */
import type { JsonObject } from '../../common-types.js';

export type OpportunitySource = 'agent_monitor' | 'gateway_traffic' | (string & {});
export type OpportunityStatus = 'pending' | 'snoozed' | 'onboarded' | 'dismissed' | (string & {});

export interface Opportunity {
  id: string;
  source: OpportunitySource;
  service: string;
  destination_host: string | null;
  status: OpportunityStatus;
  confidence: number | null;
  suggested_route_json: JsonObject | null;
  evidence_json: JsonObject | null;
  accepted_route_id: string | null;
  created_at: string;
  updated_at: string;
  acted_at: string | null;
}

export interface ListOpportunitiesParams {
  status?: OpportunityStatus;
  page?: number;
  per_page?: number;
}

/** Every member optional; the server's defaults are described in the contract. */
export interface AcceptOpportunityInput {
  /** Default: the suggestion's own collection, else "Wrapped APIs". */
  collection_name?: string;
  /** Default: the tenant default environment. */
  environment?: string;
  /** Secret name or id; default: an auto-bound escrowed wrap credential. */
  secret?: string;
  /** Default `Authorization`. */
  header_name?: string;
  /** Default `"Bearer "`. */
  value_prefix?: string;
}

export interface AcceptOpportunityResponse {
  opportunity_id: string;
  route: { id: string; slug: string | null; name: string };
  collection_id: string;
  environment: string;
}

export interface OpportunityDismissResult {
  opportunity_id: string;
  status: 'dismissed' | (string & {});
}
