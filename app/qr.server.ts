/**
 * QR codes, drawn on the server so the pages that show them (a member's badge, a certificate) need no
 * JavaScript. qrcode is loaded on first use, not at every start of the server.
 */
export const loadQrCode = () => import("qrcode").then((m) => m.default);

/** An SVG QR code of `text`, error correction M, with `margin` modules of white around it. */
export async function qrSvg(text: string, { margin }: { margin: number }): Promise<string> {
  const QRCode = await loadQrCode();
  return QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin });
}
