/**
 * Timestamp parsing for the replay window (contract webhooks.md §4): header timestamps are
 * plain decimal digits; envelope timestamps follow an explicit ISO-8601 grammar in which a
 * missing zone means UTC — never the host's local time, so results do not depend on TZ.
 */

/** Unix seconds from a digits-only header value, or undefined (also for no value). */
export function parseDigitsTimestamp(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

// YYYY-MM-DD[(T|t| )HH:MM[:SS[.f{1,9}]][Z|z|±HH:MM|±HHMM]]
const ISO_DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)(?:[Tt ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?(?:[Zz]|([+-])(\d\d):?(\d\d))?)?$/;

/**
 * The value of a field the grammar matched (ASCII digits; an absent field is 0). Not
 * `Number()`: that is V8's general string-to-number conversion, a runtime call, and this runs
 * for ten fields of every delivery.
 */
function digits(text = ''): number {
  let value = 0;
  for (let i = 0; i < text.length; i++) value = value * 10 + text.charCodeAt(i) - 48;
  return value;
}

/** Unix seconds (with fraction) of an envelope timestamp, or undefined when invalid. */
export function parseEnvelopeTimestamp(value: unknown): number | undefined {
  const match = typeof value === 'string' ? ISO_DATE_TIME.exec(value) : null;
  if (match === null) return undefined;
  // Absent parts are zero; Z and an offset exclude each other in the grammar.
  const [, year, monthText, dayText, hour, minute, second, fraction = '', sign, offsetHours, offsetMinutes] = match as unknown as string[];
  const month = digits(monthText) - 1;
  const day = digits(dayText);
  // setUTCFullYear, not Date.UTC: it takes years 0–99 literally (Date.UTC maps them to 19xx).
  // JS dates are proleptic Gregorian in UTC; a month or day out of range rolls over, which
  // the read-back below rejects (month 13, February 30, day 0).
  const date = new Date(0);
  date.setUTCFullYear(digits(year), month, day);
  if (date.getUTCMonth() !== month || date.getUTCDate() !== day) return undefined;
  if (digits(hour) > 23 || digits(minute) > 59 || digits(second) > 59 || digits(offsetHours) > 23 || digits(offsetMinutes) > 59) return undefined;
  const offsetSeconds = (sign === '-' ? -1 : 1) * (digits(offsetHours) * 3600 + digits(offsetMinutes) * 60);
  // digits / 10^n is exactly Number(`0.${fraction}`): both are the double nearest that rational (n ≤ 9).
  return date.getTime() / 1000 + digits(hour) * 3600 + digits(minute) * 60 + digits(second) - offsetSeconds + digits(fraction) / 10 ** fraction.length;
}

/** True when `timestamp` is within `toleranceSeconds` of `now` (both directions, inclusive). */
export function withinTolerance(timestamp: number, nowSeconds: number, toleranceSeconds: number): boolean {
  return Math.abs(nowSeconds - timestamp) <= toleranceSeconds;
}
