import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { newEmail, sandbox, screenshot, signUp } from "./support";

/** A distinct client address per submission, so the per-client throttle never gets in the way. */
let submissions = 0;
const uniqueIp = () => {
  submissions += 1;
  return `10.${Math.floor(Math.random() * 250)}.${Math.floor(submissions / 250)}.${(submissions % 250) + 1}`;
};

async function readSiteKey(page: Page): Promise<string> {
  if (!page.url().endsWith("/dashboard")) await page.goto("/dashboard");
  const key = (await page.getByTestId("site-key").textContent())?.trim() ?? "";
  expect(key).toMatch(/^[A-Za-z0-9_-]{16}$/);
  return key;
}

async function submitLead(page: Page, siteKey: string, data: Record<string, string>): Promise<string> {
  const response = await page.request.post(`/api/v1/public/leads/${siteKey}`, {
    data,
    headers: { "x-forwarded-for": uniqueIp() },
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

const rows = (page: Page) => page.getByTestId("lead-row");
const statusFilter = (page: Page) => page.getByLabel("Статус доставки");

const FULL_LEAD = {
  name: "Вера Полная",
  email: "vera@example.com",
  phone: "+7 900 123-45-67",
  company: "ООО «Ромашка»",
  message:
    "Здравствуйте! Хочу заказать сайт с формой заявок.\nПерезвоните, пожалуйста, после обеда — в любой будний день.",
  utm_source: "yandex",
  utm_medium: "cpc",
  utm_campaign: "spring_sale",
  utm_term: "заказать сайт",
  utm_content: "banner_1",
  page: "https://example.com/pricing",
  referrer: "https://ya.ru/search",
  device: "mobile",
  budget: "150 000 ₽",
  "Удобное время": "после 14:00",
};

test("an owner reads the inbox: empty state, newest first, more pages, filters, a lead in full, CSV", async ({
  page,
}) => {
  await signUp(page, "Инбокс");
  const siteKey = await readSiteKey(page);

  await page.getByRole("navigation", { name: "Разделы" }).getByRole("link", { name: "Заявки" }).click();
  await expect(page).toHaveURL(/\/leads$/);
  await expect(page.getByRole("heading", { name: "Заявки", level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Заявок пока нет" })).toBeVisible();
  await expect(page.getByRole("link", { name: "настройках сайта" })).toHaveAttribute("href", "/settings/site");
  await expect(page.getByRole("link", { name: "демо-форме" })).toHaveAttribute("href", `/demo/${siteKey}`);
  await screenshot(page, "leads-empty");

  // 23 older leads, then three that must come first, newest on top.
  for (let index = 1; index <= 23; index += 1) {
    await submitLead(page, siteKey, {
      name: `Старая ${String(index).padStart(2, "0")}`,
      email: `old${index}@example.com`,
    });
  }
  await submitLead(page, siteKey, { name: "Анна Первая", email: "anna@example.com", message: "Нужна консультация" });
  await submitLead(page, siteKey, { name: "Борис Второй", phone: "+7 900 000-00-02" });
  const fullId = await submitLead(page, siteKey, FULL_LEAD);

  // The list refreshes by itself; every lead ends "skipped" (no bot connected).
  await expect(rows(page).first()).toContainText("Вера Полная", { timeout: 15_000 });
  await expect(rows(page).first()).toContainText("Пропущено", { timeout: 15_000 });
  await expect(rows(page)).toHaveCount(25);
  await expect(rows(page).nth(0)).toContainText("vera@example.com");
  await expect(rows(page).nth(0)).toContainText("Здравствуйте! Хочу заказать сайт");
  await expect(rows(page).nth(1)).toContainText("Борис Второй");
  await expect(rows(page).nth(1)).toContainText("+7 900 000-00-02");
  await expect(rows(page).nth(2)).toContainText("Анна Первая");
  await expect(rows(page).nth(3)).toContainText("Старая 23");
  await expect(page.getByRole("columnheader", { name: "Доставка" })).toBeAttached();

  await page.getByRole("button", { name: "Показать ещё" }).click();
  await expect(rows(page)).toHaveCount(26);
  await expect(rows(page).last()).toContainText("Старая 01");
  await expect(page.getByRole("button", { name: "Показать ещё" })).toHaveCount(0);
  await expect(rows(page).getByText("Пропущено")).toHaveCount(26, { timeout: 15_000 });
  await screenshot(page, "leads-list");
  await statusFilter(page).focus();
  await page.keyboard.press("Tab");
  await expect(rows(page).first().getByRole("link")).toBeFocused();
  await page.screenshot({ path: "test-results/screens/leads-list-focus.png" });

  // Filters live in the URL.
  await statusFilter(page).selectOption({ label: "Ошибка" });
  await expect(page).toHaveURL(/\/leads\?status=failed$/);
  await expect(page.getByText("Фильтры: Статус доставки: Ошибка", { exact: true })).toBeVisible();
  await statusFilter(page).selectOption({ label: "Пропущено" });
  await expect(page).toHaveURL(/\/leads\?status=skipped$/);
  await expect(rows(page)).toHaveCount(25);
  await page.goBack();
  await expect(page).toHaveURL(/\/leads\?status=failed$/);
  await expect(statusFilter(page)).toHaveValue("failed");
  await page.goto("/leads?status=failed");
  await expect(statusFilter(page)).toHaveValue("failed");
  await expect(page.getByText("Фильтры: Статус доставки: Ошибка", { exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Показать все заявки" }).click();
  await expect(page).toHaveURL(/\/leads$/);
  await expect(statusFilter(page)).toHaveValue("");
  await expect(rows(page).first()).toContainText("Вера Полная");

  // Phones: the rows become cards.
  await page.setViewportSize({ width: 375, height: 812 });
  await expect(rows(page).first()).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await screenshot(page, "leads-list-375");
  await page.setViewportSize({ width: 1280, height: 900 });

  // A lead in full.
  await page.getByRole("link", { name: "Вера Полная" }).click();
  await expect(page).toHaveURL(new RegExp(`/leads/${fullId}$`));
  await expect(page.getByRole("heading", { name: "Вера Полная", level: 1 })).toBeVisible();
  const field = (label: string) =>
    page
      .locator("dt", { hasText: new RegExp(`^${label.replace(/[()]/g, "\\$&")}$`) })
      .locator("xpath=following-sibling::dd[1]");
  await expect(field("Имя")).toHaveText("Вера Полная");
  await expect(field("Email")).toHaveText("vera@example.com");
  await expect(field("Телефон")).toHaveText("+7 900 123-45-67");
  await expect(field("Компания")).toHaveText("ООО «Ромашка»");
  await expect(field("Сообщение")).toContainText("Перезвоните, пожалуйста, после обеда");
  await expect(field("Страница")).toHaveText("https://example.com/pricing");
  await expect(field("Откуда пришёл (referrer)")).toHaveText("https://ya.ru/search");
  await expect(field("Устройство")).toHaveText("Телефон");
  await expect(field("Источник (utm_source)")).toHaveText("yandex");
  await expect(field("Канал (utm_medium)")).toHaveText("cpc");
  await expect(field("Кампания (utm_campaign)")).toHaveText("spring_sale");
  await expect(field("Ключевое слово (utm_term)")).toHaveText("заказать сайт");
  await expect(field("Объявление (utm_content)")).toHaveText("banner_1");
  await expect(page.getByRole("heading", { name: "Дополнительные поля" })).toBeVisible();
  await expect(field("budget")).toHaveText("150 000 ₽");
  await expect(field("Удобное время")).toHaveText("после 14:00");
  await expect(page.getByText(/^Получена \d/)).toBeVisible();
  await expect(page.getByTestId("delivery-status")).toHaveText("Пропущено");
  await expect(field("Попыток")).toHaveText("1");
  await expect(field("Последняя ошибка")).toHaveText("Нет активной интеграции с Telegram");
  await expect(page.getByRole("heading", { name: "История доставки" })).toBeVisible();
  const attempts = page.getByTestId("delivery-attempt");
  await expect(attempts).toHaveCount(1);
  await expect(attempts.first()).toContainText("Пропущено");
  await expect(attempts.first()).toContainText("Нет активной интеграции с Telegram");
  await expect(page.getByRole("button", { name: "Отправить повторно" })).toBeVisible();
  await screenshot(page, "lead-detail");
  await page.setViewportSize({ width: 375, height: 812 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await screenshot(page, "lead-detail-375");
  await page.setViewportSize({ width: 1280, height: 900 });

  await page.getByRole("link", { name: "← Все заявки" }).click();
  await expect(page).toHaveURL(/\/leads$/);

  // CSV of every lead.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Скачать CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("leads.csv");
  const csv = readFileSync((await download.path()) ?? "", "utf8");
  expect(csv).toContain("Вера Полная");
  expect(csv).toContain("vera@example.com");
  expect(csv).toContain("150 000 ₽");
  expect(csv).toContain("Старая 01");

  await page.goto("/leads/no-such-lead");
  await expect(page.getByRole("heading", { name: "Заявка не найдена" })).toBeVisible();
  await expect(page.getByRole("link", { name: "← Все заявки" })).toBeVisible();
});

test("an owner sends a failed lead again once the bot is unblocked, and it is delivered", async ({ page, baseURL }) => {
  await signUp(page, "Повтор");
  const siteKey = await readSiteKey(page);
  const telegram = sandbox();
  const bot = await telegram.createBot({ username: `inbox_${Date.now().toString(36)}_bot` });
  const chat = await telegram.createPrivateChat({ first_name: "Owner" });
  // The page's session cookie authenticates this call, so it comes from the app's own origin (CSRF check).
  const connected = await page.request.post("/api/v1/telegram/integration", {
    data: { bot_token: bot.token, owner_chat_id: chat.id },
    headers: { origin: baseURL ?? "" },
  });
  expect(connected.status(), await connected.text()).toBe(201);

  await telegram.blockBot(chat.id, bot.id);
  const leadId = await submitLead(page, siteKey, {
    name: "Григорий Повторный",
    phone: "+7 900 555-55-55",
    message: "Жду звонка",
  });

  await page.goto("/leads");
  await expect(rows(page).first()).toContainText("Ошибка", { timeout: 15_000 });
  await statusFilter(page).selectOption({ label: "Ошибка" });
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("Григорий Повторный");
  await statusFilter(page).selectOption({ label: "Доставлено" });
  await expect(page.getByText("Фильтры: Статус доставки: Доставлено", { exact: true })).toBeVisible();

  await page.goto(`/leads/${leadId}`);
  await expect(page.getByTestId("delivery-status")).toHaveText("Ошибка");
  const attempts = page.getByTestId("delivery-attempt");
  await expect(attempts).toHaveCount(1);
  await expect(attempts.first()).toContainText("403");
  await expect(attempts.first()).toContainText("bot was blocked by the user");
  // Telegram's words, and what the owner can do about them in the owner's language.
  await expect(attempts.first()).toContainText(
    "Бот заблокирован в этом чате: откройте чат с ботом в Telegram, нажмите «Перезапустить»",
  );

  await telegram.unblockBot(chat.id, bot.id);
  await page.getByRole("button", { name: "Отправить повторно" }).click();
  await expect(page.getByRole("status").filter({ hasText: "поставлено в очередь" })).toBeVisible();
  await expect(page.getByTestId("delivery-status")).toHaveText("Доставлено", { timeout: 15_000 });
  await expect(attempts).toHaveCount(2);
  await expect(attempts.nth(1)).toContainText("Доставлено");
  const messages = await telegram.waitForMessages(bot.id, { chatId: chat.id });
  expect(messages.map((message) => JSON.stringify(message)).join("\n")).toContain("Григорий Повторный");
  await screenshot(page, "lead-detail-resent");

  await page.getByRole("link", { name: "← Все заявки" }).click();
  await statusFilter(page).selectOption({ label: "Доставлено" });
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("Доставлено");
});

test("a member reads the leads but cannot send them again", async ({ page, browser, baseURL }) => {
  await signUp(page, "Команда");
  const siteKey = await readSiteKey(page);
  const leadId = await submitLead(page, siteKey, { name: "Дарья Для Участника", email: "daria@example.com" });
  const member = { email: newEmail(), password: "a member password" };
  const created = await page.request.post("/api/v1/tenant/members", {
    data: { ...member, role: "member" },
    headers: { origin: baseURL ?? "" },
  });
  expect(created.status(), await created.text()).toBe(201);

  const context = await browser.newContext({ baseURL: process.env.E2E_BASE_URL });
  const memberPage = await context.newPage();
  await memberPage.goto("/sign-in");
  await memberPage.getByLabel("Email").fill(member.email);
  await memberPage.getByLabel("Пароль").fill(member.password);
  await memberPage.getByRole("button", { name: "Войти" }).click();
  await expect(memberPage).toHaveURL(/\/dashboard$/);

  await memberPage.getByRole("navigation", { name: "Разделы" }).getByRole("link", { name: "Заявки" }).click();
  await expect(rows(memberPage).first()).toContainText("Дарья Для Участника");
  await expect(rows(memberPage).first()).toContainText("Пропущено", { timeout: 15_000 });
  await rows(memberPage).first().getByRole("link").click();
  await expect(memberPage).toHaveURL(new RegExp(`/leads/${leadId}$`));
  await expect(memberPage.getByRole("heading", { name: "Дарья Для Участника", level: 1 })).toBeVisible();
  await expect(memberPage.getByTestId("delivery-status")).toHaveText("Пропущено");
  await expect(memberPage.getByRole("heading", { name: "История доставки" })).toBeVisible();
  await expect(memberPage.getByRole("button", { name: "Отправить повторно" })).toHaveCount(0);
  await screenshot(memberPage, "lead-detail-member");
  await context.close();
});

test("the team works a lead from the inbox: takes it, closes it, filters by state, and the dashboard counts it", async ({
  page,
}) => {
  const { email } = await signUp(page, "Работа с заявками");
  const siteKey = await readSiteKey(page);
  const openLeads = page.getByTestId("figure-open");
  await expect(openLeads).toHaveText("0");
  const leadId = await submitLead(page, siteKey, { name: "Зоя Рабочая", phone: "+7 900 000-11-22" });
  await submitLead(page, siteKey, { name: "Яков Новый", email: "yakov@example.com" });
  await page.reload();
  await expect(openLeads).toHaveText("2");

  await page.goto(`/leads/${leadId}`);
  const work = page.getByRole("region", { name: "Работа с заявкой" });
  await expect(work.getByTestId("lead-state")).toHaveText("Новая");
  await expect(work.getByText("Никто ещё не взял заявку.")).toBeVisible();
  await work.getByRole("button", { name: "В работе" }).click();
  await expect(work.getByTestId("lead-state")).toHaveText("В работе");
  await expect(work.getByText(`Взял(а): ${email}`)).toBeVisible();
  await expect(work.getByRole("status")).toHaveText("Состояние: В работе.");
  await work.getByRole("button", { name: "Готово" }).click();
  await expect(work.getByTestId("lead-state")).toHaveText("Готово");
  const history = work.getByTestId("state-history").getByRole("listitem");
  await expect(history).toHaveCount(2);
  await expect(history.nth(0)).toContainText(`В работе — ${email}`);
  await expect(history.nth(1)).toContainText(`Готово — ${email}`);
  await expect(history.nth(1)).toContainText("на сайте");
  await screenshot(page, "lead-work");

  await page.goto("/leads");
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).filter({ hasText: "Зоя Рабочая" })).toContainText("Готово");
  await expect(rows(page).filter({ hasText: "Яков Новый" })).toContainText("Новая");
  await page.getByLabel("Состояние").selectOption({ label: "Новая" });
  await expect(page).toHaveURL(/\/leads\?state=new$/);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("Яков Новый");
  await page.getByLabel("Состояние").selectOption({ label: "Спам" });
  await expect(page.getByText("Фильтры: Состояние: Спам", { exact: true })).toBeVisible();

  await page.goto("/dashboard");
  await expect(openLeads).toHaveText("1");
});
