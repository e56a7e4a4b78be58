import { describe, expect, it } from "vitest";
import { headingSlug } from "~/courses/slug";

describe("a lesson section's id (what a quiz question's `teaches` names)", () => {
  it("is the heading's words in lower case without diacritics, other characters joined by one -", () => {
    expect(headingSlug("Cài VNeID đúng nơi")).toBe("cai-vneid-dung-noi");
    expect(headingSlug("Danang Smart City là gì?")).toBe("danang-smart-city-la-gi");
    expect(headingSlug("Đăng ký – bước 1: mở ứng dụng")).toBe("dang-ky-buoc-1-mo-ung-dung");
    expect(headingSlug("  “Tổng đài 1022” & Zalo!  ")).toBe("tong-dai-1022-zalo");
    expect(headingSlug("Khoẻ, hoá, xoá, toả")).toBe("khoe-hoa-xoa-toa");
  });
  it("is the same for text saved decomposed (NFD) and composed (NFC)", () => {
    expect(headingSlug("Ghi nhớ".normalize("NFD"))).toBe(headingSlug("Ghi nhớ"));
  });
});
