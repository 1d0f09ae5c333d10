import { ApiError } from '../../../errors.js';
import { ok, paginate } from '../../../reply.js';
import type { HandlerContext, RouteRegistration } from '../../../router.js';
import { validate } from '../../../validate.js';
import { applyGiven, found, rowsOf } from '../patch.js';
import { aiStore, live, type Row } from './store.js';

/**
 * Tenant-scoped firewall policies, PII policies and PII recognizers (resources.md §16.5–16.6),
 * with the server rules a client depends on: name reuse → version N+1, regex syntax the
 * linear-time engine refuses → 400, deleting what is still referenced → 409, the `/test`
 * dry runs on their literal paths (never treated as an id).
 */

const ACTIONS = ['block', 'warn', 'tag'];
const PII_ACTIONS = ['redact', 'tokenize', 'warn', 'whitelist'];
const RECOGNIZER_KINDS = ['regex', 'aho_corasick', 'presidio_pattern', 'presidio_ner', 'presidio_custom'];
const POLICY_NAME = /^[A-Za-z0-9 _-]{2,64}$/;
/** Lookaround and backreferences: what a linear-time (RE2-class) engine cannot run. */
const NON_LINEAR = /\(\?<?[=!]|\\[1-9]|\\k</;

interface Rule {
  name: string;
  kind: string;
  pattern: string;
  flags?: string;
}

function checkRules(value: unknown): Rule[] {
  if (!Array.isArray(value)) throw ApiError.badRequest('heuristics must be an array of rules', 'invalid_request');
  return value.map((raw, i) => {
    const r = (raw ?? {}) as Partial<Rule>;
    if (typeof r.name !== 'string' || typeof r.pattern !== 'string' || (r.kind !== 'regex' && r.kind !== 'keyword')) {
      throw ApiError.badRequest(`heuristics[${i}] needs name, kind (regex | keyword) and pattern`, 'invalid_request');
    }
    if (r.flags !== undefined && (typeof r.flags !== 'string' || !/^[imsgy]*$/.test(r.flags))) {
      throw ApiError.badRequest(`heuristics[${i}].flags may only contain i m s g y`, 'invalid_regex');
    }
    if (r.kind === 'regex') compile(r.pattern, r.flags ?? 'i', `heuristics[${i}]`);
    return r as Rule;
  });
}

function compile(pattern: string, flags: string, where: string): RegExp {
  if (NON_LINEAR.test(pattern)) throw ApiError.badRequest(`${where}: lookaround and backreferences are not supported`, 'invalid_regex');
  try {
    return new RegExp(pattern, `${flags.replace(/[gy]/g, '')}g`);
  } catch (e) {
    throw ApiError.badRequest(`${where}: ${e instanceof Error ? e.message : 'invalid pattern'}`, 'invalid_regex');
  }
}

const BUILT_IN: Rule[] = [{ name: 'ignore-previous', kind: 'keyword', pattern: 'ignore previous instructions' }];

function runRules(rules: Rule[], text: string) {
  const matches: Array<{ rule: string; span: [number, number]; matched: string }> = [];
  for (const rule of rules) {
    if (rule.kind === 'keyword') {
      const at = text.toLowerCase().indexOf(rule.pattern.toLowerCase());
      if (at >= 0) matches.push({ rule: rule.name, span: [at, at + rule.pattern.length], matched: text.slice(at, at + rule.pattern.length) });
      continue;
    }
    for (const m of text.matchAll(compile(rule.pattern, rule.flags ?? 'i', rule.name))) {
      if (m[0] === '') continue;
      matches.push({ rule: rule.name, span: [m.index, m.index + m[0].length], matched: m[0] });
    }
  }
  return { matched: matches.length > 0, matches, skipped: [] };
}

function referencedBy(ctx: HandlerContext, column: string, id: string): boolean {
  const { agents, mcpServers } = aiStore(ctx);
  return [...rowsOf(agents, live), ...rowsOf(mcpServers, live)].some((r) => r[column] === id);
}

// ── Firewall ───────────────────────────────────────────────────────────────────────────

function createFirewall(ctx: HandlerContext) {
  const body = ctx.json();
  const v = validate(body);
  const name = v.string('name', { required: true });
  v.bool('canary_enabled');
  v.string('action', { oneOf: ACTIONS });
  v.done();
  const heuristics = body['heuristics'] === undefined ? [] : checkRules(body['heuristics']);
  const { firewallPolicies } = aiStore(ctx);
  const versions = rowsOf(firewallPolicies, (p) => p['name'] === name).map((p) => Number(p['version']));
  const row: Row = {
    id: crypto.randomUUID(),
    tenant_id: ctx.state.account.id,
    name: name!,
    version: versions.length === 0 ? 1 : Math.max(...versions) + 1,
    heuristics,
    canary_enabled: false,
    vector_classifier_enabled: false,
    lakera_enabled: false,
    model_classifier_id: null,
    action: 'warn',
    created_at: ctx.nowIso(),
  };
  applyGiven(row, body, ['canary_enabled', 'action']);
  firewallPolicies.set(row.id, row);
  return ok(ctx, row, 201);
}

function updateFirewall(ctx: HandlerContext) {
  const row = found(aiStore(ctx).firewallPolicies, ctx.params['policyId'], 'Firewall policy');
  const body = ctx.json();
  const v = validate(body);
  v.bool('canary_enabled');
  v.string('action', { oneOf: ACTIONS });
  v.done();
  if (body['heuristics'] !== undefined) row['heuristics'] = checkRules(body['heuristics']);
  applyGiven(row, body, ['canary_enabled', 'action']);
  return ok(ctx, row);
}

// ── PII ────────────────────────────────────────────────────────────────────────────────

function checkRecognizerIds(ctx: HandlerContext, value: unknown): string[] {
  if (!Array.isArray(value) || value.some((x) => typeof x !== 'string')) throw ApiError.badRequest('recognizer_ids must be an array of ids', 'invalid_request');
  const { recognizers } = aiStore(ctx);
  const missing = (value as string[]).filter((id) => !recognizers.has(id));
  if (missing.length > 0) throw ApiError.badRequest(`Unknown recognizer ids: ${missing.join(', ')}`, 'recognizer_not_found');
  return value as string[];
}

function createPiiPolicy(ctx: HandlerContext) {
  const body = ctx.json();
  const v = validate(body);
  const name = v.string('name', { required: true });
  v.string('default_action', { oneOf: PII_ACTIONS });
  v.nullableString('description');
  v.done();
  if (!POLICY_NAME.test(name!)) throw ApiError.badRequest('name must be 2–64 letters, digits, spaces, _ or -', 'invalid_request');
  const { piiPolicies } = aiStore(ctx);
  if (rowsOf(piiPolicies).some((p) => p['name'] === name)) throw ApiError.conflict(`A PII policy named "${name}" already exists`, 'name_taken');
  const row: Row = {
    id: crypto.randomUUID(),
    tenant_id: ctx.state.account.id,
    name: name!,
    version: 1,
    recognizer_ids: body['recognizer_ids'] === undefined ? [] : checkRecognizerIds(ctx, body['recognizer_ids']),
    default_action: 'redact',
    description: null,
    created_at: ctx.nowIso(),
  };
  applyGiven(row, body, ['default_action', 'description']);
  piiPolicies.set(row.id, row);
  return ok(ctx, row, 201);
}

function updatePiiPolicy(ctx: HandlerContext) {
  const row = found(aiStore(ctx).piiPolicies, ctx.params['policyId'], 'PII policy');
  const body = ctx.json();
  const v = validate(body);
  v.string('default_action', { oneOf: PII_ACTIONS });
  v.nullableString('description');
  v.done();
  if (body['recognizer_ids'] !== undefined) row['recognizer_ids'] = checkRecognizerIds(ctx, body['recognizer_ids']);
  applyGiven(row, body, ['default_action', 'description']);
  row['version'] = Number(row['version']) + 1;
  return ok(ctx, row);
}

const RECOGNIZER_FIELDS = ['name', 'kind', 'pattern', 'context_words', 'confidence', 'action', 'format', 'enabled'];

/** Update validates the MERGED state, so it shares this with create. */
function checkRecognizer(row: Record<string, unknown>): void {
  if (typeof row['name'] !== 'string' || row['name'] === '') throw ApiError.validation({ name: ['is required'] });
  if (typeof row['kind'] !== 'string' || !RECOGNIZER_KINDS.includes(row['kind'])) {
    throw ApiError.badRequest(`kind must be one of: ${RECOGNIZER_KINDS.join(', ')}`, 'invalid_request');
  }
  if (typeof row['pattern'] !== 'string' || row['pattern'] === '') throw ApiError.validation({ pattern: ['is required'] });
  const confidence = row['confidence'];
  if (typeof confidence !== 'number' || confidence < 0 || confidence > 1) throw ApiError.badRequest('confidence must be between 0 and 1', 'invalid_request');
  if (typeof row['action'] !== 'string' || !PII_ACTIONS.includes(row['action']))
    throw ApiError.badRequest(`action must be one of: ${PII_ACTIONS.join(', ')}`, 'invalid_request');
  if (row['kind'] === 'regex') {
    const re = compile(row['pattern'], 'i', 'pattern');
    if (row['action'] === 'whitelist' && re.test('arbitrary text 123'))
      throw ApiError.badRequest('a whitelist pattern may not match arbitrary text', 'invalid_request');
  }
}

function createRecognizer(ctx: HandlerContext) {
  const body = ctx.json();
  const v = validate(body);
  v.string('name', { required: true });
  v.string('kind', { required: true });
  v.string('pattern', { required: true });
  v.stringArray('context_words');
  v.bool('enabled');
  v.done();
  const row: Row = {
    id: crypto.randomUUID(),
    tenant_id: ctx.state.account.id,
    name: '',
    kind: 'regex',
    pattern: '',
    context_words: [],
    confidence: 0.85,
    action: 'redact',
    format: null,
    enabled: true,
    created_at: ctx.nowIso(),
  };
  applyGiven(row, body, RECOGNIZER_FIELDS);
  checkRecognizer(row);
  aiStore(ctx).recognizers.set(row.id, row);
  return ok(ctx, row, 201);
}

function updateRecognizer(ctx: HandlerContext) {
  const row = found(aiStore(ctx).recognizers, ctx.params['recognizerId'], 'PII recognizer');
  const merged = applyGiven({ ...row }, ctx.json(), RECOGNIZER_FIELDS);
  checkRecognizer(merged);
  Object.assign(row, merged);
  return ok(ctx, row);
}

function testRecognizer(ctx: HandlerContext) {
  const body = ctx.json();
  const v = validate(body);
  const pattern = v.string('pattern', { required: true });
  const text = v.string('text', { required: true });
  const kind = v.string('kind', { oneOf: RECOGNIZER_KINDS });
  const action = v.string('action', { oneOf: PII_ACTIONS });
  v.stringArray('context_words');
  const name = v.string('name');
  v.done();
  const entity = (name ?? 'CUSTOM').toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  const matches: Array<{ span: [number, number]; matched: string; replacement: string; entity_type: string }> = [];
  const spans: Array<[number, number, string]> = [];
  if (kind === 'aho_corasick') {
    for (const word of pattern!.split('|').filter(Boolean)) {
      const at = text!.toLowerCase().indexOf(word.toLowerCase());
      if (at >= 0) spans.push([at, at + word.length, text!.slice(at, at + word.length)]);
    }
  } else {
    for (const m of text!.matchAll(compile(pattern!, 'i', 'pattern'))) if (m[0] !== '') spans.push([m.index, m.index + m[0].length, m[0]]);
  }
  spans.forEach(([start, end, matched], i) => {
    const replacement = action === 'tokenize' ? `<${entity}_${i + 1}>` : action === 'warn' || action === 'whitelist' ? matched : `[${entity}]`;
    matches.push({ span: [start, end], matched, replacement, entity_type: entity });
  });
  return ok(ctx, { matched: matches.length > 0, matches });
}

export const policyRoutes: RouteRegistration[] = [
  { method: 'GET', path: '/v1/ai-gateway/firewall-policies', handler: (ctx) => paginate(ctx, rowsOf(aiStore(ctx).firewallPolicies)) },
  { method: 'POST', path: '/v1/ai-gateway/firewall-policies', handler: createFirewall },
  {
    method: 'POST',
    path: '/v1/ai-gateway/firewall-policies/test',
    handler: (ctx) => {
      const body = ctx.json();
      const v = validate(body);
      const text = v.string('text', { required: true });
      v.done();
      const rules = body['heuristics'] === undefined ? BUILT_IN : checkRules(body['heuristics']);
      return ok(ctx, runRules(rules, text!));
    },
  },
  {
    method: 'GET',
    path: '/v1/ai-gateway/firewall-policies/:policyId',
    handler: (ctx) => ok(ctx, found(aiStore(ctx).firewallPolicies, ctx.params['policyId'], 'Firewall policy')),
  },
  { method: 'PATCH', path: '/v1/ai-gateway/firewall-policies/:policyId', handler: updateFirewall },
  {
    method: 'DELETE',
    path: '/v1/ai-gateway/firewall-policies/:policyId',
    handler: (ctx) => {
      const row = found(aiStore(ctx).firewallPolicies, ctx.params['policyId'], 'Firewall policy');
      if (referencedBy(ctx, 'firewall_policy_id', row.id)) throw ApiError.conflict('The policy is attached to an agent or MCP server', 'policy_in_use');
      aiStore(ctx).firewallPolicies.delete(row.id);
      return ok(ctx, { id: row.id, deleted: true });
    },
  },
  { method: 'GET', path: '/v1/ai-gateway/pii-policies', handler: (ctx) => paginate(ctx, rowsOf(aiStore(ctx).piiPolicies)) },
  { method: 'POST', path: '/v1/ai-gateway/pii-policies', handler: createPiiPolicy },
  {
    method: 'GET',
    path: '/v1/ai-gateway/pii-policies/:policyId',
    handler: (ctx) => ok(ctx, found(aiStore(ctx).piiPolicies, ctx.params['policyId'], 'PII policy')),
  },
  { method: 'PATCH', path: '/v1/ai-gateway/pii-policies/:policyId', handler: updatePiiPolicy },
  {
    method: 'DELETE',
    path: '/v1/ai-gateway/pii-policies/:policyId',
    handler: (ctx) => {
      const row = found(aiStore(ctx).piiPolicies, ctx.params['policyId'], 'PII policy');
      if (referencedBy(ctx, 'pii_redact_policy_id', row.id)) throw ApiError.conflict('The policy is attached to an agent or MCP server', 'policy_in_use');
      aiStore(ctx).piiPolicies.delete(row.id);
      return ok(ctx, { id: row.id, deleted: true });
    },
  },
  { method: 'GET', path: '/v1/ai-gateway/pii-recognizers', handler: (ctx) => paginate(ctx, rowsOf(aiStore(ctx).recognizers)) },
  { method: 'POST', path: '/v1/ai-gateway/pii-recognizers', handler: createRecognizer },
  { method: 'POST', path: '/v1/ai-gateway/pii-recognizers/test', handler: testRecognizer },
  {
    method: 'GET',
    path: '/v1/ai-gateway/pii-recognizers/:recognizerId',
    handler: (ctx) => ok(ctx, found(aiStore(ctx).recognizers, ctx.params['recognizerId'], 'PII recognizer')),
  },
  { method: 'PATCH', path: '/v1/ai-gateway/pii-recognizers/:recognizerId', handler: updateRecognizer },
  {
    method: 'DELETE',
    path: '/v1/ai-gateway/pii-recognizers/:recognizerId',
    handler: (ctx) => {
      const row = found(aiStore(ctx).recognizers, ctx.params['recognizerId'], 'PII recognizer');
      const inUse = rowsOf(aiStore(ctx).piiPolicies).some((p) => (p['recognizer_ids'] as string[]).includes(row.id));
      if (inUse) throw ApiError.conflict('A PII policy still lists this recognizer; disable it with enabled: false instead', 'recognizer_in_use');
      aiStore(ctx).recognizers.delete(row.id);
      return ok(ctx, { id: row.id, deleted: true });
    },
  },
];
