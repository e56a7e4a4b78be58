import { describe, expect, it } from "vitest";
import { formatVietnamesePhone, normalizeVietnamesePhone } from "~/phone";

describe("Vietnamese mobile numbers", () => {
  it.each([
    ["0905123456", "+84905123456"],
    ["0905 123 456", "+84905123456"],
    ["0905.123.456", "+84905123456"],
    ["+84 905 123 456", "+84905123456"],
    ["+84905123456", "+84905123456"],
    ["84905123456", "+84905123456"],
    ["  0352-123-456 ", "+84352123456"],
  ])("%s is stored as %s", (typed, stored) => {
    expect(normalizeVietnamesePhone(typed)).toBe(stored);
  });

  it.each(["", "12345", "090512345", "09051234567", "0205123456", "+1 905 123 4567", "0905abc456"])(
    "%s is refused",
    (typed) => {
      expect(normalizeVietnamesePhone(typed)).toBeNull();
    },
  );

  it("shows a stored number the way people read it", () => {
    expect(formatVietnamesePhone("+84905123456")).toBe("0905 123 456");
  });
});
