import { demo, expect, expectAccessible, signIn, test } from "./fixtures";

const header =
  "Mã hộ,Tổ dân phố,Địa chỉ,Hộ nghèo,Họ và tên,Năm sinh,Điện thoại,Học sinh THPT," +
  "Lao động doanh nghiệp/HTX,Lao động tự do,Tiểu thương,Đồng ý xử lý dữ liệu";
// Only an existing household (its address corrected, one person added): the demo's counts stay as they were.
const good = ["AH-TDP08-080,TDP08,5 Chính Hữu (nhà mới sơn),,Đinh Thị Mỹ Duyên,1961,0905 888 080,,,,x,x"];
const bad = [
  ...good,
  "AH-TDP08-080,TDP08,5 Chính Hữu (nhà mới sơn),,,1990,,,,,,x",
  "AH-TDP08-080,TDP08,5 Chính Hữu (nhà mới sơn),,Đinh Văn Toàn,2150,,,,,,x",
  "AH-TDP08-079,TDP99,Không rõ,,Đinh Văn Tú,1970,,,,,,x",
];
const file = (lines: string[]) => ({
  name: "danh-sach-to-8.csv",
  mimeType: "text/csv",
  buffer: Buffer.from(`\ufeff${header}\r\n${lines.join("\r\n")}\r\n`),
});

test("the office imports a roster with errors, fixes it and commits", async ({ page }) => {
  await signIn(page, demo.office);
  await page.goto("/office/roster");
  await expect(page.getByRole("heading", { name: "Nhập danh sách hộ dân" })).toBeVisible();
  await expect(page.getByRole("link", { name: "tệp mẫu Excel (.xlsx)" })).toHaveAttribute(
    "href",
    "/mau-danh-sach-ho-dan.xlsx",
  );

  await page.getByLabel(/Tệp danh sách/).setInputFiles(file(bad));
  await page.getByRole("button", { name: "Xem trước" }).click();
  await expect(page.getByText("Có 3 dòng cần sửa. Chưa có gì được nhập.")).toBeVisible();
  const issues = page.locator(".roster-issues tbody tr");
  await expect(issues).toHaveCount(3);
  await expect(issues.nth(0)).toContainText("3");
  await expect(issues.nth(0)).toContainText("Thiếu họ và tên");
  await expect(issues.nth(1)).toContainText("Năm sinh 2150 không hợp lý");
  await expect(issues.nth(2)).toContainText("Không có tổ dân phố “TDP99”");
  await expect(page.getByRole("button", { name: "Nhập vào hệ thống" })).toHaveCount(0);
  await expectAccessible(page);

  await page.getByLabel(/Tệp danh sách/).setInputFiles(file(good));
  await page.getByRole("button", { name: "Xem trước" }).click();
  // In the preview: the page's introduction also says "chỉ nhập khi mọi dòng đều đúng".
  await expect(page.locator(".roster-preview")).toContainText("Mọi dòng đều đúng.");
  await expect(page.locator(".roster-preview")).toContainText("thêm 0 hộ mới, cập nhật 1 hộ");
  await expect(page.locator(".roster-preview")).toContainText("thêm 1 người mới");
  await page.getByRole("button", { name: "Nhập vào hệ thống" }).click();
  await expect(page.getByText("Đã nhập xong danh sách.")).toBeVisible();
  await expect(page.getByRole("status")).toContainText("1 người mới");
  await expectAccessible(page);

  // Importing the same file again changes nothing.
  await page.getByLabel(/Tệp danh sách/).setInputFiles(file(good));
  await page.getByRole("button", { name: "Xem trước" }).click();
  await expect(page.locator(".roster-preview")).toContainText("thêm 0 hộ mới, cập nhật 0 hộ");
  await expect(page.locator(".roster-preview")).toContainText("thêm 0 người mới, cập nhật 0 người");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the office previews a roster file and sees why a file is refused", async ({ page }) => {
    await signIn(page, demo.office);
    await page.goto("/office/roster");
    await page.getByLabel(/Tệp danh sách/).setInputFiles({
      name: "danh-sach.xlsx",
      mimeType: "application/octet-stream",
      buffer: Buffer.from("MZ\x90\x00 not a workbook"),
    });
    await page.getByRole("button", { name: "Xem trước" }).click();
    await expect(
      page.getByRole("alert").filter({ hasText: "không phải bảng tính XLSX hay tệp CSV" }),
    ).toBeVisible();
    await expectAccessible(page);

    // An old link to a preview whose file is gone says so, and the form is there to choose again.
    await page.goto("/office/roster?file=999999");
    await expect(page.getByRole("alert")).toContainText("Không tìm thấy tệp xem trước này");
    await expect(page.getByRole("button", { name: "Xem trước" })).toBeVisible();
  });
});
