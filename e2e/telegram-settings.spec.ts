import { expect, test, type Page } from "@playwright/test";
import { sandbox, screenshot, signUp } from "./support";

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** Signs up and opens Settings → Telegram from the navigation. */
async function openTelegramSettings(page: Page): Promise<void> {
  await signUp(page);
  await page.getByRole("navigation").getByRole("link", { name: "Telegram" }).click();
  await expect(page).toHaveURL(/\/settings\/notifications\/telegram$/);
  await expect(page.getByRole("heading", { level: 1, name: "Telegram уведомления" })).toBeVisible();
}

async function newBotAndChat() {
  const id = unique();
  const bot = await sandbox().createBot({ username: `lg_${id}_bot` });
  const chat = await sandbox().createPrivateChat({ first_name: "Анна", username: `anna_${id}` });
  return { bot, chat };
}

test("the owner connects a bot, its webhook and their chat, tests it, switches it and deletes it", async ({ page }) => {
  await openTelegramSettings(page);

  // No integration yet: the setup form with BotFather's steps.
  await expect(page.getByRole("heading", { name: "Подключите Telegram-бота" })).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "Отправьте команду /newbot" })).toBeVisible();
  await screenshot(page, "telegram-setup");

  // A token Telegram does not know: the explanation and the server's words, next to the field.
  const tokenField = page.getByLabel("Bot Token");
  await tokenField.fill("7999999999:AAHthis_token_is_unknown_to_telegram_00");
  await page.getByRole("button", { name: "Подключить бота" }).click();
  const tokenError = page.locator("#bot_token-error[role=alert]");
  await expect(tokenError).toContainText("Telegram не принял этот токен");
  await expect(tokenError).toContainText("Invalid Telegram bot token: Could not validate token with Telegram");
  await expect(tokenField).toHaveAttribute("aria-invalid", "true");
  await expect(tokenField).toHaveAttribute("aria-describedby", /bot_token-error/);
  await screenshot(page, "telegram-invalid-token");

  // The right token: the bot is connected.
  const { bot, chat } = await newBotAndChat();
  await tokenField.fill(bot.token);
  await page.getByRole("button", { name: "Подключить бота" }).click();
  await expect(page.getByText(`✓ Бот @${bot.username} подключен`)).toBeVisible();
  await expect(page.getByText(`${bot.id}:••••••••`)).toBeVisible();
  const webhookStatus = page.getByTestId("telegram-webhook-status");
  await expect(webhookStatus).toHaveText("Не активен");
  // Without a webhook the server polls the bot, and the page says so.
  const updatesVia = page.getByTestId("telegram-updates-via");
  await expect(updatesVia).toHaveText("опрос, без публичного адреса");

  // The webhook, installed for the first time.
  await page.getByRole("button", { name: "Установить webhook" }).click();
  await expect(webhookStatus).toHaveText("✓ Активен");
  await expect(updatesVia).toHaveText("через webhook");
  await expect(page.getByRole("status").filter({ hasText: "Webhook установлен." })).toBeVisible();
  await expect(page.getByRole("button", { name: "Переустановить webhook" })).toBeVisible();

  // One-click connection: the chat presses Start with the link's payload.
  await page.getByRole("button", { name: "Подключить в Telegram" }).click();
  const link = page.getByRole("link", { name: /^https:\/\/t\.me\// });
  await expect(link).toBeVisible();
  await expect(link).toHaveAttribute("target", "_blank");
  await expect(page.getByText("Откройте ссылку и нажмите Start — чат подключится сам")).toBeVisible();
  const href = await link.getAttribute("href");
  const url = new URL(href ?? "");
  expect(url.pathname).toBe(`/${bot.username}`);
  const payload = url.searchParams.get("start");
  expect(payload).toBeTruthy();
  await screenshot(page, "telegram-connect-link");
  const delivery = await sandbox().sendStart(bot.id, chat.id, payload ?? "");
  expect(delivery).toMatchObject({ status: 200 });

  // Polling picks the bound chat up: the Chat ID field, the status and the chats list.
  const chatIdField = page.getByLabel("Ваш Chat ID");
  await expect(chatIdField).toHaveValue(String(chat.id), { timeout: 10_000 });
  await expect(page.getByRole("status").filter({ hasText: "Чат подключён" })).toBeVisible();
  const chatRow = page
    .getByRole("list", { name: "Чаты бота" })
    .getByRole("listitem")
    .filter({ hasText: `@${chat.username}` });
  await expect(chatRow).toContainText("Анна");
  await expect(chatRow).toContainText("личный чат");
  await expect(chatRow).toContainText("✓ Получает уведомления");

  // The test message reaches that chat.
  await page.getByRole("button", { name: "Отправить тестовое сообщение" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Тестовое сообщение отправлено!" })).toBeVisible();
  const messages = await sandbox().waitForMessages(bot.id, { chatId: chat.id, count: 2 });
  expect(messages.map((message) => message.text)).toEqual(
    expect.arrayContaining([
      expect.stringContaining("Готово"),
      expect.stringContaining("Leadgram: тестовое сообщение"),
    ]),
  );

  // A new link used by the chat that already receives notifications also ends in "connected".
  await page.getByRole("button", { name: "Подключить в Telegram" }).click();
  const waitingForStart = page.getByRole("status").filter({ hasText: "Ждём, когда вы нажмёте Start" });
  await expect(waitingForStart).toBeVisible();
  const again = new URL((await page.getByRole("link", { name: /^https:\/\/t\.me\// }).getAttribute("href")) ?? "");
  expect(again.searchParams.get("start")).not.toBe(payload);
  await sandbox().sendStart(bot.id, chat.id, again.searchParams.get("start") ?? "");
  await expect(
    page.getByRole("status").filter({ hasText: `Чат подключён: теперь уведомления приходят в чат ${chat.id}` }),
  ).toBeVisible({ timeout: 10_000 });
  await expect(waitingForStart).toBeHidden();

  // "Как узнать Chat ID?" opens the three ways.
  await page.getByText("Как узнать Chat ID?").click();
  await expect(page.getByText("Способ 1: через @userinfobot")).toBeVisible();
  await expect(page.getByText("https://api.telegram.org/bot{TOKEN}/getUpdates")).toBeVisible();
  await expect(page.getByText("Способ 3: через эту страницу")).toBeVisible();
  await screenshot(page, "telegram-connected");
  await page.setViewportSize({ width: 375, height: 800 });
  await screenshot(page, "telegram-connected-375");
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.getByText("Как узнать Chat ID?").click();

  // OFF and ON again.
  const toggle = page.getByRole("switch", { name: "Telegram уведомления" });
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await expect(page.getByText("Уведомления выключены")).toBeVisible();
  await page.reload();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await screenshot(page, "telegram-off");
  await toggle.press("Space");
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await expect(page.getByText("Уведомления выключены")).toHaveCount(0);

  // Deleting asks first; cancelling keeps everything.
  await page.getByRole("button", { name: "Удалить интеграцию" }).click();
  await expect(page.getByText("Точно удалить?")).toBeVisible();
  await expect(page.getByRole("button", { name: "Отмена" })).toBeFocused();
  await screenshot(page, "telegram-delete-confirm");
  await page.getByRole("button", { name: "Отмена" }).click();
  await expect(page.getByText("Точно удалить?")).toHaveCount(0);
  await page.getByRole("button", { name: "Удалить интеграцию" }).click();
  await page.getByRole("button", { name: "Да, удалить" }).click();
  await expect(page.getByRole("heading", { name: "Подключите Telegram-бота" })).toBeVisible();
  await expect(page.getByRole("switch")).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Подключите Telegram-бота" })).toBeVisible();
});

test("Telegram being down, a blocked bot and failing deliveries are explained on the page", async ({ page }) => {
  // The settings fail to load at first: an error with a retry button.
  await page.route("**/api/v1/telegram/integration", (route) =>
    route.request().method() === "GET"
      ? route.fulfill({ status: 500, json: { detail: "Internal Server Error", code: "internal_error" } })
      : route.fallback(),
  );
  await openTelegramSettings(page);
  const loadError = page.getByRole("alert").filter({ hasText: "Не удалось загрузить настройки Telegram." });
  await expect(loadError).toBeVisible({ timeout: 10_000 });
  await page.unroute("**/api/v1/telegram/integration");
  await loadError.getByRole("button", { name: "Повторить" }).click();
  await expect(page.getByRole("heading", { name: "Подключите Telegram-бота" })).toBeVisible();
  const { bot, chat } = await newBotAndChat();

  // Telegram unreachable while checking the token: not called invalid.
  await sandbox().injectFault({ kind: "bad_gateway", method: "getMe", bot_id: bot.id, times: 1 });
  await page.getByLabel("Bot Token").fill(bot.token);
  await page.getByRole("button", { name: "Подключить бота" }).click();
  await expect(page.locator("#bot_token-error[role=alert]")).toHaveText("Telegram недоступен, попробуйте ещё раз");

  // Second try works; the chat id is typed in directly.
  await page.getByLabel("Ваш Chat ID (необязательно)").fill(String(chat.id));
  await page.getByRole("button", { name: "Подключить бота" }).click();
  await expect(page.getByText(`✓ Бот @${bot.username} подключен`)).toBeVisible();
  await expect(page.getByLabel("Ваш Chat ID")).toHaveValue(String(chat.id));
  await expect(page.getByText("Пока никто не писал боту")).toBeVisible();

  // An invalid Chat ID is refused next to the field.
  const chatIdField = page.getByLabel("Ваш Chat ID");
  await chatIdField.fill("12.5");
  await page.getByRole("button", { name: "Сохранить" }).click();
  await expect(page.locator("#owner_chat_id-error")).toContainText("Chat ID — это целое число");
  await chatIdField.fill(String(chat.id));
  await page.getByRole("button", { name: "Сохранить" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Chat ID сохранён." })).toBeVisible();

  // The user blocked the bot: the test result and what to do about it.
  await sandbox().blockBot(chat.id, bot.id);
  await page.getByRole("button", { name: "Отправить тестовое сообщение" }).click();
  await expect(
    page
      .getByRole("alert")
      .filter({ hasText: "Тестовое сообщение не отправлено: Forbidden: bot was blocked by the user" }),
  ).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "Бот заблокирован в этом чате" })).toBeVisible();
  await screenshot(page, "telegram-test-blocked");

  // A lead whose notification fails: the warning with Telegram's reason and a link to the failed leads.
  const tenant = await (await page.request.get("/api/v1/tenant")).json();
  const submitted = await page.request.post(`/api/v1/public/leads/${tenant.site_key}`, {
    data: { name: "Иван", message: "Перезвоните" },
  });
  expect(submitted.status()).toBe(201);
  await expect
    .poll(async () => (await (await page.request.get("/api/v1/leads?status=failed&limit=1")).json()).items.length, {
      timeout: 15_000,
    })
    .toBe(1);
  await page.reload();
  const warning = page.getByRole("alert").filter({ hasText: "Последние уведомления не доставлены" });
  await expect(warning).toContainText("Последние уведомления не доставлены: Forbidden: bot was blocked by the user");
  // The advice follows the delivery's reason code (bot_blocked), not Telegram's wording.
  await expect(warning).toContainText("Откройте чат с ботом в Telegram, разблокируйте его");
  await expect(warning.getByRole("link", { name: "Посмотреть недоставленные заявки" })).toHaveAttribute(
    "href",
    "/leads?status=failed",
  );
  await screenshot(page, "telegram-delivery-failed");

  // The same screen in English.
  await page.getByRole("button", { name: "en" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Telegram notifications" })).toBeVisible();
  await expect(page.getByText(`✓ Bot @${bot.username} connected`)).toBeVisible();
  await expect(
    page
      .getByRole("alert")
      .filter({ hasText: "Recent notifications were not delivered: Forbidden: bot was blocked by the user" }),
  ).toBeVisible();
  await page.setViewportSize({ width: 375, height: 800 });
  await screenshot(page, "telegram-en-375");
});
