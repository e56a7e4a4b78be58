/**
 * The printable certificate: an A4 landscape PDF with an embedded DejaVu Sans (full Vietnamese
 * coverage, subset into the file), so diacritics print right on any machine; and its QR code,
 * which links to the public verification page.
 */
import { createRequire } from "node:module";
import { formatDate } from "~/format";
import { loadQrCode, qrSvg } from "~/qr.server";

const require = createRequire(import.meta.url);
const FONT_REGULAR = require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf");
const FONT_BOLD = require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf");

/** The certificate page's QR code, the same as the PDF's (a margin of one module). */
export function verificationQrSvg(url: string): Promise<string> {
  return qrSvg(url, { margin: 1 });
}

export interface CertificatePdfInput {
  code: string;
  holderName: string;
  title: string;
  /** The line above the title: which programme this belongs to. */
  subtitle: string;
  issuedAt: Date;
  revoked: boolean;
  verifyUrl: string;
}

export async function renderCertificatePdf(input: CertificatePdfInput): Promise<Buffer> {
  // pdfkit and qrcode are loaded on first use: 0.3 s that every start of the server would pay otherwise.
  const [{ default: PDFDocument }, QRCode] = await Promise.all([import("pdfkit"), loadQrCode()]);
  const qr = await QRCode.toBuffer(input.verifyUrl, {
    type: "png",
    errorCorrectionLevel: "M",
    margin: 1,
    width: 240,
  });
  const doc = new PDFDocument({
    size: "A4",
    layout: "landscape",
    margin: 48,
    info: { Title: `Chứng nhận ${input.code}`, Author: "HọcSố – Phường An Hải", Subject: input.title },
  });
  doc.registerFont("regular", FONT_REGULAR);
  doc.registerFont("bold", FONT_BOLD);
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  const { width, height } = doc.page;
  const inner = width - 96;
  doc
    .lineWidth(3)
    .strokeColor("#0b5cab")
    .rect(24, 24, width - 48, height - 48)
    .stroke();
  doc
    .lineWidth(1)
    .rect(32, 32, width - 64, height - 64)
    .stroke();

  doc
    .font("bold")
    .fontSize(13)
    .fillColor("#1a1a1a")
    .text("ỦY BAN NHÂN DÂN PHƯỜNG AN HẢI", 48, 56, { width: inner, align: "center" });
  doc
    .font("regular")
    .fontSize(11)
    .text("Thành phố Đà Nẵng · Tổ Công nghệ số cộng đồng", { width: inner, align: "center" });
  doc.moveDown(1.5);
  doc
    .font("bold")
    .fontSize(30)
    .fillColor("#0b5cab")
    .text("GIẤY CHỨNG NHẬN", { width: inner, align: "center" });
  doc.moveDown(0.3);
  doc
    .font("regular")
    .fontSize(13)
    .fillColor("#1a1a1a")
    .text(input.subtitle, { width: inner, align: "center" });
  doc.moveDown(1.2);
  doc.fontSize(14).text("Chứng nhận ông/bà", { width: inner, align: "center" });
  doc.moveDown(0.3);
  doc.font("bold").fontSize(26).text(input.holderName, { width: inner, align: "center" });
  doc.moveDown(0.6);
  doc.font("regular").fontSize(14).text("đã hoàn thành", { width: inner, align: "center" });
  doc.moveDown(0.3);
  doc.font("bold").fontSize(18).text(`“${input.title}”`, { width: inner, align: "center" });
  doc.moveDown(1);
  doc
    .font("regular")
    .fontSize(12)
    .text(`Ngày cấp: ${formatDate(input.issuedAt)}    ·    Mã chứng nhận: ${input.code}`, {
      width: inner,
      align: "center",
    });

  const qrSize = 110;
  doc.image(qr, width - 48 - qrSize - 16, height - 48 - qrSize - 24, { width: qrSize, height: qrSize });
  doc
    .fontSize(10)
    .text("Quét mã để kiểm tra chứng nhận:", 64, height - 48 - 64, { width: inner - qrSize - 48 })
    .text(input.verifyUrl, { width: inner - qrSize - 48, link: input.verifyUrl, underline: true });

  if (input.revoked) {
    doc.save();
    doc.rotate(-20, { origin: [width / 2, height / 2] });
    doc
      .font("bold")
      .fontSize(64)
      .fillColor("#a4161a")
      .opacity(0.35)
      .text("ĐÃ THU HỒI", 0, height / 2 - 40, { width, align: "center" });
    doc.restore();
  }
  doc.end();
  return done;
}
