import { describe, expect, it } from "vitest";
import { makeFigure, parseQuarter, quarterOf, recentQuarters, targetByKey } from "~/targets";

describe("a target's figure", () => {
  it("is met only at the plan's threshold: 80% for adults' skills, 100% for households informed", () => {
    expect(makeFigure("b", 8, 10, null)).toMatchObject({ ratio: 0.8, met: true, source: "roster" });
    expect(makeFigure("b", 7, 10, null).met).toBe(false);
    expect(makeFigure("e", 99, 100, null).met).toBe(false);
    expect(makeFigure("e", 100, 100, null).met).toBe(true);
  });

  it("uses the office's official denominator when there is one, and says so", () => {
    expect(makeFigure("g", 50, 60, 100)).toMatchObject({
      denominator: 100,
      rosterDenominator: 60,
      ratio: 0.5,
      source: "official",
    });
  });

  it("has no ratio when there is nobody to count", () => {
    expect(makeFigure("d", 0, 0, null)).toMatchObject({ ratio: null, met: false });
  });

  it("writes target đ with its own letter", () => {
    expect(targetByKey.dd.letter).toBe("đ");
  });
});

describe("quarters", () => {
  it("reads 2026-Q1 as January to March", () => {
    expect(parseQuarter("2026-Q1")).toMatchObject({
      start: "2026-01-01",
      end: "2026-04-01",
      label: "Quý I năm 2026",
    });
    expect(parseQuarter("2026-Q4")).toMatchObject({ start: "2026-10-01", end: "2027-01-01" });
    expect(parseQuarter("2026-Q5")).toBeNull();
    expect(parseQuarter("abc")).toBeNull();
  });

  it("counts the quarter in Vietnam time: 31 March 20:00 UTC is already April in Đà Nẵng", () => {
    expect(quarterOf(new Date("2026-03-31T20:00:00Z")).key).toBe("2026-Q2");
    expect(recentQuarters(new Date("2026-02-01T00:00:00Z"), 3).map((q) => q.key)).toEqual([
      "2026-Q1",
      "2025-Q4",
      "2025-Q3",
    ]);
  });
});
