/**
 * Vietnamese mobile numbers: people type "0905 123 456", "+84 905.123.456" or "84905123456".
 * We store one normal form, +84 followed by the nine digits after the leading 0.
 */
const MOBILE_PREFIXES = ["3", "5", "7", "8", "9"];

export function normalizeVietnamesePhone(input: string): string | null {
  const compact = input.trim().replace(/[\s.\-()]/g, "");
  let national: string;
  if (/^\+84\d{9}$/.test(compact)) national = compact.slice(3);
  else if (/^84\d{9}$/.test(compact)) national = compact.slice(2);
  else if (/^0\d{9}$/.test(compact)) national = compact.slice(1);
  else return null;
  if (!MOBILE_PREFIXES.includes(national[0]!)) return null;
  return `+84${national}`;
}

/** "+84905123456" → "0905 123 456", the way people read their own number. */
export function formatVietnamesePhone(normal: string): string {
  const national = `0${normal.replace(/^\+84/, "")}`;
  return `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
}

export function looksLikeEmail(input: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.trim());
}
