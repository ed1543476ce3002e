/**
 * Times in bar CSV files: ISO-8601 with Z or an offset, or epoch seconds (integer or decimal).
 * Parsed by hand instead of Date.parse, which quietly rolls 2026-02-30 over to March 2 and accepts
 * 24:00, and is slower on hundreds of thousands of rows.
 */

/** Epoch seconds beyond this (year 5138) are almost surely epoch milliseconds. */
const MAX_EPOCH_SECONDS = 1e11;
const EPOCH_SECONDS = /^\d+(?:\.\d+)?$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):?(\d{2}))$/i;
const ISO_NO_ZONE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Epoch ms of a CSV time cell, or a phrase saying what is wrong with it. */
export function parseCsvTime(s: string): number | string {
  const fast = fastUtc(s);
  if (fast >= 0) return fast;
  if (EPOCH_SECONDS.test(s)) {
    const sec = Number(s);
    return sec >= MAX_EPOCH_SECONDS ? 'looks like epoch milliseconds; expected epoch seconds' : Math.round(sec * 1000);
  }
  const m = ISO.exec(s);
  if (!m) {
    return ISO_NO_ZONE.test(s)
      ? 'has no time zone; expected ISO-8601 with Z or an offset (2026-01-05T23:00:00Z)'
      : 'is not a time; expected ISO-8601 with Z or an offset (2026-01-05T23:00:00Z) or epoch seconds';
  }
  const year = +m[1]!;
  const month = +m[2]!;
  const day = +m[3]!;
  const hour = +m[4]!;
  const minute = +m[5]!;
  const second = m[6] === undefined ? 0 : +m[6];
  if (year < 1970) return 'is before 1970';
  const maxDay = month === 2 && isLeap(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > maxDay || hour > 23 || minute > 59 || second > 59) return 'is not a valid date and time';
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  let offsetMin = 0;
  if (m[9] !== undefined) {
    const oh = +m[10]!;
    const om = +m[11]!;
    if (oh > 23 || om > 59) return 'has an invalid UTC offset';
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMin * 60_000;
}

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * The form this project writes, `2026-01-05T23:00:00.000Z` or without millis, read from char
 * codes; −1 for anything else (the general path then decides).
 */
function fastUtc(s: string): number {
  const len = s.length;
  if ((len !== 24 && len !== 20) || s.charCodeAt(len - 1) !== 90 /* Z */) return -1;
  if (s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':' || (len === 24 && s[19] !== '.')) return -1;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  const ms = len === 24 ? digits(s, 20, 3) : 0;
  if (year < 1970 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || ms < 0) return -1;
  const maxDay = month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day > maxDay) return -1;
  return daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil), for years ≥ 1970. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}
