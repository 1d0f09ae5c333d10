import { type KeyObject, createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isIP } from 'node:net';

/**
 * A minimal DER encoder and X.509 v3 certificate / v2 CRL builder (ECDSA P-256 + SHA-256), so
 * the emulated PKI issues certificates that parse with `new crypto.X509Certificate(pem)` without
 * any dependency. Only what the emulator needs: names, validity, SAN, basic constraints, key usage.
 */

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), len(content.length), content]);
}

const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const explicit = (n: number, inner: Buffer) => tlv(0xa0 + n, inner);

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [40 * parts[0]! + parts[1]!];
  for (const p of parts.slice(2)) {
    const stack: number[] = [p & 0x7f];
    for (let v = p >>> 7; v > 0; v >>>= 7) stack.unshift((v & 0x7f) | 0x80);
    out.push(...stack);
  }
  return tlv(0x06, Buffer.from(out));
}

function integer(bytes: Buffer): Buffer {
  let b = bytes;
  while (b.length > 1 && b[0] === 0 && (b[1]! & 0x80) === 0) b = b.subarray(1);
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

const smallInt = (n: number) => integer(Buffer.from([n]));
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const octets = (b: Buffer) => tlv(0x04, b);
const bitString = (b: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const printable = (s: string) => tlv(0x13, Buffer.from(s, 'ascii'));

function time(d: Date): Buffer {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS
  return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

/** Subject fields as the API takes them (snake_case). */
export interface SubjectFields {
  common_name?: string;
  organization?: string;
  organizational_unit?: string;
  country?: string;
  locality?: string;
  province?: string;
  [other: string]: unknown;
}

const NAME_OIDS: Array<[keyof SubjectFields, string]> = [
  ['country', '2.5.4.6'],
  ['province', '2.5.4.8'],
  ['locality', '2.5.4.7'],
  ['organization', '2.5.4.10'],
  ['organizational_unit', '2.5.4.11'],
  ['common_name', '2.5.4.3'],
];

function name(subject: SubjectFields): Buffer {
  const rdns: Buffer[] = [];
  for (const [field, o] of NAME_OIDS) {
    const v = subject[field];
    if (typeof v !== 'string' || v === '') continue;
    rdns.push(set(seq(oid(o), field === 'country' ? printable(v) : utf8(v))));
  }
  return seq(...rdns);
}

/** `CN=…, O=…` for display. */
export function subjectString(subject: SubjectFields): string {
  const short: Record<string, string> = { common_name: 'CN', organization: 'O', organizational_unit: 'OU', country: 'C', locality: 'L', province: 'ST' };
  return NAME_OIDS.filter(([f]) => typeof subject[f] === 'string' && subject[f] !== '')
    .map(([f]) => `${short[f as string]}=${String(subject[f])}`)
    .reverse()
    .join(', ');
}

function extension(o: string, critical: boolean, value: Buffer): Buffer {
  return critical ? seq(oid(o), bool(true), octets(value)) : seq(oid(o), octets(value));
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  const [head = '', tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return Buffer.concat(groups.map((g) => Buffer.from(g.padStart(4, '0'), 'hex')));
}

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function newEcKeyPair(): KeyPair {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

export interface CertificateInput {
  subject: SubjectFields;
  issuer: SubjectFields;
  publicKey: KeyObject;
  signingKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  isCa: boolean;
  sanDns?: string[];
  sanIp?: string[];
  /** Hex; random 16 bytes when omitted. */
  serialHex?: string;
}

function toPem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`;
}

export function newSerialHex(): string {
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f; // positive, no leading-zero surprises
  return b.toString('hex');
}

export function createCertificate(input: CertificateInput): { pem: string; serialHex: string } {
  const serialHex = input.serialHex ?? newSerialHex();
  const spki = input.publicKey.export({ type: 'spki', format: 'der' });
  const exts: Buffer[] = [];
  exts.push(extension('2.5.29.19', true, input.isCa ? seq(bool(true)) : seq()));
  // keyUsage: CA → keyCertSign|cRLSign (bits 5,6); leaf → digitalSignature|keyEncipherment (bits 0,2).
  exts.push(extension('2.5.29.15', true, input.isCa ? tlv(0x03, Buffer.from([1, 0x06])) : tlv(0x03, Buffer.from([5, 0xa0]))));
  exts.push(extension('2.5.29.14', false, octets(createHash('sha1').update(spki).digest())));
  const sans = [...(input.sanDns ?? []).map((d) => tlv(0x82, Buffer.from(d, 'ascii'))), ...(input.sanIp ?? []).map((ip) => tlv(0x87, ipBytes(ip)))];
  if (sans.length) exts.push(extension('2.5.29.17', false, seq(...sans)));
  const tbs = seq(
    explicit(0, smallInt(2)),
    integer(Buffer.from(serialHex, 'hex')),
    ECDSA_SHA256,
    name(input.issuer),
    seq(time(input.notBefore), time(input.notAfter)),
    name(input.subject),
    Buffer.from(spki),
    tlv(0xa3, seq(...exts)),
  );
  const signature = sign('sha256', tbs, { key: input.signingKey, dsaEncoding: 'der' });
  return { pem: toPem('CERTIFICATE', seq(tbs, ECDSA_SHA256, bitString(signature))), serialHex };
}

export function createCrl(input: {
  issuer: SubjectFields;
  signingKey: KeyObject;
  thisUpdate: Date;
  nextUpdate: Date;
  revoked: Array<{ serialHex: string; at: Date }>;
}): string {
  const items: Buffer[] = [smallInt(1), ECDSA_SHA256, name(input.issuer), time(input.thisUpdate), time(input.nextUpdate)];
  if (input.revoked.length) items.push(seq(...input.revoked.map((r) => seq(integer(Buffer.from(r.serialHex, 'hex')), time(r.at)))));
  const tbs = seq(...items);
  const signature = sign('sha256', tbs, { key: input.signingKey, dsaEncoding: 'der' });
  return toPem('X509 CRL', seq(tbs, ECDSA_SHA256, bitString(signature)));
}

export function privateKeyPem(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}
