import { expect, test } from "@playwright/test";
import { openSiteSettings, sandbox, screenshot, signUp } from "./support";

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

test("a member links their Telegram account, the team shows it, and a manager keeps presses to members", async ({
  page,
  baseURL,
}) => {
  await signUp(page);
  const id = unique();
  const bot = await sandbox().createBot({ username: `lg_${id}_bot` });
  const telegramUser = await sandbox().createPrivateChat({
    first_name: "Иван",
    last_name: "Петров",
    username: `ivan_${id}`,
  });
  // The bot itself is connected as the Telegram settings page would (its own e2e covers that).
  const connected = await page.request.post("/api/v1/telegram/integration", {
    data: { bot_token: bot.token },
    headers: { origin: baseURL ?? "" },
  });
  expect(connected.status()).toBe(201);

  await openSiteSettings(page);
  const account = page.getByRole("region", { name: "Ваш аккаунт" }).getByRole("region", { name: "Telegram" });
  await account.getByRole("button", { name: "Привязать Telegram" }).click();
  const open = account.getByRole("link", { name: "Открыть в Telegram" });
  await expect(open).toHaveAttribute("href", new RegExp(`^https://t\\.me/${bot.username}\\?start=l_`));
  await expect(account.getByRole("status")).toHaveText("Ждём нажатия «Start» в Telegram…");
  await screenshot(page, "telegram-account-link-waiting");

  const payload = new URL((await open.getAttribute("href")) ?? "").searchParams.get("start") ?? "";
  await sandbox().sendStart(bot.id, telegramUser.id, payload);
  const label = `Иван Петров (@ivan_${id})`;
  await expect(account.getByRole("status")).toHaveText(`Telegram привязан: ${label}`);
  await expect(account.getByTestId("telegram-account")).toHaveText(label);
  await expect(page.getByTestId("member-telegram")).toHaveText(`Telegram: ${label}`);
  await screenshot(page, "telegram-account-linked");

  const onlyMembers = page.getByRole("checkbox", { name: "Нажимать кнопки в Telegram могут только участники сайта" });
  await expect(onlyMembers).not.toBeChecked();
  await onlyMembers.check();
  await expect(
    page.getByRole("status").filter({ hasText: "Теперь кнопки в Telegram нажимают только участники" }),
  ).toBeVisible();
  await page.reload();
  await expect(onlyMembers).toBeChecked();

  await account.getByRole("button", { name: `Отвязать Telegram ${label}` }).click();
  await expect(account.getByRole("status")).toHaveText("Telegram отвязан");
  await expect(account.getByRole("button", { name: "Привязать Telegram" })).toBeVisible();
  await expect(page.getByTestId("member-telegram")).toHaveCount(0);
});
