/**
 * Form schemas of the account forms, used by their actions
 * (pages import ~/forms/limits, so no zod reaches the browser).
 */
import { z } from "zod";
import { formId } from "~/forms/ids";
import { currentYear } from "~/format";
import { teamRoles } from "~/vocabulary";
import { PASSWORD_MAX, PASSWORD_MIN } from "~/forms/limits";
import { normalizeVietnamesePhone, looksLikeEmail } from "~/phone";

export const identifierField = z
  .string({ error: "Hãy nhập số điện thoại hoặc email." })
  .trim()
  .min(1, "Hãy nhập số điện thoại hoặc email.")
  .refine((v) => (v.includes("@") ? looksLikeEmail(v) : normalizeVietnamesePhone(v) !== null), {
    message: "Số điện thoại hoặc email chưa đúng. Số di động có 10 chữ số, ví dụ 0905 123 456.",
  });

export const loginSchema = z.object({
  identifier: identifierField,
  password: z.string({ error: "Hãy nhập mật khẩu." }).min(1, "Hãy nhập mật khẩu."),
  redirectTo: z.string().optional(),
});

export type FieldErrors = Partial<Record<string, string>>;

/** The first message per field, the shape the forms show next to each input. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    out[key] ??= issue.message;
  }
  return out;
}

// ─── Passwords ──────────────────────────────────────────────────────────────

/** Passwords people reach for first; refused whatever their length (NIST SP 800-63B asks for a blocklist). */
const COMMON_PASSWORDS = new Set([
  "12345678",
  "123456789",
  "1234567890",
  "11111111",
  "00000000",
  "88888888",
  "66666666",
  "87654321",
  "12341234",
  "password",
  "password1",
  "matkhau",
  "matkhau1",
  "matkhau123",
  "abc12345",
  "abcd1234",
  "qwerty123",
  "qwertyui",
  "iloveyou",
  "anhai123",
  "danang123",
  "hocso123",
  "vietnam1",
  "admin123",
  "123123123",
  "147258369",
  "123456aa",
]);

export { PASSWORD_MIN, PASSWORD_MAX };

/** The rules a new password must meet, said the way the form says them. */
export const newPasswordField = z
  .string({ error: "Hãy nhập mật khẩu mới." })
  .min(1, "Hãy nhập mật khẩu mới.")
  .min(
    PASSWORD_MIN,
    `Mật khẩu cần ít nhất ${PASSWORD_MIN} ký tự. ` +
      `Một câu ngắn dễ nhớ là mật khẩu tốt, ví dụ: nha toi o Ngo Quyen.`,
  )
  .max(PASSWORD_MAX, `Mật khẩu dài quá ${PASSWORD_MAX} ký tự. Hãy chọn mật khẩu ngắn hơn.`)
  .refine((v) => !/^(.)\1*$/.test(v), {
    message: "Mật khẩu không được chỉ lặp lại một ký tự. Hãy chọn mật khẩu khó đoán hơn.",
  })
  .refine((v) => !COMMON_PASSWORDS.has(v.toLowerCase()), {
    message: "Mật khẩu này quá dễ đoán, kẻ gian thử nó đầu tiên. Hãy chọn mật khẩu khác.",
  });

/** A new password typed twice; also refuses a password that is just the phone number. */
function withConfirmation<T extends z.ZodRawShape>(shape: T) {
  return z
    .object({ ...shape, password: newPasswordField, confirmPassword: z.string().optional().default("") })
    .superRefine((value, ctx) => {
      const v = value as { password: string; confirmPassword: string; identifier?: string };
      if (v.password !== v.confirmPassword) {
        ctx.addIssue({
          code: "custom",
          path: ["confirmPassword"],
          message: "Hai lần nhập mật khẩu chưa giống nhau. Hãy nhập lại.",
        });
      }
      const phone = normalizeVietnamesePhone(v.identifier ?? "");
      const typed = v.password.replace(/[\s.]/g, "");
      if (phone && [phone, phone.slice(1), `0${phone.slice(3)}`].includes(typed)) {
        ctx.addIssue({
          code: "custom",
          path: ["password"],
          message: "Đừng dùng số điện thoại làm mật khẩu: ai biết số của bạn cũng đoán được.",
        });
      }
    });
}

const honeypot = { website: z.string().optional() };

export const displayNameField = z
  .string({ error: "Hãy nhập họ và tên." })
  .trim()
  .min(2, "Hãy nhập họ và tên, ví dụ: Nguyễn Thị Lan.")
  .max(80, "Họ và tên dài quá 80 ký tự.");

export const signupSchema = withConfirmation({
  displayName: displayNameField,
  identifier: identifierField,
  consent: z.literal("on", {
    error: "Bạn cần đồng ý để HọcSố lưu thông tin của bạn thì mới tạo được tài khoản.",
  }),
  ...honeypot,
});

export const forgotPasswordSchema = z.object({ identifier: identifierField, ...honeypot });

export const resetPasswordSchema = withConfirmation({ token: z.string().min(1) });

export const resetCodeSchema = withConfirmation({
  identifier: identifierField,
  code: z
    .string({ error: "Hãy nhập mã đặt lại mật khẩu." })
    .trim()
    .transform((v) => v.toUpperCase().replace(/[\s-]/g, ""))
    .pipe(
      z
        .string()
        .regex(/^[A-Z0-9]{8}$/, "Mã gồm 8 chữ và số, ví dụ: K7PM-2XQ9. Hãy kiểm tra lại tờ giấy được đưa."),
    ),
  ...honeypot,
});

export const changePasswordSchema = withConfirmation({
  currentPassword: z.string({ error: "Hãy nhập mật khẩu hiện tại." }).min(1, "Hãy nhập mật khẩu hiện tại."),
});

export const acceptInvitationSchema = withConfirmation({
  token: z.string().min(1),
  displayName: displayNameField,
  consent: z.literal("on", { error: "Bạn cần đồng ý để HọcSố lưu thông tin của bạn." }),
});

export const householdCodeSchema = z.object({
  code: z
    .string({ error: "Hãy nhập mã hộ gia đình." })
    .trim()
    .transform((v) => v.toUpperCase().replace(/[\s-]/g, ""))
    .pipe(
      z
        .string()
        .regex(/^[A-Z0-9]{4,16}$/, "Mã hộ gồm chữ và số, in trên giấy Tổ CNSCĐ đưa cho gia đình bạn."),
    ),
});

// ─── Field registration and invitations ─────────────────────────────────────

const optionalPhone = z
  .string()
  .trim()
  .optional()
  .refine((v) => !v || normalizeVietnamesePhone(v) !== null, {
    message: "Số di động chưa đúng: cần 10 chữ số, ví dụ 0905 123 456.",
  });

export const registerResidentSchema = z.object({
  householdId: formId("Hãy chọn hộ gia đình."),
  fullName: displayNameField,
  birthYear: z.coerce
    .number({ error: "Hãy nhập năm sinh, ví dụ 1958." })
    .int("Hãy nhập năm sinh, ví dụ 1958.")
    .min(1900, "Năm sinh chưa đúng, ví dụ 1958.")
    .refine((v) => v <= currentYear(), "Năm sinh chưa đúng, ví dụ 1958."),
  phone: optionalPhone,
  isHighSchoolStudent: z.literal("on").optional(),
  isEnterpriseWorker: z.literal("on").optional(),
  isFreelanceWorker: z.literal("on").optional(),
  isSmallTrader: z.literal("on").optional(),
  consent: z.literal("on", {
    error: "Cần người dân đồng ý cho lưu thông tin thì mới ghi vào danh sách được.",
  }),
  account: z.enum(["none", "managed", "login"]).default("none"),
});

export const linkAccountSchema = z.object({
  residentId: formId("Hãy chọn người dân."),
  identifier: identifierField,
});

export const inviteMemberSchema = z.object({
  intent: z.enum(["invite", "create"]),
  displayName: displayNameField,
  identifier: identifierField,
  teamId: formId("Hãy chọn tổ."),
  teamRole: z.enum(teamRoles).default("member"),
  affiliation: z.string().trim().max(80, "Tối đa 80 ký tự.").optional(),
});

export const profileSchema = z.object({
  displayName: displayNameField,
  email: z
    .string()
    .trim()
    .optional()
    .refine((v) => !v || looksLikeEmail(v), { message: "Email chưa đúng, ví dụ: ten@gmail.com." }),
});
