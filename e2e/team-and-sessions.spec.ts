import { expect, test, type Browser, type Page } from "@playwright/test";
import { addMember, newEmail, openSiteSettings, screenshot, signIn, signUp } from "./support";

/** A second browser (its own cookies) signed in as `email`. */
async function signedInElsewhere(
  browser: Browser,
  baseURL: string | undefined,
  email: string,
  password: string,
): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await signIn(page, email, password);
  return page;
}

/** The session of `page` has ended: the next page it opens sends it to sign in. */
async function expectSignedOut(page: Page): Promise<void> {
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in$/);
}

test("an owner changes a role, removes a member, changes the password and signs out everywhere", async ({
  page,
  browser,
  baseURL,
}) => {
  const owner = await signUp(page, "Команда");
  await openSiteSettings(page);
  const team = page.getByRole("region", { name: "Команда" });
  const members = team.getByRole("list", { name: "Участники" });
  const adminEmail = newEmail();
  const memberEmail = newEmail();
  const password = "member password";
  await addMember(page, adminEmail, password, "Администратор");
  await expect(members.getByRole("listitem").filter({ hasText: adminEmail })).toBeVisible();
  await addMember(page, memberEmail, password, "Участник");
  await expect(members.getByRole("listitem").filter({ hasText: memberEmail })).toBeVisible();

  await test.step("the only owner's controls are disabled with the reason", async () => {
    const ownerRow = members.getByRole("listitem").filter({ hasText: owner.email });
    const reason =
      "Это единственный владелец: назначьте владельцем кого-то ещё, прежде чем менять его роль или удалять.";
    await expect(ownerRow.getByRole("combobox")).toBeDisabled();
    await expect(ownerRow.getByRole("combobox")).toHaveAccessibleDescription(reason);
    await expect(ownerRow.getByRole("button", { name: `Удалить ${owner.email} из команды` })).toBeDisabled();
  });

  await test.step("demoting the admin takes their rights away on their next request", async () => {
    const adminPage = await signedInElsewhere(browser, baseURL, adminEmail, password);
    await adminPage.goto("/settings/site");
    await expect(adminPage.getByRole("region", { name: "Команда" })).toBeVisible();

    const adminRow = members.getByRole("listitem").filter({ hasText: adminEmail });
    await adminRow.getByRole("combobox", { name: `Роль ${adminEmail}` }).selectOption({ label: "Участник" });
    await adminRow.getByRole("button", { name: "Сохранить роль" }).click();
    await expect(adminRow.getByRole("status")).toHaveText(`${adminEmail}: теперь Участник`);
    await expect(adminRow.getByRole("combobox")).toHaveValue("member");

    await adminPage.reload();
    await expect(adminPage.getByRole("main").getByRole("alert")).toHaveText(
      "Этот раздел доступен только владельцу сайта и администраторам.",
    );
    expect((await adminPage.request.get("/api/v1/tokens")).status()).toBe(403);
    await adminPage.context().close();
  });

  await test.step("removing a member, after a confirmation, ends their session at once", async () => {
    const memberPage = await signedInElsewhere(browser, baseURL, memberEmail, password);
    const memberRow = members.getByRole("listitem").filter({ hasText: memberEmail });
    await memberRow.getByRole("button", { name: `Удалить ${memberEmail} из команды` }).click();
    await expect(memberRow.getByRole("group")).toContainText(
      `Удалить ${memberEmail} из команды? Его сессии и API-токены перестанут работать сразу.`,
    );
    await expect(memberRow.getByRole("button", { name: "Отмена" })).toBeFocused();
    await screenshot(page, "team-remove-confirm");
    await memberRow.getByRole("button", { name: "Да, удалить" }).click();
    await expect(team.getByRole("status").filter({ hasText: `${memberEmail} удалён(а) из команды` })).toBeVisible();
    await expect(members.getByRole("listitem").filter({ hasText: memberEmail })).toHaveCount(0);

    await expectSignedOut(memberPage);
    expect((await memberPage.request.get("/api/v1/leads")).status()).toBe(401);
    await memberPage.context().close();
  });

  const newPassword = "a much better password";
  const elsewhere = await signedInElsewhere(browser, baseURL, owner.email, owner.password);
  const account = page.getByRole("region", { name: "Ваш аккаунт" });

  await test.step("a wrong current password is refused; the right one changes it and ends the other session", async () => {
    await account.getByLabel("Текущий пароль").fill("not the password");
    await account.getByLabel("Новый пароль").fill(newPassword);
    await account.getByRole("button", { name: "Сменить пароль" }).click();
    await expect(account.getByLabel("Текущий пароль")).toHaveAccessibleDescription("Текущий пароль неверен.");

    await account.getByLabel("Текущий пароль").fill(owner.password);
    await account.getByLabel("Новый пароль").fill(newPassword);
    await account.getByRole("button", { name: "Сменить пароль" }).click();
    await expect(account.getByRole("form", { name: "Сменить пароль" }).getByRole("status")).toHaveText(
      "Пароль изменён. Остальные сеансы завершены, этот продолжается.",
    );
    await screenshot(page, "account-password-changed");

    // This browser stays signed in; the other one is signed out.
    await page.reload();
    await expect(page.getByRole("heading", { level: 1, name: "Настройки сайта" })).toBeVisible();
    await expectSignedOut(elsewhere);
    await signIn(elsewhere, owner.email, newPassword);
  });

  await test.step("sign out everywhere ends this session and the other browser's", async () => {
    await account.getByRole("button", { name: "Выйти на всех устройствах" }).click();
    await expect(account.getByRole("group")).toContainText("Завершить все ваши сеансы, включая этот?");
    await account.getByRole("button", { name: "Да, выйти везде" }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    await expectSignedOut(page);
    await expectSignedOut(elsewhere);
    await signIn(page, owner.email, newPassword);
  });
  await elsewhere.context().close();
});
