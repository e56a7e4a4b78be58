/**
 * Certificate codes people can read aloud and type: 8 characters in two groups, from an
 * alphabet without look-alikes (no 0/O, 1/I/L). About 8.5 × 10^11 codes.
 */
export const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

export function generateCertificateCode(random: (n: number) => Uint8Array = defaultRandom): string {
  const chars: string[] = [];
  // Rejection sampling keeps every character equally likely.
  while (chars.length < 8) {
    for (const byte of random(16)) {
      if (byte < 248 && chars.length < 8) chars.push(CODE_ALPHABET[byte % CODE_ALPHABET.length]!);
    }
  }
  return `${chars.slice(0, 4).join("")}-${chars.slice(4).join("")}`;
}

function defaultRandom(n: number): Uint8Array {
  const bytes = new Uint8Array(n);
  crypto.getRandomValues(bytes);
  return bytes;
}

/** What a person typed ("abcd efgh", "ABCD-EFGH ") in the stored form, or null when it cannot be a code. */
export function normalizeCertificateCode(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s\-–.]/g, "");
  if (compact.length !== 8) return null;
  for (const ch of compact) if (!CODE_ALPHABET.includes(ch)) return null;
  return `${compact.slice(0, 4)}-${compact.slice(4)}`;
}
