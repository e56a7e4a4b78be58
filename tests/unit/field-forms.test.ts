import { describe, expect, it } from "vitest";
import { fieldErrors } from "~/forms/auth";
import { assignSchema, residentSchema, visitSchema } from "~/forms/field";
import { columnForHeader, foldHeader } from "~/roster-columns";

describe("roster headers", () => {
  it("match whatever the case, accents, spacing or Unicode form", () => {
    expect(foldHeader("Mã hộ")).toBe("ma_ho");
    expect(foldHeader("Điện thoại")).toBe("dien_thoai");
    expect(columnForHeader("MA HO")?.field).toBe("householdCode");
    expect(columnForHeader("Họ và tên".normalize("NFD"))?.field).toBe("fullName");
    expect(columnForHeader(" Ngày sinh ")?.field).toBe("birthYear");
    expect(columnForHeader("SĐT")?.field).toBe("phone");
    expect(columnForHeader("Ghi chú")).toBeUndefined();
  });
});

describe("field forms say what is wrong in Vietnamese", () => {
  it("a resident needs a name, a four-digit birth year and consent", () => {
    const result = residentSchema.safeParse({ fullName: "", birthYear: "58", phone: "0905 12" });
    expect(result.success).toBe(false);
    expect(fieldErrors(result.error!)).toEqual({
      fullName: "Hãy nhập họ và tên.",
      birthYear: "Năm sinh có 4 chữ số, ví dụ 1958.",
      phone: "Số di động có 10 chữ số, ví dụ 0905 123 456.",
      consent: "Cần người dân đồng ý trước khi ghi thông tin của họ.",
    });
    const ok = residentSchema.parse({
      fullName: "Lê Thị Hồng",
      birthYear: "1958",
      phone: "",
      consent: "on",
      isSmallTrader: "on",
    });
    expect(ok).toMatchObject({ birthYear: 1958, isSmallTrader: true, isFreelanceWorker: false });
  });

  it("a visit needs a date not in the future and at least one topic", () => {
    const result = visitSchema.safeParse({ visitedOn: "2999-01-01", topics: [] });
    expect(fieldErrors(result.error!)).toEqual({
      visitedOn: "Ngày đến nhà không thể ở tương lai.",
      topics: "Hãy chọn ít nhất một nội dung đã hướng dẫn.",
    });
  });

  it("an assignment needs a member and at least one household", () => {
    const result = assignSchema.safeParse({ memberUserId: "", householdIds: [] });
    expect(fieldErrors(result.error!)).toEqual({
      memberUserId: "Hãy chọn thành viên.",
      householdIds: "Hãy chọn ít nhất một hộ.",
    });
    expect(assignSchema.parse({ memberUserId: "none", householdIds: ["3"] })).toEqual({
      memberUserId: "none",
      householdIds: [3],
    });
  });
});
