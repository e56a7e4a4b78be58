import type { Browser, Page } from "@playwright/test";
import { demo, expect, expectAccessible, signIn, test, signOut } from "./fixtures";

const PASSWORD = "con duong ven song Han";
let counter = 0;
/** A phone number no other test uses: 09 + 8 digits from the clock and a counter. */
function freshPhone(): string {
  const n = (Date.now() % 1_000_000) * 100 + (counter++ % 100);
  return `093${String(n).padStart(7, "0").slice(-7)}`;
}

async function signUp(page: Page, name: string, identifier: string) {
  await page.goto("/signup");
  await page.getByLabel("Họ và tên").fill(name);
  await page.getByLabel("Số điện thoại hoặc email", { exact: true }).fill(identifier);
  await page.getByLabel("Mật khẩu", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Nhập lại mật khẩu").fill(PASSWORD);
  await page.getByRole("checkbox", { name: /Tôi đồng ý/ }).check();
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();
  await page.waitForURL(/\/me\?welcome=1/);
  await expectAccessible(page);
}

test("a resident signs up with a phone number, sees their account, signs out and back in", async ({
  page,
}) => {
  const phone = freshPhone();
  await page.goto("/signup");
  // A first try with a mistake keeps what was typed, except the password.
  await page.getByLabel("Họ và tên").fill("Nguyễn Thị Lan");
  await page.getByLabel("Số điện thoại hoặc email", { exact: true }).fill(phone);
  await page.getByLabel("Mật khẩu", { exact: true }).fill("12345678");
  await page.getByLabel("Nhập lại mật khẩu").fill("12345678");
  await page.getByRole("button", { name: "Tạo tài khoản" }).click();
  await expect(page.getByText("Mật khẩu này quá dễ đoán")).toBeVisible();
  await expect(page.getByText(/Bạn cần đồng ý/)).toBeVisible();
  await expect(page.getByLabel("Họ và tên")).toHaveValue("Nguyễn Thị Lan");
  await expect(page.getByLabel("Mật khẩu", { exact: true })).toHaveValue("");
  await expectAccessible(page);

  await signUp(page, "Nguyễn Thị Lan", phone);
  await expect(page.getByText("Chào mừng Nguyễn Thị Lan!")).toBeVisible();
  await expect(page.getByText(`${phone.slice(0, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`)).toBeVisible();

  await signOut(page);
  await expect(page.getByRole("link", { name: "Đăng nhập" })).toBeVisible();
  await signIn(page, phone.replace(/^0/, "+84 "), PASSWORD);
  await page.goto("/me");
  await expect(page.getByRole("heading", { name: "Tài khoản của tôi" })).toBeVisible();
});

test("a resident who forgot their password resets it by the link in the mail (read from the outbox)", async ({
  page,
}) => {
  const email = `lan.${Date.now()}@example.vn`;
  await signUp(page, "Trần Thị Lan", email);
  await signOut(page);

  await page.goto("/forgot-password");
  await page.getByLabel("Số điện thoại hoặc email").fill(email);
  await page.getByRole("button", { name: "Gửi hướng dẫn đặt lại mật khẩu" }).click();
  await expect(page.getByText(/chúng tôi đã gửi thư có đường dẫn đặt lại mật khẩu/)).toBeVisible();
  await expectAccessible(page);

  await page.goto("/dev/outbox");
  const mail = page
    .locator("article", { has: page.getByRole("heading", { name: "Đặt lại mật khẩu HọcSố" }) })
    .filter({ hasText: email })
    .first();
  await mail.getByRole("link", { name: /reset-password/ }).click();
  await page.waitForURL(/\/reset-password\?token=/);
  const link = page.url();
  await expectAccessible(page);
  const newPassword = "mat khau moi cua Lan";
  await page.getByLabel("Mật khẩu mới", { exact: true }).fill(newPassword);
  await page.getByLabel("Nhập lại mật khẩu mới").fill(newPassword);
  await page.getByRole("button", { name: "Lưu mật khẩu mới" }).click();
  await page.waitForURL(/\/login\?done=password/);
  await expect(page.getByText("Đã đổi mật khẩu")).toBeVisible();

  await signIn(page, email, newPassword);
  // The link worked once only.
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Đường dẫn không còn dùng được" })).toBeVisible();
});

async function signedInContext(browser: Browser, baseURL: string | undefined, login: string) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Số điện thoại hoặc email").fill(login);
  await page.getByLabel("Mật khẩu").fill(PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  return { context, page };
}

test("a resident sees both their devices and signs out of every device at once", async ({
  page,
  browser,
  baseURL,
}) => {
  const phone = freshPhone();
  await signUp(page, "Phạm Văn Hùng", phone);
  const other = await signedInContext(browser, baseURL, phone);

  await page.goto("/me/sessions");
  await expect(page.locator(".session-card")).toHaveCount(2);
  await expect(page.locator(".badge", { hasText: "Thiết bị này" })).toHaveCount(1);
  await page.getByRole("button", { name: "Đăng xuất khỏi mọi thiết bị" }).click();
  await page.waitForURL(/\/login\?signedOut=all/);
  await expect(page.getByText("Bạn đã đăng xuất khỏi mọi thiết bị")).toBeVisible();
  await expectAccessible(page);

  // The other device is signed out too.
  await other.page.goto("/me");
  await expect(other.page).toHaveURL(/\/login\?redirectTo=%2Fme/);
  await other.context.close();
});

test("a leader hands a resident a reset code, and the resident sets a new password with it", async ({
  page,
}) => {
  await signIn(page, demo.leader);
  await page.goto("/reset-codes");
  await page.getByLabel("Số điện thoại hoặc email của người cần mã").fill(demo.resident);
  await page.getByRole("button", { name: "Cấp mã" }).click();
  const code = (await page.locator(".code-card__code").textContent())!.trim();
  expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  await expectAccessible(page);
  await signOut(page);

  await page.goto("/reset-code");
  await page.getByLabel("Số điện thoại hoặc email của tài khoản").fill(demo.resident);
  await page.getByLabel("Mã đặt lại mật khẩu").fill(code);
  // The demo password stays the demo password, so other tests can still sign in.
  await page.getByLabel("Mật khẩu mới", { exact: true }).fill("AnHai@2026");
  await page.getByLabel("Nhập lại mật khẩu mới").fill("AnHai@2026");
  await page.getByRole("button", { name: "Đặt mật khẩu mới" }).click();
  await page.waitForURL(/\/login\?done=password/);
  await signIn(page, demo.resident);
});

test("a form posted from another site is refused with a Vietnamese message", async ({ request }) => {
  const response = await request.post("/logout", {
    headers: { Origin: "https://evil.example" },
    form: { x: "1" },
  });
  expect(response.status()).toBe(403);
  expect(await response.text()).toContain("Yêu cầu bị từ chối vì không đến từ trang của HọcSố");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a resident signs up and changes their password with plain forms", async ({ page }) => {
    const phone = freshPhone();
    await signUp(page, "Lê Văn Tư", phone);
    await page.goto("/me/password");
    await page.getByLabel("Mật khẩu hiện tại").fill(PASSWORD);
    await page.getByLabel("Mật khẩu mới", { exact: true }).fill("mot buoi sang o An Hai");
    await page.getByLabel("Nhập lại mật khẩu mới").fill("mot buoi sang o An Hai");
    await page.getByRole("button", { name: "Đổi mật khẩu" }).click();
    await page.waitForURL(/\/me\?done=password/);
    await expect(page.getByText("Đã đổi mật khẩu")).toBeVisible();
    await expectAccessible(page);
  });
});

test("the office invites a member by email; the member accepts and registers a resident at the door", async ({
  page,
  browser,
  baseURL,
}) => {
  const email = `thanhvien.${Date.now()}@example.vn`;
  await signIn(page, demo.office);
  await page.goto("/office/members");
  await page.getByLabel("Họ và tên").fill("Đoàn Minh Khoa");
  await page.getByLabel("Email hoặc số điện thoại").fill(email);
  await page.getByLabel("Tổ", { exact: true }).selectOption({ index: 1 });
  await page.getByLabel("Đơn vị (không bắt buộc)").fill("Đoàn Thanh niên");
  await page.getByRole("button", { name: "Gửi lời mời qua email" }).click();
  await expect(page.getByText("Đã gửi lời mời tới Đoàn Minh Khoa")).toBeVisible();
  await expectAccessible(page);
  await page.goto("/office/data-requests");

  await page.goto("/dev/outbox");
  const href = await page
    .locator("article", { hasText: email })
    .first()
    .getByRole("link", { name: /accept-invite/ })
    .getAttribute("href");

  const member = await browser.newContext({ baseURL });
  const mpage = await member.newPage();
  await mpage.goto(new URL(href!).pathname + new URL(href!).search);
  await expectAccessible(mpage);
  await mpage.getByLabel("Mật khẩu", { exact: true }).fill(PASSWORD);
  await mpage.getByLabel("Nhập lại mật khẩu").fill(PASSWORD);
  await mpage.getByRole("checkbox", { name: /Tôi đồng ý/ }).check();
  await mpage.getByRole("button", { name: "Nhận lời mời" }).click();
  await mpage.waitForURL(/\/me\?welcome=1/);
  await expect(mpage.getByText("Thành viên Tổ CNSCĐ").first()).toBeVisible();

  await mpage.getByRole("link", { name: "Ghi tên người dân vào danh sách hộ" }).click();
  await mpage.waitForURL(/\/field\/register/);
  await expectAccessible(mpage);
  await mpage.getByLabel("Hộ gia đình").selectOption({ index: 1 });
  await mpage.getByLabel("Họ và tên", { exact: true }).fill("Huỳnh Thị Bảy");
  await mpage.getByLabel("Năm sinh", { exact: true }).fill("1952");
  await mpage.getByLabel(/Học cùng Tổ/).check();
  await mpage.getByRole("checkbox", { name: /Người dân đã đồng ý/ }).check();
  await mpage.getByRole("button", { name: "Ghi vào danh sách" }).click();
  await expect(mpage.getByText("Đã ghi tên Huỳnh Thị Bảy vào danh sách hộ.")).toBeVisible();
  await expectAccessible(mpage);
  await member.close();
});

test("an administrator changes a role on the users page", async ({ page, browser, baseURL }) => {
  const phone = freshPhone();
  const other = await browser.newContext({ baseURL });
  await signUp(await other.newPage(), "Dương Văn Mạnh", phone);
  await other.close();
  await signIn(page, demo.admin);
  await page.goto(`/admin?q=${phone}`);
  const row = page.getByRole("row", { name: /Dương Văn Mạnh/ });
  await row.getByRole("combobox").selectOption("member");
  await row.getByRole("button", { name: "Lưu" }).click();
  await expect(page.getByText("Đã đổi vai trò.")).toBeVisible();
  await expectAccessible(page);
});

test("a resident downloads their own data as a JSON file", async ({ page }) => {
  await signIn(page, demo.resident);
  await page.goto("/me/data");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Tải dữ liệu của tôi (JSON)" }).click(),
  ]);
  const path = await download.path();
  const fs = await import("node:fs");
  const data = JSON.parse(fs.readFileSync(path, "utf8"));
  expect(data.account.phone).toBe("+84905123456");
  expect(data.resident.fullName).toBeTruthy();
  expect(JSON.stringify(data)).not.toMatch(/argon2/);
});

test("a resident asks for their data to be deleted, and the office erases it", async ({ page }) => {
  const phone = freshPhone();
  await signUp(page, "Hồ Thị Xoá", phone);
  await page.goto("/me/data");
  await page.getByLabel("Lý do hoặc lời nhắn (không bắt buộc)").fill("Tôi chuyển đi nơi khác");
  await page.getByRole("button", { name: "Gửi yêu cầu xoá dữ liệu" }).click();
  await expect(page.getByText("Đã gửi yêu cầu xoá.")).toBeVisible();
  await signOut(page);

  await signIn(page, demo.office);
  await page.goto("/office/data-requests");
  const row = page.getByRole("row", { name: /Hồ Thị Xoá/ });
  await expect(row).toContainText("Tôi chuyển đi nơi khác");
  // Forgetting the confirmation box erases nothing and says why.
  await row.getByRole("button", { name: "Xoá dữ liệu" }).click();
  await expect(row.getByRole("alert")).toContainText("Hãy đánh dấu ô xác nhận");
  await expectAccessible(page);
  await row.getByLabel("Tôi đã kiểm tra đúng người; xoá vĩnh viễn").check();
  await row.getByRole("button", { name: "Xoá dữ liệu" }).click();
  await expect(page.getByText("Đã xoá dữ liệu theo yêu cầu.")).toBeVisible();
  await expect(page.getByRole("row", { name: /Hồ Thị Xoá/ })).toHaveCount(0);
  await signOut(page);

  // The account cannot sign in any more.
  await page.goto("/login");
  await page.getByLabel("Số điện thoại hoặc email").fill(phone);
  await page.getByLabel("Mật khẩu").fill(PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("alert").first()).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
});

test("the account pages fit a 360 px phone", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of ["/signup", "/forgot-password", "/reset-code"]) {
    await page.goto(path);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
      path,
    ).toBeLessThanOrEqual(0);
  }
  await signIn(page, demo.resident);
  for (const path of ["/me", "/me/sessions", "/me/data", "/me/password"]) {
    await page.goto(path);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
      path,
    ).toBeLessThanOrEqual(0);
  }
});

test("the remaining account pages are readable and accessible", async ({ page, browser, baseURL }) => {
  await page.goto("/privacy");
  await expect(page.getByRole("heading", { name: "HọcSố lưu gì về bạn, và vì sao" })).toBeVisible();
  await page.goto("/verify-email?token=khong-dung");
  await expect(page.getByRole("heading", { name: "Không xác nhận được email" })).toBeVisible();
  await page.goto("/accept-invite?token=khong-dung");
  await expect(page.getByRole("heading", { name: "Lời mời không còn dùng được" })).toBeVisible();

  const phone = freshPhone();
  await signUp(page, "Lưu Thị Chín", phone);
  await page.goto("/me/profile");
  await page.getByLabel("Email (không bắt buộc)").fill("khong-phai-email");
  await page.getByRole("button", { name: "Lưu" }).click();
  await expect(page.getByText("Email chưa đúng")).toBeVisible();
  await expectAccessible(page);
  await page.goto("/me/link");
  await page.getByLabel("Mã hộ gia đình").fill("ZZZZ-9999");
  await page.getByRole("button", { name: "Tìm hộ gia đình" }).click();
  await expect(page.getByText("Không tìm thấy hộ có mã này")).toBeVisible();
  await expectAccessible(page);

  const member = await browser.newContext({ baseURL });
  const mpage = await member.newPage();
  await signIn(mpage, demo.member);
  await mpage.goto("/field/link");
  await mpage.getByLabel("Hộ gia đình").selectOption({ index: 1 });
  await mpage.getByRole("button", { name: "Xem người trong hộ" }).click();
  await expect(mpage.getByRole("heading", { name: "Người dân tự liên kết" })).toBeVisible();
  await expectAccessible(mpage);
  await member.close();
});
