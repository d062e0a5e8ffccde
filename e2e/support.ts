import { expect, type Page } from "@playwright/test";
import { SandboxClient } from "../sandbox/client";

export const sandbox = () => new SandboxClient(process.env.E2E_SANDBOX_URL ?? "");

export const newEmail = () => `e2e-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;

/** Signs up a new owner through the UI and lands on the dashboard. */
export async function signUp(page: Page, siteName = "Рога и копыта"): Promise<{ email: string; password: string }> {
  const email = newEmail();
  const password = "a good password";
  await page.goto("/sign-up");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Пароль").fill(password);
  await page.getByLabel("Название сайта").fill(siteName);
  await page.getByRole("button", { name: "Создать аккаунт" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  return { email, password };
}

/** Saves a screenshot of a main screen as a test artifact (test-results/screens, not committed). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}

/** Signs in through the sign-in page and lands on the dashboard. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Пароль").fill(password);
  await page.getByRole("button", { name: "Войти" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

export async function openSiteSettings(page: Page): Promise<void> {
  await page.getByRole("navigation", { name: "Разделы" }).getByRole("link", { name: "Сайт" }).click();
  await expect(page).toHaveURL(/\/settings\/site$/);
  await expect(page.getByRole("heading", { level: 1, name: "Настройки сайта" })).toBeVisible();
}

/** Fills and sends the site settings page's "add a member" form. */
export async function addMember(
  page: Page,
  email: string,
  password: string,
  role: "Администратор" | "Участник",
): Promise<void> {
  const form = page.getByRole("form", { name: "Добавить участника" });
  await form.getByLabel("Email", { exact: true }).fill(email);
  await form.getByLabel("Пароль").fill(password);
  await form.getByLabel("Роль", { exact: true }).selectOption({ label: role });
  await form.getByRole("button", { name: "Добавить участника" }).click();
}
