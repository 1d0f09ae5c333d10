/**
 * Timestamp parsing for the replay window (contract webhooks.md §4): header timestamps are
 * plain decimal digits; envelope timestamps follow an explicit ISO-8601 grammar in which a
 * missing zone means UTC — never the host's local time, so results do not depend on TZ.
 */

/** Unix seconds from a digits-only header value, or undefined. */
export function parseDigitsTimestamp(value: string): number | undefined {
  if (!/^[0-9]+$/.test(value)) return undefined;
  return Number(value);
}

// YYYY-MM-DD[(T|t| )HH:MM[:SS[.f{1,9}]][Z|z|±HH:MM|±HHMM]]
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?)?$/;

/** Unix seconds (with fraction) of an envelope timestamp, or undefined when invalid. */
export function parseEnvelopeTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ISO_DATE_TIME.exec(value);
  if (match === null) return undefined;
  const [, ys, mos, ds, hs, mis, ss, fraction, zulu, sign, ohs, omis] = match;
  const month = Number(mos) - 1;
  const day = Number(ds);
  // setUTCFullYear, not Date.UTC: it takes years 0–99 literally (Date.UTC maps them to 19xx).
  // JS dates are proleptic Gregorian in UTC; a month or day out of range rolls over, which
  // the read-back below rejects (month 13, February 30, day 0).
  const date = new Date(0);
  date.setUTCFullYear(Number(ys), month, day);
  if (date.getUTCMonth() !== month || date.getUTCDate() !== day) return undefined;
  const hour = hs === undefined ? 0 : Number(hs);
  const minute = mis === undefined ? 0 : Number(mis);
  const second = ss === undefined ? 0 : Number(ss);
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetSeconds = 0;
  if (sign !== undefined && zulu === undefined) {
    const offsetHours = Number(ohs);
    const offsetMinutes = Number(omis);
    if (offsetHours > 23 || offsetMinutes > 59) return undefined;
    offsetSeconds = (sign === '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
  }
  const wholeSeconds = date.getTime() / 1000 + hour * 3600 + minute * 60 + second - offsetSeconds;
  return fraction === undefined ? wholeSeconds : wholeSeconds + Number(`0.${fraction}`);
}

/** True when `timestamp` is within `toleranceSeconds` of `now` (both directions, inclusive). */
export function withinTolerance(timestamp: number, nowSeconds: number, toleranceSeconds: number): boolean {
  return Math.abs(nowSeconds - timestamp) <= toleranceSeconds;
}
