import { gzipSync } from 'node:zlib';
import { type WebhookHmacFormat, WEBHOOK_SIGNATURE_HEADERS, signWebhook } from '@knoxcall/testing/signer';
import type { Prng } from './prng.js';
import type { RawRequest } from './raw-http.js';

/**
 * The mutation operators: each takes a valid signed delivery one hostile step away. A
 * mutation applies one to three of them (re-signing steps first, then byte and header
 * damage, then transport oddities), so most requests fail in one way and some in several.
 */

export interface MutationContext {
  format: WebhookHmacFormat;
  secret: string;
  /** The signature header of `custom`. */
  headerName: string;
  maxBodyBytes: number;
  /** Unix seconds when the suite signed its deliveries (timestamps are placed relative to it). */
  now: number;
}

export interface Mutant extends RawRequest {
  headers: Array<[string, string]>;
  /** What was done, in order (reported with a failure). */
  labels: string[];
}

interface Operator {
  name: string;
  /** 0: re-sign a new delivery; 1: damage bytes and headers; 2: transport. */
  stage: 0 | 1 | 2;
  weight: number;
  formats?: readonly WebhookHmacFormat[];
  /** Returns (or resolves to) a string detail for the label, or nothing. */
  apply(m: Mutant, rng: Prng, ctx: MutationContext): unknown;
}

const ENVELOPE_FORMATS: readonly WebhookHmacFormat[] = ['legacy', 'github', 'custom', 'aws-sns'];
const utf8 = new TextEncoder();

export function signatureHeaderNames(ctx: MutationContext): string[] {
  switch (ctx.format) {
    case 'custom':
      return [ctx.headerName];
    case 'slack':
      return [WEBHOOK_SIGNATURE_HEADERS.slack, WEBHOOK_SIGNATURE_HEADERS.slackTimestamp];
    default:
      return [WEBHOOK_SIGNATURE_HEADERS[ctx.format]];
  }
}

const isNamed = (name: string) => (header: readonly [string, string]) => header[0].toLowerCase() === name.toLowerCase();

/** The KnoxCall envelope with the given timestamp member (`undefined` leaves it out). */
export function envelope(timestamp: unknown, data: unknown = { route_id: 'r_1', amount: 42 }, event: unknown = 'request.success'): Record<string, unknown> {
  return { event, ...(timestamp === undefined ? {} : { timestamp }), webhook_id: 'wh_adv', webhook_name: 'adversarial', data };
}

export function isoAt(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/** Replaces the delivery with `body` signed correctly (header timestamp `timestamp` for stripe/slack). */
async function resign(m: Mutant, ctx: MutationContext, body: string | Uint8Array, timestamp: number | string = ctx.now): Promise<void> {
  const bytes = typeof body === 'string' ? utf8.encode(body) : body;
  const signature = await signWebhook({ body: bytes, secret: ctx.secret, format: ctx.format, headerName: ctx.headerName, timestamp });
  const names = signatureHeaderNames(ctx).map((n) => n.toLowerCase());
  m.headers = m.headers.filter(([name]) => !names.includes(name.toLowerCase()));
  m.headers.unshift(...Object.entries(signature));
  m.body = bytes;
}

/** Bodies that verify but are not a usable event, or are one in an unusual spelling. */
function oddSignedBody(rng: Prng, ctx: MutationContext): { label: string; body: string | Uint8Array } {
  const ts = isoAt(ctx.now);
  const pretty = JSON.stringify(envelope(ts), null, 2);
  const room = Math.max(16, ctx.maxBodyBytes - 64);
  const choices: Array<[string, () => string | Uint8Array]> = [
    ['empty', () => ''],
    ['array', () => '[1,2]'],
    ['string', () => '"request.success"'],
    ['number', () => '42'],
    ['null', () => 'null'],
    ['true', () => 'true'],
    ['open brace', () => '{'],
    ['cut JSON', () => pretty.slice(0, rng.int(1, pretty.length - 1))],
    ['not JSON', () => 'event=request.success'],
    ['BOM then envelope', () => `\uFEFF${pretty}`],
    ['invalid UTF-8', () => new Uint8Array([0xff, 0xfe, 0x7b, 0x7d])],
    ['invalid UTF-8 in a string', () => new Uint8Array([...utf8.encode(pretty.slice(0, -1)), 0x2c, 0x22, 0x78, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d])],
    ['deep arrays', () => '['.repeat(room)],
    ['deep objects', () => `${'{"a":'.repeat(Math.floor(room / 6))}1${'}'.repeat(Math.floor(room / 6))}`],
    ['duplicate keys', () => `{"event":"audit.event","event":"request.success","timestamp":"${ts}","data":{}}`],
    [
      '__proto__ member',
      () => `{"event":"request.success","timestamp":"${ts}","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"data":{}}`,
    ],
    ['event not a string', () => JSON.stringify({ ...envelope(ts), event: rng.pick([42, null, ['request.success'], { a: 1 }, true]) })],
    ['no event member', () => JSON.stringify({ timestamp: ts, data: {} })],
    ['unicode and NUL', () => JSON.stringify(envelope(ts, { s: 'é\u0000\u2028😀\uD800', n: 1e308 }))],
    ['huge number', () => `{"event":"request.success","timestamp":"${ts}","data":{"n":1e400}}`],
    ['compact', () => JSON.stringify(envelope(ts))],
    ['whitespace around', () => `  \n\t${pretty}\n  `],
  ];
  const [label, make] = rng.pick(choices);
  return { label, body: make() };
}

/** Envelope timestamps: valid spellings of now, and invalid or out-of-window values. */
function envelopeTimestamp(rng: Prng, ctx: MutationContext): { label: string; value: unknown } {
  const iso = isoAt(ctx.now);
  const choices: Array<[string, unknown]> = [
    ['missing', undefined],
    ['number', ctx.now],
    ['null', null],
    ['empty', ''],
    ['words', 'yesterday'],
    ['impossible date', '2026-13-45T99:99:99Z'],
    ['nine fraction digits', iso.replace(/\.\d+Z$/, '.123456789Z')],
    ['lower-case t and z', iso.replace('T', 't').replace('Z', 'z')],
    ['no zone', iso.slice(0, 19)],
    ['+05:30 offset', new Date((ctx.now + 5.5 * 3600) * 1000).toISOString().slice(0, 19) + '+05:30'],
    ['year 275760', '+275760-09-13T00:00:00Z'],
    ['stale', isoAt(ctx.now - rng.int(4000, 10_000_000))],
    ['future', isoAt(ctx.now + rng.int(4000, 10_000_000))],
    ['60 s old', isoAt(ctx.now - 60)],
    ['very long', `${iso}${'0'.repeat(2000)}`],
  ];
  const [label, value] = rng.pick(choices);
  return { label, value };
}

/** Header timestamps for stripe/slack, signed as written. */
function headerTimestamp(rng: Prng, ctx: MutationContext): string | number {
  return rng.pick<string | number>([
    ctx.now - rng.int(4000, 10_000_000),
    ctx.now + rng.int(4000, 10_000_000),
    ctx.now - 60,
    'abc',
    '-5',
    '1e9',
    '0x10',
    `+${ctx.now}`,
    `${ctx.now}.5`,
    `000${ctx.now}`,
    '99999999999999999999999',
  ]);
}

function randomPrintable(rng: Prng, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String.fromCharCode(rng.int(0x20, 0x7e));
  return out;
}

function randomToken(rng: Prng, length: number): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!#$%&'*+^`|~";
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[rng.int(0, alphabet.length - 1)];
  return out;
}

function randomCase(rng: Prng, text: string): string {
  return [...text].map((c) => (rng.chance(0.5) ? c.toUpperCase() : c.toLowerCase())).join('');
}

/** A signature header present on the mutant (picked at random), or undefined. */
function pickSignature(m: Mutant, rng: Prng, ctx: MutationContext): [string, string] | undefined {
  const names = signatureHeaderNames(ctx).map((n) => n.toLowerCase());
  const present = m.headers.filter(([name]) => names.includes(name.toLowerCase()));
  return present.length === 0 ? undefined : rng.pick(present);
}

/** Runs `act` on one of the mutant's signature headers (picked at random); its result labels the step. */
function onSignatureHeader(m: Mutant, rng: Prng, ctx: MutationContext, act: (header: [string, string]) => string | undefined): string | undefined {
  const header = pickSignature(m, rng, ctx);
  return header === undefined ? 'no signature header left' : act(header);
}

function editSignature(m: Mutant, rng: Prng, ctx: MutationContext, edit: (value: string) => string): string | undefined {
  return onSignatureHeader(m, rng, ctx, (header) => {
    header[1] = edit(header[1]);
    return undefined;
  });
}

const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json-patch',
  'application/jsonp',
  'application/octet-stream',
  'application/xml',
  'json',
  'application/',
  'application/+json',
  'APPLICATION/JSON',
  'application/json ; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json;;;;',
  'application/json; charset="weird; value"',
  'application/vnd.api+json',
  'application/cloudevents+json; charset=utf-8',
  'application/json\u00e9',
  '*/*',
  '',
];

const OPERATORS: readonly Operator[] = [
  {
    name: 'resign odd body',
    stage: 0,
    weight: 6,
    async apply(m, rng, ctx) {
      const { label, body } = oddSignedBody(rng, ctx);
      await resign(m, ctx, body);
      return label;
    },
  },
  {
    name: 'resign envelope timestamp',
    stage: 0,
    weight: 4,
    formats: ENVELOPE_FORMATS,
    async apply(m, rng, ctx) {
      const { label, value } = envelopeTimestamp(rng, ctx);
      await resign(m, ctx, JSON.stringify(envelope(value), null, rng.chance(0.5) ? 2 : undefined));
      return label;
    },
  },
  {
    name: 'resign header timestamp',
    stage: 0,
    weight: 4,
    formats: ['stripe', 'slack'],
    async apply(m, rng, ctx) {
      const timestamp = headerTimestamp(rng, ctx);
      await resign(m, ctx, JSON.stringify(envelope(isoAt(ctx.now)), null, 2), timestamp);
      return String(timestamp);
    },
  },
  {
    name: 'resign with another secret',
    stage: 0,
    weight: 1,
    async apply(m, rng, ctx) {
      await resign(m, { ...ctx, secret: rng.pick(['whsec_wrong', `${ctx.secret} `, ctx.secret.toUpperCase(), ctx.secret.replace('whsec_', '')]) }, m.body);
    },
  },
  {
    name: 'flip a body bit',
    stage: 1,
    weight: 6,
    apply(m, rng) {
      if (m.body.byteLength === 0) return 'empty body';
      const body = m.body.slice();
      const at = rng.int(0, body.byteLength - 1);
      body[at] = body[at]! ^ (1 << rng.int(0, 7));
      m.body = body;
      return `byte ${at}`;
    },
  },
  {
    name: 'insert body bytes',
    stage: 1,
    weight: 4,
    apply(m, rng) {
      const at = rng.int(0, m.body.byteLength);
      const insert = Array.from({ length: rng.int(1, 4) }, () => rng.pick([0x00, 0x20, 0x22, 0x5c, 0x7b, 0x7d, 0xc3, 0xff, rng.int(0, 255)]));
      m.body = new Uint8Array([...m.body.subarray(0, at), ...insert, ...m.body.subarray(at)]);
      return `at ${at}`;
    },
  },
  {
    name: 'delete body bytes',
    stage: 1,
    weight: 4,
    apply(m, rng) {
      if (m.body.byteLength === 0) return 'empty body';
      const at = rng.int(0, m.body.byteLength - 1);
      const count = rng.int(1, 8);
      m.body = new Uint8Array([...m.body.subarray(0, at), ...m.body.subarray(at + count)]);
      return `${count} at ${at}`;
    },
  },
  {
    name: 'truncate body',
    stage: 1,
    weight: 3,
    apply(m, rng) {
      const length = rng.int(0, Math.max(0, m.body.byteLength - 1));
      m.body = m.body.slice(0, length);
      return `to ${length}`;
    },
  },
  {
    name: 'append whitespace',
    stage: 1,
    weight: 2,
    apply(m, rng) {
      m.body = new Uint8Array([...m.body, ...utf8.encode(rng.pick(['\n', ' ', '\r\n', '\t']))]);
    },
  },
  {
    name: 'oversize body',
    stage: 1,
    weight: 3,
    async apply(m, rng, ctx) {
      const extra = rng.int(1, 4096);
      const body = new Uint8Array(ctx.maxBodyBytes + extra).fill(0x20);
      body.set(m.body.subarray(0, Math.min(m.body.byteLength, body.byteLength)));
      if (rng.chance(0.5)) {
        await resign(m, ctx, body);
        return `${body.byteLength} bytes, signed`;
      }
      m.body = body;
      return `${body.byteLength} bytes`;
    },
  },
  {
    name: 'change a signature character',
    stage: 1,
    weight: 6,
    apply(m, rng, ctx) {
      return editSignature(m, rng, ctx, (value) => {
        if (value.length === 0) return randomPrintable(rng, 1);
        const at = rng.int(0, value.length - 1);
        // Never the same character: the outcome must not depend on the signature's bytes of the day.
        const code = value.charCodeAt(at);
        const from = code >= 0x20 && code <= 0x7e ? code - 0x20 : 0; // tab or non-ASCII: any printable differs
        let replacement = String.fromCharCode(0x20 + ((from + rng.int(1, 94)) % 95));
        // Nor only its case: hex compares case-insensitively, so that would depend on the day's signature too.
        if (replacement.toLowerCase() === value[at]!.toLowerCase())
          replacement = replacement === '~' ? ' ' : String.fromCharCode(replacement.charCodeAt(0) + 1);
        return value.slice(0, at) + replacement + value.slice(at + 1);
      });
    },
  },
  {
    name: 'change signature case',
    stage: 1,
    weight: 3,
    apply(m, rng, ctx) {
      return editSignature(m, rng, ctx, (value) => (rng.chance(0.5) ? value.toUpperCase() : randomCase(rng, value)));
    },
  },
  {
    name: 'remove a signature header',
    stage: 1,
    weight: 3,
    apply(m, rng, ctx) {
      return onSignatureHeader(m, rng, ctx, (header) => {
        m.headers = m.headers.filter((h) => h !== header);
        return header[0];
      });
    },
  },
  {
    name: 'empty a signature header',
    stage: 1,
    weight: 2,
    apply(m, rng, ctx) {
      return editSignature(m, rng, ctx, () => rng.pick(['', ' ', '\t']));
    },
  },
  {
    name: 'pad a signature with whitespace',
    stage: 1,
    weight: 2,
    apply(m, rng, ctx) {
      return editSignature(m, rng, ctx, (value) => `${rng.pick(['', ' ', '\t', '  '])}${value}${rng.pick(['', ' ', '\t '])}`);
    },
  },
  {
    name: 'truncate or extend a signature',
    stage: 1,
    weight: 3,
    apply(m, rng, ctx) {
      return editSignature(m, rng, ctx, (value) =>
        rng.chance(0.5) ? value.slice(0, rng.int(0, Math.max(0, value.length - 1))) : value + randomPrintable(rng, rng.int(1, 600)),
      );
    },
  },
  {
    name: 'duplicate a signature header',
    stage: 1,
    weight: 4,
    apply(m, rng, ctx) {
      return onSignatureHeader(m, rng, ctx, (header) => {
        const other: [string, string] = [
          rng.chance(0.5) ? header[0] : randomCase(rng, header[0]),
          rng.pick([header[1], '', `sha256=${'0'.repeat(64)}`, randomPrintable(rng, 20)]),
        ];
        const at = m.headers.indexOf(header);
        m.headers.splice(rng.chance(0.5) ? at : at + 1, 0, other);
        return JSON.stringify(other[1]).slice(0, 40);
      });
    },
  },
  {
    name: 'odd-case header names',
    stage: 1,
    weight: 3,
    apply(m, rng) {
      for (const header of m.headers) header[0] = randomCase(rng, header[0]);
    },
  },
  {
    name: 'non-ASCII in a signature',
    stage: 1,
    weight: 2,
    apply(m, rng, ctx) {
      return editSignature(m, rng, ctx, (value) => {
        const at = rng.int(0, value.length);
        return value.slice(0, at) + String.fromCharCode(rng.int(0x80, 0xff)) + value.slice(at);
      });
    },
  },
  {
    name: "another format's header",
    stage: 1,
    weight: 2,
    apply(m, rng, ctx) {
      return onSignatureHeader(m, rng, ctx, (header) => {
        header[0] = rng.pick([
          'X-Webhook-Signature',
          'X-Hub-Signature-256',
          'Stripe-Signature',
          'X-Slack-Signature',
          'x-amz-sns-signature',
          'X-Acme-Signature',
          'X-Signature',
        ]);
        return header[0];
      });
    },
  },
  {
    name: 'rearrange Stripe-Signature parts',
    stage: 1,
    weight: 5,
    formats: ['stripe'],
    apply(m, rng, ctx) {
      return editSignature(m, rng, ctx, (value) => {
        const parts = value.split(',');
        const edits: Array<() => string[]> = [
          () => parts.slice().reverse(),
          () => parts.filter((p) => !p.startsWith('t=')),
          () => parts.filter((p) => !p.startsWith('v1=')),
          () => [...parts, `t=${ctx.now - 9999}`],
          () => [`t=${ctx.now - 9999}`, ...parts],
          () => [...parts, 'v0=abc', '', '=', 't=', 'v1='],
          () => [...parts, `v1=${'0'.repeat(64)}`],
          () => parts.map((p) => p.replace('=', ' = ')),
          () => parts.map((p) => ` ${p} `),
          () => [parts.join(';')],
          // Many candidates (bounded so the head stays under Node's 16 KiB header limit).
          () => [...parts, ...Array.from({ length: rng.int(10, 100) }, () => `v1=${'f'.repeat(64)}`)],
        ];
        return rng.pick(edits)().join(',');
      });
    },
  },
  {
    name: 'change the Slack timestamp header',
    stage: 1,
    weight: 4,
    formats: ['slack'],
    apply(m, rng) {
      const header = m.headers.find(isNamed(WEBHOOK_SIGNATURE_HEADERS.slackTimestamp));
      if (header === undefined) return 'none left';
      header[1] = String(rng.pick<string | number>([Number(header[1]) + 1, Number(header[1]) - 4000, 'abc', '', ` ${header[1]} `, `${header[1]}0`]));
      return header[1];
    },
  },
  {
    name: 'odd Content-Type',
    stage: 2,
    weight: 5,
    apply(m, rng) {
      const value = rng.pick(CONTENT_TYPES);
      const mode = rng.pick(['replace', 'remove', 'duplicate'] as const);
      const others = m.headers.filter((h) => !isNamed('content-type')(h));
      if (mode === 'remove') m.headers = others;
      else if (mode === 'replace') m.headers = [...others, ['Content-Type', value]];
      else m.headers.push([rng.pick(['Content-Type', 'content-type', 'CONTENT-TYPE']), value]);
      return `${mode} ${JSON.stringify(value)}`;
    },
  },
  {
    name: 'Content-Encoding on a plain body',
    stage: 2,
    weight: 2,
    apply(m, rng) {
      const value = rng.pick(['gzip', 'deflate', 'br', 'identity', 'x-unknown', 'gzip, deflate', '']);
      m.headers.push(['Content-Encoding', value]);
      return value;
    },
  },
  {
    name: 'gzipped body',
    stage: 2,
    weight: 2,
    async apply(m, rng, ctx) {
      const zipped = new Uint8Array(gzipSync(m.body));
      m.headers.push(['Content-Encoding', 'gzip']);
      if (rng.chance(0.5)) {
        await resign(m, ctx, zipped);
        return 'signature over the gzipped bytes';
      }
      m.body = zipped;
      return 'signature over the plain bytes';
    },
  },
  {
    name: 'chunked framing',
    stage: 2,
    weight: 3,
    apply(m, rng) {
      m.chunks = Array.from({ length: rng.int(1, 12) }, () => rng.int(1, 512));
    },
  },
  {
    name: 'junk headers',
    stage: 2,
    weight: 3,
    apply(m, rng) {
      const realistic: Array<[string, string]> = [
        ['User-Agent', 'KnoxCall-Webhooks/1.0'],
        ['Accept-Encoding', 'gzip, br'],
        ['X-Forwarded-For', '203.0.113.9, 10.0.0.1'],
        ['X-Request-Id', randomToken(rng, 20)],
        ['traceparent', rng.chance(0.5) ? '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' : randomPrintable(rng, 40)],
        ['Cookie', `session=${randomToken(rng, 30)}`],
        ['Authorization', `Bearer ${randomToken(rng, 30)}`],
        ['X-Webhook-ID', randomToken(rng, 12)],
        ['X-Webhook-Event', 'request.success'],
        ['Expect', '100-continue'],
      ];
      const count = rng.int(1, 30);
      for (let i = 0; i < count; i++) {
        const header: [string, string] = rng.chance(0.5)
          ? rng.pick(realistic)
          : [`X-Junk-${randomToken(rng, rng.int(1, 30))}`, randomPrintable(rng, rng.int(0, 100))];
        // Once each: a repeated Expect is refused by Node's HTTP server itself (417), before any adapter.
        if (!m.headers.some(isNamed(header[0]))) m.headers.push(header);
      }
      return `${count}`;
    },
  },
];

/** Builds mutation number `index` of a base delivery; the same index and seed give the same steps. */
export async function mutate(base: { body: Uint8Array; headers: ReadonlyArray<readonly [string, string]> }, rng: Prng, ctx: MutationContext): Promise<Mutant> {
  const m: Mutant = { path: '', body: base.body, headers: base.headers.map(([n, v]) => [n, v] as [string, string]), labels: [] };
  const usable = OPERATORS.filter((op) => op.formats === undefined || op.formats.includes(ctx.format));
  const total = usable.reduce((sum, op) => sum + op.weight, 0);
  const count = 1 + (rng.chance(0.35) ? 1 : 0) + (rng.chance(0.15) ? 1 : 0);
  const chosen: Operator[] = [];
  for (let i = 0; i < count; i++) {
    let roll = rng.next() * total;
    let op = usable[usable.length - 1]!;
    for (const candidate of usable) {
      roll -= candidate.weight;
      if (roll < 0) {
        op = candidate;
        break;
      }
    }
    chosen.push(op);
  }
  chosen.sort((a, b) => a.stage - b.stage);
  for (const op of chosen) {
    const detail = await op.apply(m, rng, ctx);
    m.labels.push(typeof detail === 'string' ? `${op.name} (${detail})` : op.name);
  }
  return m;
}
