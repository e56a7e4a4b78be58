/**
 * The small language of a <PhoneScreen>'s `items`, shared by the drawing and content:check.
 * Items are separated by "|"; each is a button unless it starts with a kind: "ô:" a field,
 * "tìm:" a search box, "chọn:" a tick box, "chữ:" plain text, "qr:" a QR code. A leading "*"
 * marks the one to press, drawn outlined with the step's number. Browser-safe.
 */
export type PhoneItemKind = "button" | "field" | "search" | "check" | "text" | "qr";
const KINDS: Record<string, PhoneItemKind> = {
  ô: "field",
  tìm: "search",
  chọn: "check",
  chữ: "text",
  qr: "qr",
};

export interface PhoneItem {
  kind: PhoneItemKind;
  text: string;
  pressed: boolean;
}

/** "*ô: Số định danh" → a highlighted field labelled "Số định danh". */
export function parsePhoneItem(raw: string): PhoneItem {
  let text = raw.trim();
  const pressed = text.startsWith("*");
  if (pressed) text = text.slice(1).trim();
  const m = /^([^:]{1,5}):\s*(.*)$/u.exec(text);
  const kind = m ? KINDS[m[1]!.trim().toLowerCase()] : undefined;
  if (m && kind) text = m[2]!.trim();
  return { kind: kind ?? "button", text, pressed };
}

/** The labels drawn on a PhoneScreen: its screen title, then each item's text. */
export function phoneScreenLabels(items: string, screen?: string): string[] {
  const labels = items
    .split("|")
    .map((raw) => parsePhoneItem(raw).text)
    .filter((t) => t !== "");
  return screen ? [screen, ...labels] : labels;
}
