/** Form schemas for certificates and assisted learning. Browser-safe. */
import { z } from "zod";
import { formId } from "~/forms/ids";
import { normalizeCertificateCode } from "~/certificate-code";

export const verifyCodeSchema = z.object({
  code: z
    .string({ error: "Hãy nhập mã chứng nhận." })
    .trim()
    .min(1, "Hãy nhập mã chứng nhận.")
    .transform((v, ctx) => {
      const code = normalizeCertificateCode(v);
      if (!code) {
        ctx.addIssue({
          code: "custom",
          message: "Mã chứng nhận gồm 8 chữ và số, ví dụ ABCD-2345. Hãy kiểm tra lại.",
        });
        return z.NEVER;
      }
      return code;
    }),
});

export const revokeSchema = z.object({
  intent: z.literal("revoke"),
  code: z.string().trim().min(1),
  reason: z
    .string({ error: "Hãy ghi lý do thu hồi." })
    .trim()
    .min(5, "Hãy ghi lý do thu hồi (ít nhất 5 ký tự).")
    .max(500, "Lý do dài quá 500 ký tự."),
});

export const startAssistSchema = z.object({
  intent: z.literal("start"),
  residentId: formId("Hãy chọn một người."),
});
