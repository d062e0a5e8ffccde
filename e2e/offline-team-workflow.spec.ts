import { expect, test, type Page } from "@playwright/test";
import type { SentMessageRecord } from "../sandbox/client";
import { addMember, newEmail, openSiteSettings, sandbox, screenshot, signIn, signUp } from "./support";

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** The server a newcomer runs on a laptop: no public address, so its bots are heard by long polling. */
const offlineURL = () => {
  const url = process.env.E2E_OFFLINE_BASE_URL;
  if (!url) throw new Error("E2E_OFFLINE_BASE_URL is set by e2e/global-setup.ts");
  return url;
};

function buttonData(message: SentMessageRecord, text: string): string {
  const button = message.reply_markup?.inline_keyboard.flat().find((candidate) => candidate.text.includes(text));
  if (!button || !("callback_data" in button) || !button.callback_data)
    throw new Error(`no «${text}» button under: ${message.text}`);
  return button.callback_data;
}

/** The bot's message in the chat that contains `text`, once it arrives. */
async function messageWith(botId: number, chatId: number, text: string): Promise<SentMessageRecord> {
  const find = async () => (await sandbox().messages(botId, { chatId })).find((message) => message.text.includes(text));
  await expect.poll(find, { timeout: 15_000 }).toBeDefined();
  return (await find())!;
}

async function openTelegramSettings(page: Page): Promise<void> {
  await page.getByRole("navigation", { name: "Разделы" }).getByRole("link", { name: "Telegram" }).click();
  await expect(page).toHaveURL(/\/settings\/notifications\/telegram$/);
}

test("with no public address, a newcomer connects the team's group in one click, a member takes a lead in Telegram, and the owner closes it from the inbox", async ({
  browser,
}) => {
  const id = unique();
  const bot = await sandbox().createBot({ username: `offline_${id}_bot` });
  const group = await sandbox().createGroup({ title: "Заявки с сайта" });
  const memberTelegram = await sandbox().createPrivateChat({
    first_name: "Иван",
    last_name: "Петров",
    username: `ivan_${id}`,
  });

  const ownerContext = await browser.newContext({ baseURL: offlineURL() });
  const owner = await ownerContext.newPage();
  await signUp(owner, "Без адреса");
  const siteKey = (await owner.getByTestId("site-key").textContent())?.trim() ?? "";

  // The bot: connected, and heard by polling, since there is no address for a webhook.
  await openTelegramSettings(owner);
  await owner.getByLabel("Bot Token").fill(bot.token);
  await owner.getByRole("button", { name: "Подключить бота" }).click();
  await expect(owner.getByText(`✓ Бот @${bot.username} подключен`)).toBeVisible();
  await expect(owner.getByTestId("telegram-updates-via")).toHaveText("опрос, без публичного адреса");

  // One click: the link's Start, pressed in the team's group, makes it the notification chat.
  await owner.getByRole("button", { name: "Подключить в Telegram" }).click();
  const link = owner.getByRole("link", { name: /^https:\/\/t\.me\// });
  const payload = new URL((await link.getAttribute("href")) ?? "").searchParams.get("start") ?? "";
  expect(payload).not.toBe("");
  await sandbox().sendStart(bot.id, group.id, payload);
  await expect(owner.getByText(`✓ Чат подключён: теперь уведомления приходят в чат ${group.id}.`)).toBeVisible({
    timeout: 15_000,
  });
  await screenshot(owner, "offline-connected");

  // A team member links their own Telegram account, so their presses carry their name.
  const member = { email: newEmail(), password: "a member password" };
  await openSiteSettings(owner);
  await addMember(owner, member.email, member.password, "Участник");
  await expect(owner.getByRole("status").filter({ hasText: member.email })).toBeVisible();
  const memberContext = await browser.newContext({ baseURL: offlineURL() });
  const memberPage = await memberContext.newPage();
  await signIn(memberPage, member.email, member.password);
  await openSiteSettings(memberPage);
  const account = memberPage.getByRole("region", { name: "Ваш аккаунт" }).getByRole("region", { name: "Telegram" });
  await account.getByRole("button", { name: "Привязать Telegram" }).click();
  const open = account.getByRole("link", { name: "Открыть в Telegram" });
  const linkPayload = new URL((await open.getAttribute("href")) ?? "").searchParams.get("start") ?? "";
  await sandbox().sendStart(bot.id, memberTelegram.id, linkPayload);
  const memberLabel = `Иван Петров (@ivan_${id})`;
  await expect(account.getByTestId("telegram-account")).toHaveText(memberLabel, { timeout: 15_000 });

  // A lead arrives in the group with its buttons.
  const submitted = await owner.request.post(`/api/v1/public/leads/${siteKey}`, {
    data: { name: "Зоя Клиентова", phone: "+7 900 111-22-33", message: "Перезвоните" },
  });
  expect(submitted.status()).toBe(201);
  const leadId = ((await submitted.json()) as { id: string }).id;
  const notification = await messageWith(bot.id, group.id, "Зоя Клиентова");

  // The member presses «Беру» in the group: a toast, and the message says who took it.
  const press = await sandbox().pressButtonAndWaitForAnswer(bot.id, {
    chatId: group.id,
    messageId: notification.message_id,
    data: buttonData(notification, "Беру"),
    fromUserId: memberTelegram.id,
  });
  expect(press.answer.text).toBeTruthy();
  const taken = await sandbox().waitForEdits(bot.id, group.id, notification.message_id, { timeoutMs: 15_000 });
  expect(taken.text).toContain("🙋 В работе: Иван Петров");
  expect(() => buttonData(taken, "Готово")).not.toThrow();

  // The inbox shows who took it, from Telegram.
  await owner.goto("/leads");
  await expect(owner.getByTestId("lead-row").filter({ hasText: "Зоя Клиентова" })).toContainText("В работе");
  await owner.goto(`/leads/${leadId}`);
  const work = owner.getByRole("region", { name: "Работа с заявкой" });
  await expect(work.getByText(/Взял\(а\): .*Иван Петров|Взял\(а\): .*ivan_/)).toBeVisible();
  await expect(work.getByTestId("state-history")).toContainText("из Telegram");
  await screenshot(owner, "offline-lead-taken");

  // The owner closes it from the inbox, and the Telegram message follows.
  await work.getByRole("button", { name: "Готово" }).click();
  await expect(work.getByTestId("lead-state")).toHaveText("Готово");
  const closed = await sandbox().waitForEdits(bot.id, group.id, notification.message_id, {
    count: taken.edits.length + 1,
    timeoutMs: 15_000,
  });
  expect(closed.text).toContain("✅ Готово");

  await memberContext.close();
  await ownerContext.close();
});
