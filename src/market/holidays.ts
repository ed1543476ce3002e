/**
 * CME Globex holidays and early closes for the equity index futures (ES, MES), 2015–2030.
 *
 * Source: CME Group Holiday Calendar (https://www.cmegroup.com/tools-information/holiday-calendar.html),
 * "Equity" trading hours; future years are the exchange's published pattern, to be checked
 * against CME's notice each December (CME announces each holiday's hours a few weeks ahead).
 * All times New York; each entry is the day a Globex session would normally end at 17:00:
 *   C  closed: no session ends that day (it reopens at 18:00 that evening for the next day):
 *      New Year's Day, Good Friday, Christmas (or the weekday they are observed on)
 *   H  holiday halt at 13:00 (12:00 Chicago), reopening at 18:00: MLK Day, Presidents Day,
 *      Memorial Day, Juneteenth (from 2022), Independence Day, Labor Day, Thanksgiving
 *   E  early close at 13:15 (12:15 Chicago): July 3 before a weekday Independence Day, the day
 *      after Thanksgiving, Christmas Eve on a weekday
 *   M  national day of mourning, halt at 09:30 (08:30 Chicago): 2018-12-05 (G. H. W. Bush),
 *      2025-01-09 (J. Carter)
 * When the jobs report fell on Good Friday (2021, 2023) CME opened equity futures for a short
 * morning session; it is treated as closed here (a few thin bars a decade).
 */
export const HOLIDAY_TABLE: Readonly<Record<number, string>> = {
  2015: '01-01C 01-19H 02-16H 04-03C 05-25H 07-03H 09-07H 11-26H 11-27E 12-24E 12-25C',
  2016: '01-01C 01-18H 02-15H 03-25C 05-30H 07-04H 09-05H 11-24H 11-25E 12-26C',
  2017: '01-02C 01-16H 02-20H 04-14C 05-29H 07-03E 07-04H 09-04H 11-23H 11-24E 12-25C',
  2018: '01-01C 01-15H 02-19H 03-30C 05-28H 07-03E 07-04H 09-03H 11-22H 11-23E 12-05M 12-24E 12-25C',
  2019: '01-01C 01-21H 02-18H 04-19C 05-27H 07-03E 07-04H 09-02H 11-28H 11-29E 12-24E 12-25C',
  2020: '01-01C 01-20H 02-17H 04-10C 05-25H 07-03H 09-07H 11-26H 11-27E 12-24E 12-25C',
  2021: '01-01C 01-18H 02-15H 04-02C 05-31H 07-05H 09-06H 11-25H 11-26E 12-24C',
  2022: '01-17H 02-21H 04-15C 05-30H 06-20H 07-04H 09-05H 11-24H 11-25E 12-26C',
  2023: '01-02C 01-16H 02-20H 04-07C 05-29H 06-19H 07-03E 07-04H 09-04H 11-23H 11-24E 12-25C',
  2024: '01-01C 01-15H 02-19H 03-29C 05-27H 06-19H 07-03E 07-04H 09-02H 11-28H 11-29E 12-24E 12-25C',
  2025: '01-01C 01-09M 01-20H 02-17H 04-18C 05-26H 06-19H 07-03E 07-04H 09-01H 11-27H 11-28E 12-24E 12-25C',
  2026: '01-01C 01-19H 02-16H 04-03C 05-25H 06-19H 07-03H 09-07H 11-26H 11-27E 12-24E 12-25C',
  2027: '01-01C 01-18H 02-15H 03-26C 05-31H 06-18H 07-05H 09-06H 11-25H 11-26E 12-24C',
  2028: '01-17H 02-21H 04-14C 05-29H 06-19H 07-03E 07-04H 09-04H 11-23H 11-24E 12-25C',
  2029: '01-01C 01-15H 02-19H 03-30C 05-28H 06-19H 07-03E 07-04H 09-03H 11-22H 11-23E 12-24E 12-25C',
  2030: '01-01C 01-21H 02-18H 04-19C 05-27H 06-19H 07-03E 07-04H 09-02H 11-28H 11-29E 12-24E 12-25C',
};

export type HolidayKind = 'C' | 'H' | 'E' | 'M';

/** Minutes after New York midnight at which the session ending on a day of each kind closes (C: it never opens). */
export const CLOSE_MINUTES: Readonly<Record<HolidayKind, number>> = { C: 0, H: 13 * 60, E: 13 * 60 + 15, M: 9 * 60 + 30 };

export const FIRST_YEAR = 2015;
export const LAST_YEAR = 2030;

const DAY = 86_400_000;
let byDay: Map<number, HolidayKind> | null = null;

function index(): Map<number, HolidayKind> {
  if (byDay) return byDay;
  byDay = new Map();
  for (const [year, list] of Object.entries(HOLIDAY_TABLE)) {
    for (const item of list.split(' ')) {
      const m = /^(\d{2})-(\d{2})([CHEM])$/.exec(item);
      if (!m) throw new Error(`holiday table ${year}: '${item}' is not MM-DD followed by C, H, E or M`);
      byDay.set(Date.UTC(+year, +m[1]! - 1, +m[2]!) / DAY, m[3] as HolidayKind);
    }
  }
  return byDay;
}

/** The holiday kind of a New York calendar day (days since the epoch), or undefined for a normal day. */
export function holidayOn(nyDay: number): HolidayKind | undefined {
  return index().get(nyDay);
}
