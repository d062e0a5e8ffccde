import { expect, test } from "@playwright/test";
import { screenshot, signUp } from "./support";

/** A page on the owner's own site (another origin than Leadgram's), served by the test. */
const SHOP = "http://shop.example";

function shopForm(action: string, fields: string): string {
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Магазин</title></head><body>
<form action="${action}" method="POST">
  ${fields}
  <input type="hidden" name="_redirect" value="${SHOP}/spasibo">
  <button type="submit">Отправить</button>
</form></body></html>`;
}

/**
 * A plain HTML form on a site whose allowed origins are empty (every new site) asks to send
 * the visitor back to its own thank-you page: the lead is kept, the visitor is thanked by
 * Leadgram in their language, and the owner is told which redirect was refused and how to
 * allow it — until they do.
 */
test("a plain HTML form's refused redirect keeps the lead, thanks the visitor and tells the owner", async ({
  page,
  browser,
  baseURL,
}) => {
  await signUp(page, "Магазин");
  const siteKey = (await page.getByTestId("site-key").textContent())?.trim() ?? "";
  const action = `${baseURL}/api/v1/public/leads/${siteKey}`;

  const visitorContext = await browser.newContext({ locale: "ru-RU" });
  const visitor = await visitorContext.newPage();
  let fields = `<label>Имя <input name="name"></label><label>Компания <input name="company"></label>`;
  await visitor.route(`${SHOP}/contact`, (route) =>
    route.fulfill({ contentType: "text/html; charset=utf-8", body: shopForm(action, fields) }),
  );

  await test.step("a form with nothing to answer is refused with a readable Russian page and a way back", async () => {
    await visitor.goto(`${SHOP}/contact`);
    await visitor.getByLabel("Компания").fill("ООО Ромашка");
    await visitor.getByRole("button", { name: "Отправить" }).click();
    await expect(visitor.getByRole("heading", { name: "Заявка не отправлена" })).toBeVisible();
    await expect(visitor.getByText("Укажите имя, email, телефон или сообщение")).toBeVisible();
    await expect(visitor.getByRole("link", { name: "Вернуться к форме" })).toHaveAttribute("href", `${SHOP}/`);
    await screenshot(visitor, "plain-form-refused");
  });

  await test.step("a valid lead is kept and the visitor lands on Leadgram's thank-you page", async () => {
    fields = `<label>Имя <input name="name"></label><label>Телефон <input name="phone"></label>`;
    await visitor.goto(`${SHOP}/contact`);
    await visitor.getByLabel("Имя").fill("Посетитель Магазина");
    await visitor.getByLabel("Телефон").fill("+7 900 000-00-00");
    await visitor.getByRole("button", { name: "Отправить" }).click();
    await expect(visitor).toHaveURL(`${baseURL}/thanks`);
    await expect(visitor.getByRole("heading", { name: "Спасибо! Заявка отправлена." })).toBeVisible();
    await expect(visitor.getByRole("link", { name: "Вернуться на сайт" })).toHaveAttribute("href", `${SHOP}/`);
    await screenshot(visitor, "plain-form-thanks");
  });
  await visitorContext.close();

  await test.step("the owner sees the refused redirect on the dashboard, in the inbox and on the lead", async () => {
    await page.goto("/dashboard");
    const notice = page.getByTestId("refused-redirects");
    await expect(notice).toContainText(`${SHOP}/spasibo`);
    await expect(notice).toContainText(`добавьте источник ${SHOP}`);
    await screenshot(page, "dashboard-refused-redirect");

    await page.goto("/leads");
    await expect(page.getByTestId("refused-redirects")).toContainText(`${SHOP}/spasibo`);
    await page.getByRole("link", { name: "Посетитель Магазина" }).click();
    const onLead = page.getByTestId("lead-refused-redirect");
    await expect(onLead).toContainText("Переадресация отклонена");
    await expect(onLead).toContainText(`${SHOP}/spasibo`);
  });

  await test.step("allowing the origin from the notice's link ends the notice", async () => {
    await page.getByRole("link", { name: "настройках сайта → Разрешённые источники" }).click();
    await expect(page).toHaveURL(/\/settings\/site#origins$/);
    const origins = page.getByRole("region", { name: "Разрешённые источники" });
    await origins.getByLabel("Новый источник").fill(SHOP);
    await origins.getByRole("button", { name: "Добавить", exact: true }).click();
    await expect(origins.getByRole("status").filter({ hasText: `Добавлено: ${SHOP}` })).toBeVisible();
    await page.goto("/dashboard");
    await expect(page.getByTestId("site-key")).toBeVisible();
    await expect(page.getByTestId("refused-redirects")).toHaveCount(0);
  });
});
