/**
 * Dates and numbers the way Vietnamese readers expect them, and the one place that knows Việt Nam's
 * time zone: days, quarters and "this year" (ages are counted by birth year) are Vietnam dates
 * on the server and in the browser alike. Safe in the browser and on the server.
 */

/** The ward's time zone; SQL uses it too (`at time zone`). */
export const TIME_ZONE = "Asia/Ho_Chi_Minh";
/** Việt Nam has no daylight saving time: its offset is always this (as text, and in milliseconds). */
const UTC_OFFSET = "+07:00";
const OFFSET_MS = 7 * 60 * 60 * 1000;

// Dates are assembled from numeric parts rather than the vi-VN pattern: the server's ICU and a
// phone browser's ICU disagree on that pattern (order, padding), and any difference between the
// server's HTML and the browser's first render is a React hydration error. The parts are the UTC
// time moved by Việt Nam's fixed offset (no daylight saving time since 1975), not a time-zone
// formatter's: creating `Intl.DateTimeFormat` with a time zone took 27–40 ms of a field page's first
// script task in a fresh Chromium page here (about a third of its Total Blocking Time in Lighthouse).

function parts(value: Date | string): Record<"day" | "month" | "year" | "hour" | "minute", string> {
  const time = (typeof value === "string" ? new Date(value) : value).getTime();
  // As Intl's formatters do for an invalid date.
  if (Number.isNaN(time)) throw new RangeError("Invalid time value");
  const vn = new Date(time + OFFSET_MS);
  const two = (n: number) => String(n).padStart(2, "0");
  return {
    day: two(vn.getUTCDate()),
    month: two(vn.getUTCMonth() + 1),
    year: String(vn.getUTCFullYear()),
    hour: two(vn.getUTCHours()),
    minute: two(vn.getUTCMinutes()),
  };
}
// Made when first used: a page that shows no number does not create them.
let numberFormat: Intl.NumberFormat | undefined;
let percentFormat: Intl.NumberFormat | undefined;

export function formatDate(value: Date | string): string {
  const p = parts(value);
  return `${p.day}/${p.month}/${p.year}`;
}

export function formatDateTime(value: Date | string): string {
  const p = parts(value);
  return `${p.hour}:${p.minute} ${p.day}/${p.month}/${p.year}`;
}

/** "14:35", Vietnam time. */
export function formatTime(value: Date | string): string {
  const p = parts(value);
  return `${p.hour}:${p.minute}`;
}

/** The calendar day in Việt Nam, "YYYY-MM-DD" (a date input's value, a visit's day). */
export function vnDay(value: Date | string = new Date()): string {
  const p = parts(value);
  return `${p.year}-${p.month}-${p.day}`;
}

/** The calendar year in Việt Nam: on 31 December at 17:30 UTC it is already the new year there. */
export function currentYear(now: Date = new Date()): number {
  return Number(parts(now).year);
}

/** The first moment of a Vietnam day ("YYYY-MM-DD"): 00:00 +07:00. Invalid input gives an invalid Date. */
export function vnMidnight(day: string): Date {
  return new Date(`${day}T00:00:00${UTC_OFFSET}`);
}

export function formatNumber(value: number): string {
  return (numberFormat ??= new Intl.NumberFormat("vi-VN")).format(value);
}

/** 0.8123 → "81,2%" */
export function formatPercent(ratio: number): string {
  percentFormat ??= new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 });
  return `${percentFormat.format(ratio * 100)}%`;
}
