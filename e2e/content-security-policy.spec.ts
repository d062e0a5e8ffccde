import { expect, test } from "@playwright/test";
import { signUp } from "./support";

test("no page of the app breaks its Content-Security-Policy", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(message.text()))
      violations.push(`${page.url()}: ${message.text()}`);
  });

  await signUp(page);
  for (const link of ["Заявки", "Telegram", "Сайт"]) {
    await page.getByRole("navigation", { name: "Разделы" }).getByRole("link", { name: link }).click();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  }
  const demoHref = await page.getByRole("link", { name: "Открыть демо-форму" }).getAttribute("href");
  await page.goto(demoHref ?? "");
  await page.getByLabel("Имя").fill("Иван");
  await page.getByRole("button", { name: /Отправить/ }).click();
  await expect(page.getByRole("status")).toBeVisible();
  // Client-side navigation and hydration ran: the locale switcher re-renders the page.
  await page.goto("/dashboard");
  await page.getByRole("button", { name: "en" }).click();
  await expect(page.getByRole("navigation", { name: "Sections" })).toBeVisible();
  await page.goto("/thanks");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();

  expect(violations).toEqual([]);
});

test("a visitor's refusal page from the lead endpoint loads its stylesheet under its policy", async ({
  page,
  baseURL,
}) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Content-Security-Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.setContent(
    `<form method="post" action="${baseURL}/api/v1/public/leads/no-such-site"><input name="name" value="Иван"><button>Отправить</button></form>`,
  );
  await page.getByRole("button", { name: "Отправить" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  // public/visitor.css paints the page's background.
  await expect(page.locator("body")).toHaveCSS("background-color", "rgb(248, 250, 252)");
  expect(violations).toEqual([]);
});
