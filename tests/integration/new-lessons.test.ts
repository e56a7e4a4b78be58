/**
 * A course that grows shows its new lesson as new: "Bài mới" beside a lesson added to it in the
 * last 90 days, and the course is no longer complete for those who finished it before (their
 * certificate stays valid).
 */
import { describe, expect, it } from "vitest";
import { getCourseFor, isRecentlyAdded } from "~/courses/catalog.server";

describe("a lesson added to a course", () => {
  it("is new for 90 days from the day it was added", () => {
    const added = "2026-12-02";
    expect(isRecentlyAdded(added, Date.parse("2026-12-10T12:00:00+07:00"))).toBe(true);
    expect(isRecentlyAdded(added, Date.parse("2027-03-05T12:00:00+07:00"))).toBe(false);
    expect(isRecentlyAdded(undefined)).toBe(false);
  });

  it("is listed in its course, and only it is marked", async () => {
    const found = await getCourseFor(null, "an-toan-thong-tin");
    const lesson = found!.lessons.find((l) => l.id === "kiem-tra-the-thanh-vien");
    expect(lesson).toBeDefined();
    expect(found!.lessons.filter((l) => l.id !== "kiem-tra-the-thanh-vien").every((l) => !l.isNew)).toBe(
      true,
    );
  });
});
