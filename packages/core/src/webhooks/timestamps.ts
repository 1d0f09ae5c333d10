/**
 * Timestamp parsing for the replay window (contract webhooks.md §4): header timestamps are
 * plain decimal digits; envelope timestamps follow an explicit ISO-8601 grammar in which a
 * missing zone means UTC — never the host's local time, so results do not depend on TZ.
 */

/** Unix seconds from a digits-only header value, or undefined (also for no value). */
export function parseDigitsTimestamp(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

// YYYY-MM-DD[(T|t| )HH:MM[:SS[.f{1,9}]][Z|z|±HH:MM|±HHMM]], checked with `test`: a match
// array of ten strings per delivery is most of what `exec` would cost. Every field sits at a
// fixed place after the one before it, so it is read there.
const ISO_DATE_TIME = /^\d{4}-\d\d-\d\d(?:[Tt ]\d\d:\d\d(?::\d\d(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d\d:?\d\d)?)?$/;

/**
 * Where `field` reads: the timestamp being parsed, the place in it, and 10^(digits of the
 * last field). Module state, not a closure over the value: parsing runs start to end without
 * yielding, and a closure would be one more allocation per delivery.
 */
let text = '';
let at = 0;
let scale = 1;

/**
 * The next field: the digits from `at` (at most `width` of them; a part that is absent, past
 * the end or not digits, reads 0), leaving `at` after the separator that follows. Not
 * `Number()`: that is V8's general string-to-number conversion, a runtime call.
 */
function field(width = 2): number {
  let number = 0;
  scale = 1;
  for (let code = text.charCodeAt(at); width-- > 0 && code >= 48 && code <= 57; code = text.charCodeAt(++at)) {
    number = number * 10 + code - 48;
    scale *= 10;
  }
  at++;
  return number;
}

/**
 * Days from 1970-01-01 to the first of a month plus `day - 1`, in the proleptic Gregorian
 * calendar (what JS dates use). Years are counted from March, so a leap day ends its year
 * and month 13 is January of the next year; and 400 years ahead, so every year is positive.
 * 865566: 1970-01-01 counted that way, plus one (`day` counts from 1).
 */
function daysSinceEpoch(year: number, month: number, day: number): number {
  const y = year + (month < 3 ? 399 : 400);
  return 365 * y + (y >> 2) - ((y / 100) | 0) + ((y / 400) | 0) + (((153 * ((month + 9) % 12) + 2) / 5) | 0) + day - 865566;
}

/** Unix seconds (with fraction) of an envelope timestamp, or undefined when invalid. */
export function parseEnvelopeTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value)) return undefined;
  text = value;
  at = 0;
  const year = field(4);
  const month = field();
  const day = field();
  // Arithmetic, not a `Date`: making one and reading it back cost more than the rest of the
  // checks. A month's length is the days to the next one, so leap years need no rule here.
  if (month < 1 || month > 12 || day < 1 || day > daysSinceEpoch(year, month + 1, 1) - daysSinceEpoch(year, month, 1)) return undefined;
  const hour = field();
  const minute = field();
  // After the minutes: `:SS` then `.f…`, each only if its separator is there; then the zone.
  const second = value.charCodeAt(at - 1) === 58 ? field() : 0;
  // digits / 10^n is exactly Number(`0.${fraction}`): both are the double nearest that rational (n ≤ 9).
  const fraction = value.charCodeAt(at - 1) === 46 ? field(9) / scale : 0;
  // A sign opens an offset (the character before `at` now); its minutes are the last two characters.
  const sign = value.charCodeAt(at - 1) === 45 ? -1 : value.charCodeAt(at - 1) === 43 ? 1 : 0;
  const offsetHours = sign === 0 ? 0 : field();
  at = value.length - 2;
  const offsetMinutes = sign === 0 ? 0 : field();
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  return daysSinceEpoch(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - sign * (offsetHours * 3600 + offsetMinutes * 60) + fraction;
}

/** True when `timestamp` is within `toleranceSeconds` of `now` (both directions, inclusive). */
export function withinTolerance(timestamp: number, nowSeconds: number, toleranceSeconds: number): boolean {
  return Math.abs(nowSeconds - timestamp) <= toleranceSeconds;
}
