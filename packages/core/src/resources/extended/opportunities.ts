/** `client.opportunities` (contract resources §18): "we saw outbound API usage → create a route". */
import type { Page } from '../../transport/pagination.js';
import { type Endpoints, fields, NO_BODY, path, type RequestOptions } from '../define/index.js';
import type {
  AcceptOpportunityInput,
  AcceptOpportunityResponse,
  ListOpportunitiesParams,
  Opportunity,
  OpportunityDismissResult,
} from './types/opportunities.js';

export interface OpportunitiesResource {
  /** Also refreshes gateway-traffic detection on the server (a GET with a side effect). */
  list(params?: ListOpportunitiesParams, opts?: RequestOptions): Promise<Page<Opportunity>>;
  /** Every suggestion across pages; `status` is re-sent on each page. */
  iterate(params?: ListOpportunitiesParams, opts?: RequestOptions): AsyncIterableIterator<Opportunity>;
  /** Promotes the suggestion to a durable route + secret binding; sends `{}` when no input. */
  accept(id: string, input?: AcceptOpportunityInput, opts?: RequestOptions): Promise<AcceptOpportunityResponse>;
  dismiss(id: string, opts?: RequestOptions): Promise<OpportunityDismissResult>;
}

export function createOpportunities(api: Endpoints): OpportunitiesResource {
  return {
    list: (params, opts) => api.listPage('/v1/opportunities', params, opts),
    iterate: (params, opts) => api.iteratePage('/v1/opportunities', params, opts),
    accept: (id, input = {}, opts) => api.mutate('POST', path`/v1/opportunities/${id}/accept`, fields(input), opts),
    dismiss: (id, opts) => api.mutate('POST', path`/v1/opportunities/${id}/dismiss`, NO_BODY, opts),
  };
}
