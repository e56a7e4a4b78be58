import ExcelJS from "exceljs";
import fs from "node:fs";
import { demo, expect, expectAccessible, signIn, test } from "./fixtures";

test("the office opens the dashboard and drills down to a household still missing", async ({ page }) => {
  await signIn(page, demo.office);
  await page.getByRole("link", { name: "Bảng theo dõi" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tiến độ chỉ tiêu – Phường An Hải");
  await expectAccessible(page);
  // Every target with its threshold, and the chart says what it shows.
  const targets = page.getByRole("table", { name: "Các chỉ tiêu của kế hoạch, Phường An Hải" });
  await expect(targets.getByRole("row")).toHaveCount(10);
  await expect(targets.getByRole("row", { name: /Hộ gia đình được tuyên truyền, phổ biến/ })).toContainText(
    "100%",
  );
  await expect(page.getByRole("img", { name: /Tỷ lệ đạt từng chỉ tiêu, Phường An Hải/ })).toBeVisible();
  await expect(page.getByText("Số liệu tính lúc")).toBeVisible();
  // The weekly figures are there on the ward's first view (computed with the summary, not beside it).
  const weekly = page.getByRole("table", { name: /Chỉ tiêu e theo tuần/ });
  await expect(weekly.getByRole("row").nth(1)).not.toContainText("Chưa có số liệu");
  await expect(page.getByRole("img", { name: /Tỷ lệ đạt chỉ tiêu e theo tuần/ })).toBeVisible();
  // Each target at the end of each quarter, as a chart and a table.
  await expect(page.getByRole("heading", { name: "Các chỉ tiêu qua từng quý" })).toBeVisible();
  await expect(
    page.getByRole("table", { name: /Tỷ lệ đạt từng chỉ tiêu vào cuối mỗi quý/ }).getByRole("row"),
  ).toHaveCount(10);

  await page.getByRole("link", { name: "Tổ dân phố 8", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tổ dân phố 8 – Phường An Hải");
  await expectAccessible(page);
  await page.getByRole("link", { name: "Xem hộ còn thiếu ở chỉ tiêu e" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Còn thiếu ở chỉ tiêu e");
  await expectAccessible(page);
  await expect(page.getByRole("heading", { name: /Nhóm ưu tiên/ })).toBeVisible();
  // A household never visited, with its address and the member who looks after it.
  const household = page.getByRole("rowheader", { name: /^AH-TDP08-\d{3}$/ }).first();
  await expect(household).toBeVisible();
  await expect(household.locator("xpath=..")).toContainText("Phước Mỹ");
});

test("the office enters an official denominator for a group, and a wrong one is explained", async ({
  page,
}) => {
  await signIn(page, demo.office);
  await page.goto("/office/groups/2");
  const field = page.getByLabel(/^e\. Số hộ gia đình/);
  await field.fill("nhiều");
  await page.getByRole("button", { name: "Lưu số chính thức" }).click();
  await expect(page.getByText("Hãy nhập một số nguyên không âm")).toBeVisible();
  await expect(field).toHaveValue("nhiều");
  await expectAccessible(page);
  await field.fill("100");
  await page.getByRole("button", { name: "Lưu số chính thức" }).click();
  const row = page
    .getByRole("table", { name: /Các chỉ tiêu của Tổ dân phố 2/ })
    .getByRole("row", { name: /Hộ gia đình được tuyên truyền/ });
  await expect(row).toContainText("số chính thức phường nhập");
  await expect(row).toContainText("100");
  await field.fill("");
  await page.getByRole("button", { name: "Lưu số chính thức" }).click();
  await expect(row).toContainText("theo danh sách nhân khẩu");
});

test("the office downloads the quarterly report as an Excel file", async ({ page }) => {
  await signIn(page, demo.office);
  await page.goto("/office");
  await page.getByRole("main").getByRole("link", { name: "Báo cáo quý" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Báo cáo quý");
  await expect(page.getByRole("heading", { name: "1. Việc đã làm trong quý" })).toBeVisible();
  await expectAccessible(page);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Tải báo cáo (Excel)" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^bao-cao-\d{4}-Q[1-4]-phuong-\d+\.xlsx$/);
  const file = await download.path();
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(fs.readFileSync(file!) as unknown as ArrayBuffer);
  expect(workbook.worksheets.map((w) => w.name)).toEqual(
    expect.arrayContaining(["activity", "targets", "notes"]),
  );
  const targets = workbook.getWorksheet("targets")!;
  expect(targets.getRow(2).getCell(1).value).toBe("Chỉ tiêu");
  expect(targets.rowCount).toBe(11);
});

test("a team leader writes the team's difficulties for the quarter", async ({ page }) => {
  await signIn(page, demo.leader);
  await page.getByRole("link", { name: "Báo cáo quý" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(
    "Tổ Công nghệ số cộng đồng – Tổ dân phố 1",
  );
  await page.getByLabel("Khó khăn, vướng mắc").fill("Nhiều cụ chưa có điện thoại thông minh.");
  await page.getByLabel("Đề xuất, kiến nghị").fill("Phường hỗ trợ mượn máy tính bảng.");
  await page.getByRole("button", { name: "Lưu ý kiến của Tổ" }).click();
  await expect(page.locator(".team-notes")).toContainText("Nhiều cụ chưa có điện thoại thông minh.");
  await expectAccessible(page);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the office picks a target's weekly progress with a plain form", async ({ page }) => {
    await signIn(page, demo.office);
    await page.goto("/office");
    await page.getByLabel("Chỉ tiêu", { exact: true }).selectOption("g");
    await page.getByRole("button", { name: "Xem", exact: true }).click();
    await expect(page.getByRole("table", { name: /Chỉ tiêu g theo tuần/ })).toBeVisible();
    await expect(page.getByRole("img", { name: /Tỷ lệ đạt chỉ tiêu g theo tuần/ })).toBeVisible();
  });
});

test("the dashboard fits a 360 px phone: wide tables scroll inside their box", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, demo.office);
  for (const path of ["/office", "/office/groups/1", "/office/groups/1/b", "/reports"]) {
    await page.goto(path);
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
});

test("a resident cannot open the dashboard", async ({ page }) => {
  await signIn(page, demo.resident);
  const response = await page.goto("/office/wards/1");
  expect(response?.status()).toBe(403);
});
