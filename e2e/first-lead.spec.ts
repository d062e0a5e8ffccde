import { expect, test } from "@playwright/test";
import { SPEC_EXAMPLE_FOOTER, SPEC_EXAMPLE_NOTIFICATION } from "../lib/leads/__fixtures__/spec-example";
import { sandbox, screenshot, signUp } from "./support";

/** The spec's example, with the footer the demo form produces. */
const expectedNotification = (siteKey: string) =>
  SPEC_EXAMPLE_NOTIFICATION.replace(
    SPEC_EXAMPLE_FOOTER,
    `🔗 utm_source: leadgram-demo | страница: /demo/${siteKey} | устройство: desktop`,
  );

/**
 * A person who has never seen Leadgram gets their first lead into Telegram using only the
 * UI: sign up, connect a bot, pick the chat, test, webhook, a lead from the demo form, the
 * inbox — and the switch that stops notifications.
 */
test("a newcomer gets their first lead into Telegram using only the UI", async ({ page }) => {
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const bot = await sandbox().createBot({ username: `first_${id}_bot` });
  const chat = await sandbox().createPrivateChat({ first_name: "Иван", username: `ivan_${id}` });

  await signUp(page, "Рога и копыта");
  const siteKey = (await page.getByTestId("site-key").textContent())?.trim() ?? "";
  await page.getByRole("navigation").getByRole("link", { name: "Telegram" }).click();

  // A wrong token shows the spec's error; the right one connects the bot.
  const tokenField = page.getByLabel("Bot Token");
  await tokenField.fill("123456789:AAHwrong-token-for-this-newcomer-000000");
  await page.getByRole("button", { name: "Подключить бота" }).click();
  await expect(page.getByText("Invalid Telegram bot token: Could not validate token with Telegram")).toBeVisible();
  await tokenField.fill(bot.token);
  await page.getByRole("button", { name: "Подключить бота" }).click();
  await expect(page.getByText(`✓ Бот @${bot.username} подключен`)).toBeVisible();

  // The webhook: installed and active.
  await page.getByRole("button", { name: "Установить webhook" }).click();
  await expect(page.getByTestId("telegram-webhook-status")).toHaveText("✓ Активен");

  // The chat: the owner writes /start to the bot, then picks the chat from the list.
  await sandbox().sendStart(bot.id, chat.id);
  await page.getByRole("button", { name: "Обновить список" }).click();
  const chatRow = page
    .getByRole("list", { name: "Чаты бота" })
    .getByRole("listitem")
    .filter({ hasText: `@${chat.username}` });
  await chatRow.getByRole("button", { name: "Использовать этот чат" }).click();
  await expect(chatRow).toContainText("✓ Получает уведомления");
  await expect(page.getByLabel("Ваш Chat ID")).toHaveValue(String(chat.id));

  // A test message arrives in that chat.
  await page.getByRole("button", { name: "Отправить тестовое сообщение" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Тестовое сообщение отправлено!" })).toBeVisible();
  const afterTest = await sandbox().waitForMessages(bot.id, { chatId: chat.id, count: 2 });
  expect(afterTest.at(-1)?.text).toContain("тестовое сообщение");
  await screenshot(page, "first-lead-telegram");

  // A visitor sends the demo form (plain HTML, no script needed).
  await page.goto(`/demo/${siteKey}`);
  await page.getByLabel("Имя").fill("Иван Петров");
  await page.getByLabel("Email").fill("ivan@example.com");
  await page.getByLabel("Телефон").fill("+7 999 123-45-67");
  await page
    .getByLabel("Сообщение")
    .fill("Здравствуйте! Интересует ваша услуга по разработке сайта.\nХотел бы обсудить детали проекта.");
  await page.getByLabel("Компания").fill('ООО "Рога и копыта"');
  await page.getByRole("button", { name: "Отправить заявку" }).click();
  await expect(page.getByRole("status")).toHaveText("Спасибо! Заявка отправлена.");
  await screenshot(page, "first-lead-demo-sent");

  // The notification arrives in the spec's format.
  const notifications = await sandbox().waitForMessages(bot.id, { chatId: chat.id, count: 3 });
  const notification = notifications.at(-1);
  expect(notification?.parse_mode).toBe("HTML");
  expect(notification?.text).toBe(expectedNotification(siteKey));

  // The lead is in the inbox as delivered.
  await page.goto("/dashboard");
  await expect(page.getByTestId("site-key")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Первая заявка в Telegram: осталось немного" })).toHaveCount(0);
  await page.getByRole("navigation").getByRole("link", { name: "Заявки" }).click();
  const firstRow = page.getByRole("row").filter({ hasText: "Иван Петров" });
  await expect(firstRow).toContainText("Доставлено", { timeout: 15_000 });
  await screenshot(page, "first-lead-inbox");

  // Notifications off: the next lead is kept but marked skipped.
  await page.getByRole("navigation").getByRole("link", { name: "Telegram" }).click();
  const toggle = page.getByRole("switch", { name: "Telegram уведомления" });
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  // The switch shows where it is going while it saves; leaving the page before it is saved would cancel it.
  await expect(toggle).not.toHaveAttribute("aria-disabled", "true");
  await page.goto(`/demo/${siteKey}`);
  await page.getByLabel("Имя").fill("Пётр Второй");
  await page.getByLabel("Email").fill("petr@example.com");
  await page.getByRole("button", { name: "Отправить заявку" }).click();
  await expect(page.getByRole("status")).toHaveText("Спасибо! Заявка отправлена.");
  await page.goto("/leads");
  await expect(page.getByRole("row").filter({ hasText: "Пётр Второй" })).toContainText("Пропущено", {
    timeout: 15_000,
  });
  expect(await sandbox().messages(bot.id, { chatId: chat.id })).toHaveLength(3);
});
