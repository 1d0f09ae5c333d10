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

/** Unix seconds (with fraction) of an envelope timestamp, or undefined when invalid. */
export function parseEnvelopeTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value)) return undefined;
  let at = 0;
  /**
   * The next field: the digits from `at` (at most `width` of them; a part that is absent,
   * past the end or not digits, reads 0), leaving `at` after the separator that follows.
   * Not `Number()`: that is V8's general string-to-number conversion, a runtime call.
   */
  const field = (width = 2): number => {
    let number = 0;
    for (let code = value.charCodeAt(at); width-- > 0 && code >= 48 && code <= 57; code = value.charCodeAt(++at)) number = number * 10 + code - 48;
    at++;
    return number;
  };
  const year = field(4);
  const month = field() - 1;
  const day = field();
  // setUTCFullYear, not Date.UTC: it takes years 0–99 literally (Date.UTC maps them to 19xx).
  // JS dates are proleptic Gregorian in UTC; a month or day out of range rolls over, which
  // the read-back below rejects (month 13, February 30, day 0).
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  if (date.getUTCMonth() !== month || date.getUTCDate() !== day) return undefined;
  const hour = field();
  const minute = field();
  // After the minutes: `:SS` then `.f…`, each only if its separator is there; then the zone.
  const second = value.charCodeAt(at - 1) === 58 ? field() : 0;
  const fractionStart = at;
  // digits / 10^n is exactly Number(`0.${fraction}`): both are the double nearest that rational (n ≤ 9).
  const fraction = value.charCodeAt(at - 1) === 46 ? field(9) / 10 ** (at - 1 - fractionStart) : 0;
  // A sign opens an offset (the character before `at` now); its minutes are the last two characters.
  const sign = value.charCodeAt(at - 1) === 45 ? -1 : value.charCodeAt(at - 1) === 43 ? 1 : 0;
  const offsetHours = sign === 0 ? 0 : field();
  at = value.length - 2;
  const offsetMinutes = sign === 0 ? 0 : field();
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  return date.getTime() / 1000 + hour * 3600 + minute * 60 + second - sign * (offsetHours * 3600 + offsetMinutes * 60) + fraction;
}

/** True when `timestamp` is within `toleranceSeconds` of `now` (both directions, inclusive). */
export function withinTolerance(timestamp: number, nowSeconds: number, toleranceSeconds: number): boolean {
  return Math.abs(nowSeconds - timestamp) <= toleranceSeconds;
}
