/**
 * Timestamp parsing for the replay window (contract webhooks.md §4): header timestamps are
 * plain decimal digits; envelope timestamps follow an explicit ISO-8601 grammar in which a
 * missing zone means UTC — never the host's local time, so results do not depend on TZ.
 */

/** Unix seconds from a digits-only header value, or undefined (also for no value). */
export function parseDigitsTimestamp(value: string | undefined): number | undefined {
  return value !== undefined && /^[0-9]+$/.test(value) ? Number(value) : undefined;
}

// YYYY-MM-DD[(T|t| )HH:MM[:SS[.f{1,9}]][Z|z|±HH:MM|±HHMM]]
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?)?$/;

/** Unix seconds (with fraction) of an envelope timestamp, or undefined when invalid. */
export function parseEnvelopeTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ISO_DATE_TIME.exec(value);
  if (match === null) return undefined;
  // Absent parts are zero; Z and an offset exclude each other in the grammar.
  const [, year, monthText, dayText, hour = '0', minute = '0', second = '0', fraction = '0', , sign, offsetHours = '0', offsetMinutes = '0'] =
    match as unknown as string[];
  const month = Number(monthText) - 1;
  const day = Number(dayText);
  // setUTCFullYear, not Date.UTC: it takes years 0–99 literally (Date.UTC maps them to 19xx).
  // JS dates are proleptic Gregorian in UTC; a month or day out of range rolls over, which
  // the read-back below rejects (month 13, February 30, day 0).
  const date = new Date(0);
  date.setUTCFullYear(Number(year), month, day);
  if (date.getUTCMonth() !== month || date.getUTCDate() !== day) return undefined;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59 || Number(offsetHours) > 23 || Number(offsetMinutes) > 59) {
    return undefined;
  }
  const offsetSeconds = (sign === '-' ? -1 : 1) * (Number(offsetHours) * 3600 + Number(offsetMinutes) * 60);
  return date.getTime() / 1000 + Number(hour) * 3600 + Number(minute) * 60 + Number(second) - offsetSeconds + Number(`0.${fraction}`);
}

/** True when `timestamp` is within `toleranceSeconds` of `now` (both directions, inclusive). */
export function withinTolerance(timestamp: number, nowSeconds: number, toleranceSeconds: number): boolean {
  return Math.abs(nowSeconds - timestamp) <= toleranceSeconds;
}
