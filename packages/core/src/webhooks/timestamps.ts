/**
 * Timestamp parsing for the replay window (contract webhooks.md §4): header timestamps are
 * plain decimal digits; envelope timestamps follow an explicit ISO-8601 grammar in which a
 * missing zone means UTC — never the host's local time, so results do not depend on TZ.
 */

/** Unix seconds from a digits-only header value, or undefined (also for no value). */
export function parseDigitsTimestamp(value: string | undefined): number | undefined {
  return value !== undefined && /^[0-9]+$/.test(value) ? Number(value) : undefined;
}

const DASH = 0x2d;
const COLON = 0x3a;
const DOT = 0x2e;
const PLUS = 0x2b;
const SPACE = 0x20;
const UPPER_T = 0x54;
const LOWER_T = 0x74;
const UPPER_Z = 0x5a;
const LOWER_Z = 0x7a;

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** The value of the `count` ASCII digits at `start`, or -1 (also past the end of `text`). */
function digitsAt(text: string, start: number, count: number): number {
  if (start + count > text.length) return -1;
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return -1;
    value = value * 10 + (code - 0x30);
  }
  return value;
}

/**
 * Days from 1970-01-01 to a proleptic Gregorian date, or undefined when the month or the day
 * does not exist (month 13, February 30, day 0). Civil-from-days arithmetic (eras of 400
 * years) rather than a Date: a Date per delivery cost more than the rest of this parse.
 */
function epochDays(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  if (day > monthDays) return undefined;
  // The year counted from March, so that February's leap day ends it.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/**
 * Unix seconds (with fraction) of an envelope timestamp, or undefined when invalid. The
 * grammar, read left to right by hand (a regex match and its strings cost several times more
 * per delivery):
 *
 *   YYYY-MM-DD[(T|t| )HH:MM[:SS[.f{1,9}]][Z|z|±HH:MM|±HHMM]]
 *
 * with ASCII digits only, hours ≤ 23, minutes and seconds ≤ 59, and a date that exists.
 */
export function parseEnvelopeTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  if (year < 0 || month < 0 || day < 0 || value.charCodeAt(4) !== DASH || value.charCodeAt(7) !== DASH) return undefined;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let fraction = 0;
  let sign = 1;
  let offsetHours = 0;
  let offsetMinutes = 0;
  let at = 10;
  if (value.length > at) {
    const separator = value.charCodeAt(at);
    if (separator !== UPPER_T && separator !== LOWER_T && separator !== SPACE) return undefined;
    hour = digitsAt(value, 11, 2);
    minute = digitsAt(value, 14, 2);
    if (hour < 0 || minute < 0 || value.charCodeAt(13) !== COLON) return undefined;
    at = 16;
    if (value.charCodeAt(at) === COLON) {
      second = digitsAt(value, 17, 2);
      if (second < 0) return undefined;
      at = 19;
      if (value.charCodeAt(at) === DOT) {
        let end = at + 1;
        while (end < value.length && isDigit(value.charCodeAt(end))) end++;
        const count = end - at - 1;
        if (count < 1 || count > 9) return undefined;
        fraction = Number(`0.${value.slice(at + 1, end)}`);
        at = end;
      }
    }
    const zone = value.charCodeAt(at);
    if (zone === UPPER_Z || zone === LOWER_Z) {
      at++;
    } else if (zone === PLUS || zone === DASH) {
      sign = zone === DASH ? -1 : 1;
      offsetHours = digitsAt(value, at + 1, 2);
      at += 3;
      if (value.charCodeAt(at) === COLON) at++;
      offsetMinutes = digitsAt(value, at, 2);
      if (offsetHours < 0 || offsetMinutes < 0) return undefined;
      at += 2;
    }
  }
  if (at !== value.length) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const days = epochDays(year, month, day);
  if (days === undefined) return undefined;
  const offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60);
  // The same sum, in the same order, as the UTC midnight's seconds plus the time of day.
  return days * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds + fraction;
}

/** True when `timestamp` is within `toleranceSeconds` of `now` (both directions, inclusive). */
export function withinTolerance(timestamp: number, nowSeconds: number, toleranceSeconds: number): boolean {
  return Math.abs(nowSeconds - timestamp) <= toleranceSeconds;
}
