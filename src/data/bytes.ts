/**
 * Cell parsers over the raw bytes of a file, with no string per cell: the import reads millions
 * of rows and a string per cell was most of its time and memory. Each returns NaN (or −1) for
 * a cell it cannot read; the caller then builds the error message from the cell's text.
 */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

const isPad = (c: number) => c === 32 || c === 9 || c === 34 || c === 13;

/** A decimal number; `comma` accepts `,` as the decimal mark. NaN if the cell is not one. */
export function parseNumber(b: Uint8Array, s: number, e: number, comma: boolean): number {
  // The usual cell, unsigned digits with an optional '.' fraction and nothing around them.
  let mant = 0;
  let i = s;
  for (; i < e; i++) {
    const d = (b[i]! - 48) >>> 0;
    if (d > 9) break;
    mant = mant * 10 + d;
  }
  if (i === e && i > s && i - s <= 15) return mant;
  if (i > s && b[i] === 46) {
    let scale = 1;
    const intEnd = i;
    for (i++; i < e; i++) {
      const d = (b[i]! - 48) >>> 0;
      if (d > 9) break;
      mant = mant * 10 + d;
      scale *= 10;
    }
    if (i === e && i - s <= 16 && i > intEnd + 1) return mant / scale;
  }
  return parseNumberSlow(b, s, e, comma);
}

function parseNumberSlow(b: Uint8Array, s: number, e: number, comma: boolean): number {
  while (s < e && isPad(b[s]!)) s++;
  while (e > s && isPad(b[e - 1]!)) e--;
  if (s === e) return Number.NaN;
  let i = s;
  const neg = b[i] === 45;
  if (neg || b[i] === 43) i++;
  let mant = 0;
  let digits = 0;
  let scale = 1;
  for (; i < e; i++) {
    const d = b[i]! - 48;
    if (d < 0 || d > 9) break;
    mant = mant * 10 + d;
    digits++;
  }
  if (i < e && (b[i] === 46 || (comma && b[i] === 44))) {
    for (i++; i < e; i++) {
      const d = b[i]! - 48;
      if (d < 0 || d > 9) break;
      mant = mant * 10 + d;
      scale *= 10;
      digits++;
    }
  }
  if (i !== e || digits === 0 || digits > 15) return slowNumber(b, s, e, comma);
  // Both integers are exact doubles, so the division is the correctly rounded decimal.
  const v = mant / scale;
  return neg ? -v : v;
}

function slowNumber(b: Uint8Array, s: number, e: number, comma: boolean): number {
  let t = '';
  for (let i = s; i < e; i++) t += String.fromCharCode(comma && b[i] === 44 ? 46 : b[i]!);
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : Number.NaN;
}

/** Three numbers of a date, in the order written; set by readDate. */
let g0 = 0;
let g1 = 0;
let g2 = 0;

export type DateForm = 'ymd' | 'mdy' | 'dmy' | 'ymd8';

/** Second results of readDate (the day number) and readClock (the UTC offset), without an object per cell. */
export const out = { day: 0, offsetMin: Number.NaN };

export function readDate(b: Uint8Array, s: number, e: number, form: DateForm): number {
  while (s < e && isPad(b[s]!)) s++;
  let i = s;
  if (form === 'ymd8') {
    if (e - s < 8 || (e - s > 8 && b[s + 8]! >= 48 && b[s + 8]! <= 57)) return -1;
    g0 = fixed(b, s, 4);
    g1 = fixed(b, s + 4, 2);
    g2 = fixed(b, s + 6, 2);
    if (g0 < 0 || g1 < 0 || g2 < 0) return -1;
    i = s + 8;
  } else {
    for (let g = 0; g < 3; g++) {
      let v = 0;
      let n = 0;
      for (; i < e; i++) {
        const d = b[i]! - 48;
        if (d < 0 || d > 9) break;
        v = v * 10 + d;
        n++;
      }
      if (n === 0 || n > 4) return -1;
      if (g === 0) g0 = v;
      else if (g === 1) g1 = v;
      else g2 = v;
      if (g < 2) {
        const sep = b[i];
        if (sep !== 45 && sep !== 47 && sep !== 46) return -1;
        i++;
      }
    }
  }
  const y = form === 'mdy' || form === 'dmy' ? g2 : g0;
  const m = form === 'mdy' ? g0 : g1;
  const d = form === 'mdy' ? g1 : form === 'dmy' ? g0 : g2;
  if (y < 1970 || y > 2200 || m < 1 || m > 12 || d < 1) return -1;
  if (d > (m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m - 1]!)) return -1;
  out.day = daysFromCivil(y, m, d);
  return i;
}

function fixed(b: Uint8Array, s: number, n: number): number {
  let v = 0;
  for (let i = s; i < s + n; i++) {
    const d = b[i]! - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}


/**
 * A time of day, `HH:MM[:SS[.fff…]]` or `HHMMSS`, then optionally `Z` or `±HH[:]MM`.
 * Milliseconds of the day, or −1.
 */
export function readClock(b: Uint8Array, s: number, e: number): number {
  while (s < e && isPad(b[s]!)) s++;
  while (e > s && isPad(b[e - 1]!)) e--;
  let h: number;
  let m: number;
  let sec = 0;
  let ms = 0;
  let i: number;
  if (e - s < 4) return -1;
  if (b[s + 2] === 58) {
    h = fixed(b, s, 2);
    m = fixed(b, s + 3, 2);
    i = s + 5;
    if (i + 3 <= e && b[i] === 58) {
      sec = fixed(b, i + 1, 2);
      i += 3;
      if (i < e && (b[i] === 46 || b[i] === 44)) {
        let scale = 100;
        for (i++; i < e; i++) {
          const d = b[i]! - 48;
          if (d < 0 || d > 9) break;
          ms += d * scale;
          scale /= 10;
        }
        ms = Math.floor(ms);
      }
    }
  } else if (b[s + 1] === 58) {
    h = fixed(b, s, 1);
    m = fixed(b, s + 2, 2);
    i = s + 4;
    if (i + 3 <= e && b[i] === 58) {
      sec = fixed(b, i + 1, 2);
      i += 3;
    }
  } else {
    h = fixed(b, s, 2);
    m = fixed(b, s + 2, 2);
    i = s + 4;
    const sd = fixed(b, i, 2);
    if (i + 2 <= e && sd >= 0) {
      sec = sd;
      i += 2;
    }
  }
  if (i > e || !(h >= 0 && h <= 23 && m >= 0 && m <= 59 && sec >= 0 && sec <= 59)) return -1;
  out.offsetMin = Number.NaN;
  if (i < e && b[i] === 32) i++;
  if (i < e) {
    const c = b[i]!;
    if ((c === 90 || c === 122) && i + 1 === e) out.offsetMin = 0;
    else if ((c === 43 || c === 45) && (e - i === 6 || e - i === 5 || e - i === 3)) {
      const oh = fixed(b, i + 1, 2);
      const om = e - i === 3 ? 0 : fixed(b, e - 2, 2);
      if (oh < 0 || oh > 23 || om < 0 || om > 59) return -1;
      out.offsetMin = (c === 45 ? -1 : 1) * (oh * 60 + om);
    } else return -1;
  }
  return ((h * 60 + m) * 60 + sec) * 1000 + ms;
}

/** Two ASCII digits at `i` as a number, or a value ≥ 100 when either is not a digit. */
function d2(b: Uint8Array, i: number): number {
  const x = (b[i]! - 48) >>> 0;
  const y = (b[i + 1]! - 48) >>> 0;
  return x > 9 || y > 9 ? 1000 : x * 10 + y;
}

/**
 * The ISO form this project and most vendors write, `2024-01-02T14:30:00Z` or with `.000Z`,
 * read at fixed offsets: epoch ms, or −1 for anything else (the general readers then decide).
 */
export function isoUtcFast(b: Uint8Array, s: number, e: number): number {
  const len = e - s;
  if ((len !== 24 && len !== 20) || b[e - 1] !== 90 || b[s + 4] !== 45 || b[s + 7] !== 45 || b[s + 10] !== 84 || b[s + 13] !== 58 || b[s + 16] !== 58) return -1;
  const century = d2(b, s);
  const yy = d2(b, s + 2);
  const month = d2(b, s + 5);
  const day = d2(b, s + 8);
  const hour = d2(b, s + 11);
  const minute = d2(b, s + 14);
  const second = d2(b, s + 17);
  let ms = 0;
  if (len === 24) {
    const m0 = (b[s + 20]! - 48) >>> 0;
    const m12 = d2(b, s + 21);
    if (b[s + 19] !== 46 || m0 > 9 || m12 > 99) return -1;
    ms = m0 * 100 + m12;
  }
  const year = century * 100 + yy;
  if (century > 99 || yy > 99 || year < 1970 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return -1;
  if (day > (month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!)) return -1;
  return daysFromCivil(year, month, day) * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000 + ms;
}
