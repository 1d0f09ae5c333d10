/**
 * The envelope timestamp parser reads its ISO-8601 grammar by hand (for speed); these tests
 * hold it to the regular expression and Date arithmetic it replaced, which are kept here as
 * the reference: the same number (bit for bit) or the same refusal for every input — valid
 * timestamps of every shape, and tens of thousands of near-misses built by mutating them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEnvelopeTimestamp } from '../src/webhooks/timestamps.js';

const SEED = process.env.FC_SEED === undefined ? 20260101 : Number(process.env.FC_SEED);

const REFERENCE_GRAMMAR =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?)?$/;

/** The previous implementation: a regular expression, then a UTC Date for the calendar day. */
function referenceParse(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = REFERENCE_GRAMMAR.exec(value);
  if (match === null) return undefined;
  const [, year, monthText, dayText, hour = '0', minute = '0', second = '0', fraction = '0', , sign, offsetHours = '0', offsetMinutes = '0'] =
    match as unknown as string[];
  const month = Number(monthText) - 1;
  const day = Number(dayText);
  const date = new Date(0);
  date.setUTCFullYear(Number(year), month, day);
  if (date.getUTCMonth() !== month || date.getUTCDate() !== day) return undefined;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59 || Number(offsetHours) > 23 || Number(offsetMinutes) > 59) {
    return undefined;
  }
  const offsetSeconds = (sign === '-' ? -1 : 1) * (Number(offsetHours) * 3600 + Number(offsetMinutes) * 60);
  return date.getTime() / 1000 + Number(hour) * 3600 + Number(minute) * 60 + Number(second) - offsetSeconds + Number(`0.${fraction}`);
}

function agrees(value: unknown): void {
  expect(parseEnvelopeTimestamp(value), JSON.stringify(value)).toBe(referenceParse(value));
}

const digits = (min: number, max: number, width: number) => fc.integer({ min, max }).map((n) => String(n).padStart(width, '0'));

/** Timestamps of every shape the grammar allows, including out-of-range fields. */
const grammarShaped = fc
  .tuple(
    digits(0, 9999, 4),
    digits(0, 19, 2),
    digits(0, 39, 2),
    fc.option(
      fc.tuple(
        fc.constantFrom('T', 't', ' '),
        digits(0, 29, 2),
        digits(0, 69, 2),
        fc.option(fc.tuple(digits(0, 69, 2), fc.option(fc.stringMatching(/^[0-9]{1,10}$/)))),
        fc.option(fc.oneof(fc.constantFrom('Z', 'z'), fc.tuple(fc.constantFrom('+', '-'), digits(0, 29, 2), fc.constantFrom(':', ''), digits(0, 69, 2)).map((p) => p.join('')))),
      ),
    ),
  )
  .map(([year, month, day, time]) => {
    let text = `${year}-${month}-${day}`;
    if (time !== null) {
      const [separator, hour, minute, seconds, zone] = time;
      text += `${separator}${hour}:${minute}`;
      if (seconds !== null) text += `:${seconds[0]}${seconds[1] === null ? '' : `.${seconds[1]}`}`;
      if (zone !== null) text += zone;
    }
    return text;
  });

/** A valid-looking timestamp with one character replaced, inserted or removed. */
const mutated = fc
  .tuple(grammarShaped, fc.nat(), fc.constantFrom('replace', 'insert', 'delete'), fc.constantFrom(...'0123456789-:.+TtZz \u0660x\n'.split('')))
  .map(([text, at, how, char]) => {
    const i = at % (text.length + 1);
    if (how === 'insert') return text.slice(0, i) + char + text.slice(i);
    if (how === 'delete') return text.slice(0, i) + text.slice(i + 1);
    return text.slice(0, i) + char + text.slice(i + 1);
  });

describe('parseEnvelopeTimestamp', () => {
  it('reads what toISOString writes, for every year from 0 to 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(0, 0, 1) - 1900 * 365.2425 * 86_400_000, max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }), (ms) => {
        const text = new Date(ms).toISOString();
        expect(Math.round(parseEnvelopeTimestamp(text)! * 1000)).toBe(ms);
        agrees(text);
      }),
      { numRuns: 5_000, seed: SEED },
    );
  });

  it('agrees with the reference on every grammar shape, valid or out of range', () => {
    fc.assert(fc.property(grammarShaped, agrees), { numRuns: 20_000, seed: SEED });
  });

  it('agrees with the reference on near-misses: one character replaced, inserted or removed', () => {
    fc.assert(fc.property(mutated, agrees), { numRuns: 20_000, seed: SEED });
  });

  it('agrees on the edge cases by name', () => {
    const cases: unknown[] = [
      '2026-01-01',
      '2026-01-01T00:00',
      '2026-01-01T00:00:00Z',
      '2026-01-01 00:00:00.123456789+05:30',
      '2026-01-01t23:59:59.9z',
      '2026-01-01T00:00:00-0000',
      '2024-02-29T12:00:00Z', // leap year
      '2023-02-29T12:00:00Z', // not one
      '2000-02-29', // divisible by 400
      '1900-02-29', // divisible by 100 only
      '0000-01-01T00:00:00Z', // year 0 (1 BC), before any March
      '0000-02-29', // year 0 is a leap year
      '0099-12-31', // two-digit years are taken literally
      '9999-12-31T23:59:59.999999999-23:59',
      '2026-13-01',
      '2026-00-10',
      '2026-04-31',
      '2026-04-00',
      '2026-01-01T24:00',
      '2026-01-01T00:60',
      '2026-01-01T00:00:60',
      '2026-01-01T00:00:00.',
      '2026-01-01T00:00:00.1234567890Z',
      '2026-01-01T00:00+24:00',
      '2026-01-01T00:00+05:60',
      '2026-01-01T00:00+05',
      '2026-01-01T00:00+05:3',
      '2026-01-01T00:00Z ',
      ' 2026-01-01',
      '2026-01-01T',
      '2026-01-01Z',
      '2026-1-01',
      '+2026-01-01',
      '２０２６-01-01',
      '',
      undefined,
      null,
      1767225600,
      { toString: () => '2026-01-01' },
    ];
    for (const value of cases) agrees(value);
  });
});
