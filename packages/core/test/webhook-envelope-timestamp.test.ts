/**
 * The envelope timestamp parser reads its fields as digits rather than with `Number()`; this
 * checks it against a reference written straight from the grammar with `Number()`
 * conversions, on generated timestamps — valid ones, ones with a field out of range, ones with
 * trailing text — and arbitrary strings, so that the two agree value for value.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEnvelopeTimestamp } from '../src/webhooks/timestamps.js';

const SEED = process.env.FC_SEED === undefined ? 20260101 : Number(process.env.FC_SEED);

const GRAMMAR = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?)?$/;

/** YYYY-MM-DD[(T|t| )HH:MM[:SS[.f{1,9}]][Z|z|±HH:MM|±HHMM]], read with Number(). */
function reference(value: string): number | undefined {
  const match = GRAMMAR.exec(value);
  if (match === null) return undefined;
  const [, year, monthText, dayText, hour = '0', minute = '0', second = '0', fraction = '0', , sign, offsetHours = '0', offsetMinutes = '0'] =
    match as unknown as string[];
  const month = Number(monthText) - 1;
  const day = Number(dayText);
  const date = new Date(0);
  date.setUTCFullYear(Number(year), month, day);
  if (date.getUTCMonth() !== month || date.getUTCDate() !== day) return undefined;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59 || Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return undefined;
  const offsetSeconds = (sign === '-' ? -1 : 1) * (Number(offsetHours) * 3600 + Number(offsetMinutes) * 60);
  return date.getTime() / 1000 + Number(hour) * 3600 + Number(minute) * 60 + Number(second) - offsetSeconds + Number(`0.${fraction}`);
}

const digits = (min: number, max: number, width: number) => fc.integer({ min, max }).map((n) => String(n).padStart(width, '0'));
/** Fields mostly in range, sometimes just out of it (month 13, day 31 of a short month, hour 24). */
const timestampArb = fc
  .record({
    year: digits(0, 9999, 4),
    month: digits(0, 13, 2),
    day: digits(0, 32, 2),
    time: fc.option(
      fc.record({
        separator: fc.constantFrom('T', 't', ' '),
        hour: digits(0, 24, 2),
        minute: digits(0, 60, 2),
        second: fc.option(fc.record({ value: digits(0, 60, 2), fraction: fc.option(fc.stringMatching(/^\d{1,10}$/), { nil: undefined }) }), {
          nil: undefined,
        }),
        zone: fc.option(
          fc.oneof(
            fc.constantFrom('Z', 'z'),
            fc.record({ sign: fc.constantFrom('+', '-'), hours: digits(0, 24, 2), colon: fc.constantFrom(':', ''), minutes: digits(0, 60, 2) }),
          ),
          { nil: undefined },
        ),
      }),
      { nil: undefined },
    ),
  })
  .map(({ year, month, day, time }) => {
    let text = `${year}-${month}-${day}`;
    if (time === undefined) return text;
    text += `${time.separator}${time.hour}:${time.minute}`;
    if (time.second !== undefined) text += `:${time.second.value}${time.second.fraction === undefined ? '' : `.${time.second.fraction}`}`;
    if (typeof time.zone === 'string') text += time.zone;
    else if (time.zone !== undefined) text += `${time.zone.sign}${time.zone.hours}${time.zone.colon}${time.zone.minutes}`;
    return text;
  });

const utcSeconds = (...fields: [number, number, number, number, number, number]): number => Date.UTC(...fields) / 1000;

describe('parseEnvelopeTimestamp', () => {
  it('agrees with the grammar read with Number(), value for value', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          timestampArb,
          fc.string(),
          timestampArb.map((text) => `${text}x`),
        ),
        (text) => {
          const expected = reference(text);
          if (expected !== undefined) accepted++;
          expect(parseEnvelopeTimestamp(text)).toBe(expected);
        },
      ),
      { numRuns: 20_000, seed: SEED },
    );
    // The generator must reach the accepting paths, not only the rejections.
    expect(accepted).toBeGreaterThan(2_000);
  });

  it('knows the calendar: leap years by the 4/100/400 rule, month lengths, the year 0000 and 9999', () => {
    const utc = (year: number, month: number, day: number, ...time: number[]): number => {
      const date = new Date(Date.UTC(2000, 0, 1, ...(time as [])));
      date.setUTCFullYear(year, month - 1, day);
      return date.getTime() / 1000;
    };
    for (const leap of ['2000', '2024', '1996', '0400', '0000', '1600']) expect(parseEnvelopeTimestamp(`${leap}-02-29`)).toBe(utc(Number(leap), 2, 29));
    for (const common of ['1900', '2100', '2023', '0100', '1800', '2026']) expect(parseEnvelopeTimestamp(`${common}-02-29`)).toBeUndefined();
    const lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    lengths.forEach((length, index) => {
      const month = String(index + 1).padStart(2, '0');
      expect(parseEnvelopeTimestamp(`2026-${month}-${length}T12:00Z`)).toBe(utc(2026, index + 1, length, 12));
      expect(parseEnvelopeTimestamp(`2026-${month}-${length + 1}T12:00Z`)).toBeUndefined();
      expect(parseEnvelopeTimestamp(`2026-${month}-00`)).toBeUndefined();
    });
    expect(parseEnvelopeTimestamp('2026-00-10')).toBeUndefined();
    expect(parseEnvelopeTimestamp('2026-13-10')).toBeUndefined();
    expect(parseEnvelopeTimestamp('0000-01-01T00:00:00Z')).toBe(-62167219200);
    expect(parseEnvelopeTimestamp('0000-01-01T00:00:00+23:59')).toBe(-62167219200 - 23 * 3600 - 59 * 60);
    expect(parseEnvelopeTimestamp('9999-12-31T23:59:59.999999999-23:59')).toBe(253402300799 + 23 * 3600 + 59 * 60 + 0.999999999);
    expect(parseEnvelopeTimestamp('1970-01-01')).toBe(0);
    expect(parseEnvelopeTimestamp('1969-12-31T23:59:59.5Z')).toBe(-0.5);
  });

  it('reads out-of-range times and offsets as invalid, each field at its limit as valid', () => {
    expect(parseEnvelopeTimestamp('2026-01-02T23:59:59+23:59')).toBe(utcSeconds(2026, 0, 2, 23, 59, 59) - 23 * 3600 - 59 * 60);
    for (const bad of [
      '2026-01-02T24:00',
      '2026-01-02T00:60',
      '2026-01-02T00:00:60',
      '2026-01-02T00:00+24:00',
      '2026-01-02T00:00-00:60',
      '2026-01-02T00:00+0060',
    ]) {
      expect(parseEnvelopeTimestamp(bad)).toBeUndefined();
    }
    for (let digits = 1; digits <= 9; digits++) {
      expect(parseEnvelopeTimestamp(`2026-01-02T03:04:05.${'7'.repeat(digits)}Z`)).toBe(utcSeconds(2026, 0, 2, 3, 4, 5) + Number(`0.${'7'.repeat(digits)}`));
    }
  });

  it('reads the forms senders write', () => {
    expect(parseEnvelopeTimestamp('2026-01-02T03:04:05.678Z')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5, 678) / 1000);
    expect(parseEnvelopeTimestamp('2026-01-02T03:04:05Z')).toBe(Date.UTC(2026, 0, 2, 3, 4, 5) / 1000);
    expect(parseEnvelopeTimestamp('2026-01-02T03:04:05+01:30')).toBe(Date.UTC(2026, 0, 2, 1, 34, 5) / 1000);
    expect(parseEnvelopeTimestamp('2026-01-02 03:04-0100')).toBe(Date.UTC(2026, 0, 2, 4, 4) / 1000);
    expect(parseEnvelopeTimestamp('2026-01-02')).toBe(Date.UTC(2026, 0, 2) / 1000);
    expect(parseEnvelopeTimestamp('0099-01-01')).toBe(-59042995200); // years below 100 are literal
    expect(parseEnvelopeTimestamp('2026-02-29T00:00:00Z')).toBeUndefined();
    expect(parseEnvelopeTimestamp('2026-01-02T24:00:00Z')).toBeUndefined();
    expect(parseEnvelopeTimestamp('2026-01-02T03:04:05+24:00')).toBeUndefined();
    expect(parseEnvelopeTimestamp('2026-01-02T03:04:05.1234567890Z')).toBeUndefined();
    expect(parseEnvelopeTimestamp(1767322800)).toBeUndefined();
  });
});
