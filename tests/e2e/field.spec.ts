import { demo, expect, expectAccessible, signIn, test, signOut } from "./fixtures";

// A real 1×1 PNG, as a phone camera would send a photo (the type is read from these bytes).
const photo = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);
const program = Buffer.from([
  0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff,
]);

async function noSidewaysScroll(page: import("@playwright/test").Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
}

test.describe("on a 360 px phone", () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test("a member records a visit with a photo", async ({ page }) => {
    await signIn(page, demo.member);
    await page.goto("/field?notVisited=on");
    await noSidewaysScroll(page);
    await page.locator(".household-card a").first().click();
    await expect(page.getByRole("heading", { name: "Ghi nhận lần đến nhà" })).toBeVisible();
    await noSidewaysScroll(page);
    const address = await page.getByRole("heading", { level: 1 }).textContent();

    // A program renamed .jpg is refused; what was typed is kept.
    await page.getByRole("checkbox", { name: "Danang Smart City", exact: true }).check();
    await page.getByLabel("Ghi chú").fill("Hướng dẫn bà cài Danang Smart City, bà tự bấm được.");
    await page
      .getByLabel("Ảnh (không bắt buộc)")
      .setInputFiles({ name: "anh-nha.jpg", mimeType: "image/jpeg", buffer: program });
    await page.getByRole("button", { name: "Lưu lần đến nhà" }).click();
    await expect(page.getByText("không phải ảnh JPEG, PNG hay WebP")).toBeVisible();
    await expect(page.getByLabel("Ghi chú")).toHaveValue(
      "Hướng dẫn bà cài Danang Smart City, bà tự bấm được.",
    );
    await expect(page.getByRole("checkbox", { name: "Danang Smart City", exact: true })).toBeChecked();
    await expectAccessible(page);

    await page
      .getByLabel("Ảnh (không bắt buộc)")
      .setInputFiles({ name: "anh-nha.png", mimeType: "image/png", buffer: photo });
    await page.getByRole("button", { name: "Lưu lần đến nhà" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Đã ghi nhận lần đến nhà." })).toBeVisible();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(address!);
    const visit = page.locator(".visit").first();
    await expect(visit).toContainText("Danang Smart City");
    await expect(visit).toContainText("bà tự bấm được");
    const image = visit.getByRole("img");
    await expect(image).toBeVisible();
    // The photo really comes back through the access-checked file route.
    await expect
      .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBe(1);
    await noSidewaysScroll(page);
    await expectAccessible(page);

    // Tick a checklist item for the first resident; it shows in the history with who and how.
    const first = page.locator(".resident-card").first();
    await first.getByRole("checkbox", { name: "Đã cài Danang Smart City" }).check();
    await first.getByRole("radio", { name: "Thành viên hướng dẫn làm" }).check();
    await first.getByRole("button", { name: /^Lưu kỹ năng của/ }).click();
    await expect(
      page.getByRole("status").filter({ hasText: "Đã lưu 1 thay đổi kỹ năng của 1 người." }),
    ).toBeVisible();
    await page
      .locator(".resident-card")
      .first()
      .getByText(/Lịch sử ghi nhận/)
      .click();
    await expect(page.locator(".resident-card").first().locator(".history")).toContainText(
      "Đã cài Danang Smart City – Thành viên hướng dẫn làm",
    );
  });
});

test.describe("on a 360 px phone without JavaScript", () => {
  test.use({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });

  test("a member corrects a resident's birth year", async ({ page }) => {
    await signIn(page, demo.member);
    await page.goto("/field");
    await page.locator(".household-card a").nth(2).click();
    const card = page.locator(".resident-card").last();
    const name = (await card.getByRole("heading", { level: 3 }).textContent())!.trim();
    await card.getByRole("link", { name: `Sửa thông tin của ${name}` }).click();
    await expect(page.getByRole("heading", { level: 1, name: `Sửa thông tin của ${name}` })).toBeVisible();
    await noSidewaysScroll(page);
    await expectAccessible(page);
    const year = page.getByRole("textbox", { name: "Năm sinh" });
    const original = await year.inputValue();
    const corrected = String(Number(original) - 1);

    // A mistyped year is refused, and what was typed stays.
    await year.fill("195");
    await page.getByRole("button", { name: "Lưu thông tin" }).click();
    await expect(page.getByText("Năm sinh có 4 chữ số, ví dụ 1958.")).toBeVisible();
    await expect(page.getByRole("textbox", { name: "Năm sinh" })).toHaveValue("195");
    await expect(page.getByRole("textbox", { name: "Họ và tên" })).toHaveValue(name);
    await noSidewaysScroll(page);
    await expectAccessible(page);

    await page.getByRole("textbox", { name: "Năm sinh" }).fill(corrected);
    await page.getByRole("button", { name: "Lưu thông tin" }).click();
    await expect(page.getByRole("status")).toHaveText("Đã lưu thông tin đã sửa.");
    const person = page
      .locator(".resident-card")
      .filter({ has: page.getByRole("heading", { name, exact: true }) });
    await expect(person).toContainText(`Sinh năm ${corrected}`);
    await noSidewaysScroll(page);
    await expectAccessible(page);

    // Back as it was, so the demo ward stays as the other tests expect it.
    await person.getByRole("link", { name: `Sửa thông tin của ${name}` }).click();
    await page.getByRole("textbox", { name: "Năm sinh" }).fill(original);
    await page.getByRole("button", { name: "Lưu thông tin" }).click();
    await expect(page.getByRole("status")).toHaveText("Đã lưu thông tin đã sửa.");
    await expect(person).toContainText(`Sinh năm ${original}`);
  });
});

test("a member's badge leads to a public page that says the member is current", async ({ page }) => {
  await signIn(page, demo.member);
  await page.goto("/field/badge");
  await expect(page.getByRole("img", { name: /Mã QR/ })).toBeVisible();
  const code = (await page.locator(".badge-card__code .code").textContent())!.trim();
  // Whoever scans it is not signed in.
  await signOut(page);
  await expect(page.getByRole("link", { name: "Đăng nhập" })).toBeVisible();
  const anonymous = page;
  await anonymous.goto(`/badge/${code}`);
  await expect(anonymous.getByText("Đây là thành viên hiện tại của Tổ")).toBeVisible();
  await expect(anonymous.getByText("Cẩn thận kẻ giả danh")).toBeVisible();
  await expectAccessible(anonymous);
  // A resident can also type the code from the card.
  await anonymous.goto("/badge");
  await anonymous.getByLabel("Mã trên thẻ").fill(code.toLowerCase());
  await anonymous.getByRole("button", { name: "Kiểm tra" }).click();
  await expect(anonymous.getByText("Đây là thành viên hiện tại của Tổ")).toBeVisible();
  const fake = await anonymous.goto("/badge/GIAMAO1234");
  expect(fake?.status()).toBe(404);
  await expect(anonymous.getByText("Không có thẻ nào mang mã này")).toBeVisible();
});

test("a member cannot open another team's household", async ({ page }) => {
  await signIn(page, demo.member);
  // Households are numbered by group in the demo: 641 does not exist, 600 is in Tổ dân phố 8.
  const response = await page.goto("/field/households/600");
  expect(response?.status()).toBe(404);
});

test("a leader assigns a household to a member, and gives it back", async ({ page }) => {
  await signIn(page, demo.leader);
  await page.goto("/team?show=all");
  const first = page
    .locator(".team-page li")
    .filter({ has: page.locator('input[name="householdIds"]') })
    .first();
  const text = (await first.textContent())!;
  const original = /đang giao cho ([^,)]+)/.exec(text)![1]!.trim();
  const address = text.split(" (")[0]!.trim();
  const options = await page.getByLabel("Giao cho", { exact: true }).locator("option").allTextContents();
  const other = options.find((o) => o !== original && !o.startsWith("Chọn") && !o.startsWith("Bỏ giao"))!;

  await first.getByRole("checkbox").check();
  await page.getByLabel("Giao cho", { exact: true }).selectOption({ label: other });
  await page.getByRole("button", { name: "Phân công" }).click();
  await expect(page.getByText("Đã phân công lại 1 hộ.")).toBeVisible();
  await expectAccessible(page);
  const moved = page.locator(".team-page li").filter({ hasText: address }).first();
  await expect(moved).toContainText(`đang giao cho ${other}`);

  // Back to the member who had it, so the demo ward stays as it was.
  await moved.getByRole("checkbox").check();
  await page.getByLabel("Giao cho", { exact: true }).selectOption({ label: original });
  await page.getByRole("button", { name: "Phân công" }).click();
  await expect(page.getByText("Đã phân công lại 1 hộ.")).toBeVisible();
  await expect(page.locator(".team-page li").filter({ hasText: address }).first()).toContainText(
    `đang giao cho ${original}`,
  );
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a member adds a resident met at the door, only with their consent", async ({ page }) => {
    await signIn(page, demo.member);
    await page.goto("/field/households/new");
    await expect(page.getByRole("heading", { name: "Thêm hộ mới gặp" })).toBeVisible();
    await page.goto("/field");
    await page.locator(".household-card a").nth(1).click();
    await page.getByRole("textbox", { name: "Họ và tên" }).fill("Đoàn Thị Ngọc Ánh");
    await page.getByRole("textbox", { name: "Năm sinh" }).fill("1947");
    await page.getByLabel("Số điện thoại (không bắt buộc)").fill("0905 12");
    await page.getByRole("button", { name: "Thêm người" }).click();
    await expect(page.getByText("Số di động có 10 chữ số")).toBeVisible();
    await expect(page.getByText("Cần người dân đồng ý")).toBeVisible();
    await expect(page.getByRole("textbox", { name: "Họ và tên" })).toHaveValue("Đoàn Thị Ngọc Ánh");
    await expectAccessible(page);

    await page.getByLabel("Số điện thoại (không bắt buộc)").fill("0905 123 999");
    await page.getByRole("checkbox", { name: /họ đồng ý/ }).check();
    await page.getByRole("button", { name: "Thêm người" }).click();
    await expect(page.getByText("Đã thêm người vào hộ.")).toBeVisible();
    await expect(page.getByRole("heading", { name: "Đoàn Thị Ngọc Ánh" })).toBeVisible();
    await expect(page.getByText("Sinh năm 1947")).toBeVisible();
  });
});
