/** Dates and numbers the way Vietnamese readers expect them; safe in the browser and on the server. */
const TIME_ZONE = "Asia/Ho_Chi_Minh";

// Dates are assembled from numeric parts rather than the vi-VN pattern: the server's ICU and a
// phone browser's ICU disagree on that pattern (order, padding), and any difference between the
// server's HTML and the browser's first render is a React hydration error.
const dateParts = new Intl.DateTimeFormat("en-GB", {
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: TIME_ZONE,
});

function parts(value: Date | string): Record<"day" | "month" | "year" | "hour" | "minute", string> {
  const date = typeof value === "string" ? new Date(value) : value;
  const out = { day: "", month: "", year: "", hour: "", minute: "" };
  for (const part of dateParts.formatToParts(date)) if (part.type in out) out[part.type as keyof typeof out] = part.value;
  return out;
}
const numberFormat = new Intl.NumberFormat("vi-VN");
const percentFormat = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 });

export function formatDate(value: Date | string): string {
  const p = parts(value);
  return `${p.day}/${p.month}/${p.year}`;
}

export function formatDateTime(value: Date | string): string {
  const p = parts(value);
  return `${p.hour}:${p.minute} ${p.day}/${p.month}/${p.year}`;
}

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** 0.8123 → "81,2%" */
export function formatPercent(ratio: number): string {
  return `${percentFormat.format(ratio * 100)}%`;
}
