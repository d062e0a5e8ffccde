import { expect, test } from "@playwright/test";

const newEmail = () => `e2e-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;

test("a newcomer signs up, lands on their site, signs out and back in", async ({ page }) => {
  const email = newEmail();
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Заявки с сайта — мгновенно в Telegram" })).toBeVisible();
  await page.getByRole("link", { name: "Зарегистрироваться" }).click();

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Пароль").fill("a good password");
  await page.getByLabel("Название сайта").fill("Рога и копыта");
  await page.getByRole("button", { name: "Создать аккаунт" }).click();

  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText("Рога и копыта", { exact: true })).toBeVisible();
  await expect(page.getByTestId("site-key")).toHaveText(/^[A-Za-z0-9_-]{16}$/);
  await expect(page.getByRole("heading", { name: "Первая заявка в Telegram: осталось немного" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Подключите своего бота из @BotFather" })).toHaveAttribute(
    "href",
    "/settings/notifications/telegram",
  );
  await page.screenshot({ path: "test-results/screens/dashboard.png", fullPage: true });

  await page.getByRole("button", { name: "Выйти" }).click();
  await expect(page).toHaveURL(/\/$/);

  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Пароль").fill("wrong password");
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("Неверный email или пароль");

  await page.getByLabel("Пароль").fill("a good password");
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText("Рога и копыта", { exact: true })).toBeVisible();
});

test("signing up twice with one email shows the error next to the form", async ({ page }) => {
  const email = newEmail();
  for (let attempt = 0; attempt < 2; attempt += 1) {
    await page.context().clearCookies();
    await page.goto("/sign-up");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Пароль").fill("a good password");
    await page.getByLabel("Название сайта").fill("Site");
    await page.getByRole("button", { name: "Создать аккаунт" }).click();
    if (attempt === 0) await expect(page).toHaveURL(/\/dashboard$/);
  }
  await expect(page.locator("form").getByRole("alert")).toHaveText("Этот email уже зарегистрирован");
});

test("the interface switches to English", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("button", { name: "en" }).click();
  await expect(page.getByRole("heading", { name: "Leads from your site, instantly in Telegram" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
});

test("the dashboard needs a session", async ({ page }) => {
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in$/);
});
