import { describe, expect, it } from "vitest";
import { currentYear, formatTime, vnDay, vnMidnight } from "~/format";

describe("dates in Vietnam time, whatever the server's zone", () => {
  it("on 31 December at 17:30 UTC it is already 1 January in Đà Nẵng, so ages count from the new year", () => {
    const newYearInVietnam = new Date("2026-12-31T17:30:00Z");
    expect(currentYear(newYearInVietnam)).toBe(2027);
    expect(vnDay(newYearInVietnam)).toBe("2027-01-01");
    expect(currentYear(new Date("2026-12-31T16:59:00Z"))).toBe(2026);
  });

  it("a Vietnam day starts at 00:00 +07:00, which is 17:00 UTC the day before", () => {
    expect(vnMidnight("2027-01-01").toISOString()).toBe("2026-12-31T17:00:00.000Z");
    expect(vnDay(vnMidnight("2027-01-01"))).toBe("2027-01-01");
    expect(Number.isNaN(vnMidnight("not a day").getTime())).toBe(true);
  });

  it("a time of day reads in Vietnam time on a 24-hour clock", () => {
    expect(formatTime(new Date("2026-05-04T07:35:00Z"))).toBe("14:35");
    expect(formatTime(new Date("2026-05-04T17:05:00Z"))).toBe("00:05");
  });
});
