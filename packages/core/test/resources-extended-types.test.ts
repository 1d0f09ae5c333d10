/**
 * Type-level checks of the extended tier's return shapes (contract resources §0): page,
 * cursor page, iterator, unwrapped object, the bare token-exchange body, and open enums.
 * Checked by `tsc` (expectTypeOf is a no-op at runtime).
 */
import { describe, expectTypeOf, it } from 'vitest';
import type {
  AIAgent,
  AIGateway,
  AIGatewayArchiveResult,
  AIGatewayTokenListItem,
  AIGatewayUsageExport,
  AcceptOpportunityResponse,
  CreateAgentInput,
  CursorPage,
  KnoxCall,
  MintTokenResponse,
  Opportunity,
  Page,
  PiiAction,
  RequestLog,
  RequestLogProof,
  Resources,
  Role,
  Workflow,
  WorkflowExecution,
  WorkflowRun,
} from '../src/index.js';
import { aiGatewayErrorFrom, isAIGatewayErrorBody } from '../src/index.js';
import type { AIGatewayError } from '../src/errors.js';
import { type ExchangeTokenResponse, exchangeToken } from '../src/token-exchange/index.js';

describe('extended resource return types', () => {
  it('the client carries the extended resources', () => {
    expectTypeOf<KnoxCall['aiGateway']>().toEqualTypeOf<Resources['aiGateway']>();
    expectTypeOf<KnoxCall['workflows']>().toEqualTypeOf<Resources['workflows']>();
    expectTypeOf<KnoxCall['logs']>().toEqualTypeOf<Resources['logs']>();
    expectTypeOf<KnoxCall['opportunities']>().toEqualTypeOf<Resources['opportunities']>();
    expectTypeOf<KnoxCall['roles']>().toEqualTypeOf<Resources['roles']>();
  });

  it('pages, cursor pages and iterators', () => {
    expectTypeOf<ReturnType<Resources['roles']['list']>>().toEqualTypeOf<Promise<Page<Role>>>();
    expectTypeOf<ReturnType<Resources['logs']['list']>>().toEqualTypeOf<Promise<CursorPage<RequestLog>>>();
    expectTypeOf<ReturnType<Resources['logs']['iterate']>>().toEqualTypeOf<AsyncIterableIterator<RequestLog>>();
    expectTypeOf<ReturnType<Resources['aiGateway']['listGateways']>>().toEqualTypeOf<Promise<Page<AIGateway>>>();
    expectTypeOf<ReturnType<Resources['aiGateway']['iterateGatewayTokens']>>().toEqualTypeOf<AsyncIterableIterator<AIGatewayTokenListItem>>();
    expectTypeOf<ReturnType<Resources['workflows']['listExecutions']>>().toEqualTypeOf<Promise<Page<WorkflowExecution>>>();
    expectTypeOf<ReturnType<Resources['opportunities']['iterate']>>().toEqualTypeOf<AsyncIterableIterator<Opportunity>>();
  });

  it('unwrapped objects', () => {
    expectTypeOf<ReturnType<Resources['aiGateway']['createAgent']>>().toEqualTypeOf<Promise<AIAgent>>();
    expectTypeOf<ReturnType<Resources['aiGateway']['deleteGateway']>>().toEqualTypeOf<Promise<AIGatewayArchiveResult>>();
    expectTypeOf<ReturnType<Resources['aiGateway']['mintToken']>>().toEqualTypeOf<Promise<MintTokenResponse>>();
    expectTypeOf<ReturnType<Resources['aiGateway']['exportUsage']>>().toEqualTypeOf<Promise<AIGatewayUsageExport>>();
    expectTypeOf<ReturnType<Resources['logs']['proof']>>().toEqualTypeOf<Promise<RequestLogProof>>();
    expectTypeOf<ReturnType<Resources['workflows']['execute']>>().toEqualTypeOf<Promise<WorkflowRun>>();
    expectTypeOf<ReturnType<Resources['workflows']['get']>>().toEqualTypeOf<Promise<Workflow>>();
    expectTypeOf<ReturnType<Resources['opportunities']['accept']>>().toEqualTypeOf<Promise<AcceptOpportunityResponse>>();
  });

  it('token list rows never declare the plaintext; the mint answer does', () => {
    expectTypeOf<AIGatewayTokenListItem>().not.toHaveProperty('token');
    expectTypeOf<MintTokenResponse['token']>().toEqualTypeOf<string | undefined>();
  });

  it('enumerations are open and inputs use the wire names', () => {
    expectTypeOf<'redact'>().toMatchTypeOf<PiiAction>();
    expectTypeOf<'a-future-action'>().toMatchTypeOf<PiiAction>();
    expectTypeOf<{ name: string; slug: string }>().toMatchTypeOf<CreateAgentInput>();
    expectTypeOf<CreateAgentInput>().not.toHaveProperty('allowed_tools');
    expectTypeOf<CreateAgentInput>().toHaveProperty('pii_streaming_holdback_chars');
    expectTypeOf<RequestLog['sandbox']>().toEqualTypeOf<boolean | null | undefined>();
  });

  it('the standalone exchangeToken returns the bare RFC 8693 body; AI error helpers narrow', () => {
    expectTypeOf(exchangeToken).returns.toEqualTypeOf<Promise<ExchangeTokenResponse>>();
    expectTypeOf<ExchangeTokenResponse['expires_in']>().toEqualTypeOf<number>();
    expectTypeOf(aiGatewayErrorFrom).returns.toEqualTypeOf<AIGatewayError | null>();
    const body: unknown = {};
    if (isAIGatewayErrorBody(body)) expectTypeOf(body.error_description).toEqualTypeOf<string>();
  });
});
