import { expect, test } from "@playwright/test";
import { addMember, newEmail, openSiteSettings, screenshot, signIn, signUp } from "./support";

test.use({ permissions: ["clipboard-read", "clipboard-write"] });

test("an owner renames the site, sets origins, gets the snippet, adds members and manages API tokens", async ({
  page,
  browser,
  baseURL,
}) => {
  const owner = await signUp(page, "Рога и копыта");
  await openSiteSettings(page);

  await test.step("site: rename, copy the key, demo link", async () => {
    const site = page.getByRole("region", { name: "Сайт" });
    await site.getByLabel("Название сайта").fill("Копыта и рога");
    await site.getByRole("button", { name: "Сохранить" }).click();
    await expect(site.getByRole("status").filter({ hasText: "Название сохранено" })).toBeVisible();
    // The signed-in shell's header shows the new name after the refresh.
    await expect(page.getByText(`Копыта и рога · ${owner.email}`)).toBeVisible();

    const siteKey = (await site.getByTestId("site-key").textContent()) ?? "";
    expect(siteKey).toMatch(/^[A-Za-z0-9_-]{16}$/);
    await site.getByRole("button", { name: "Копировать ключ сайта" }).click();
    await expect(site.getByRole("status").filter({ hasText: "Скопировано" })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(siteKey);
    await expect(site.getByRole("link", { name: "Открыть демо-форму" })).toHaveAttribute("href", `/demo/${siteKey}`);
  });
  const siteKey = (await page.getByTestId("site-key").textContent()) ?? "";

  await test.step("allowed origins: a bad one is refused, good ones added and removed", async () => {
    const origins = page.getByRole("region", { name: "Разрешённые источники" });
    await expect(origins.getByText("Список пуст — заявки принимаются с любого сайта.")).toBeVisible();
    const input = origins.getByLabel("Новый источник");
    await input.fill("https://shop.example/path?x=1");
    await origins.getByRole("button", { name: "Добавить", exact: true }).click();
    const refusal = "Укажите адрес вида https://example.com: схема, домен и порт, без пути и параметров.";
    await expect(origins.getByRole("alert")).toHaveText(refusal);
    await expect(input).toHaveAttribute("aria-invalid", "true");
    await expect(input).toHaveAccessibleDescription(new RegExp(refusal.replace(/[.?*+^$()[\]{}|\\/]/g, "\\$&")));

    for (const origin of ["https://shop.example", "http://localhost:8080"]) {
      await input.fill(origin);
      await origins.getByRole("button", { name: "Добавить", exact: true }).click();
      await expect(origins.getByRole("status").filter({ hasText: `Добавлено: ${origin}` })).toBeVisible();
    }
    const list = origins.getByRole("list", { name: "Разрешённые источники" });
    await expect(list.getByRole("listitem")).toHaveText([/https:\/\/shop\.example/, /http:\/\/localhost:8080/]);
    await expect(input).not.toHaveAttribute("aria-invalid", "true");

    await input.fill("https://shop.example/");
    await origins.getByRole("button", { name: "Добавить", exact: true }).click();
    await expect(origins.getByRole("alert")).toHaveText("Этот адрес уже в списке.");

    await origins.getByRole("button", { name: "Удалить http://localhost:8080" }).click();
    await expect(origins.getByRole("status").filter({ hasText: "Удалено: http://localhost:8080" })).toBeVisible();
    await expect(list.getByRole("listitem")).toHaveText([/https:\/\/shop\.example/]);
  });

  await test.step("embed code: this site's endpoint and thank-you page", async () => {
    const embed = page.getByRole("region", { name: "Код для сайта" });
    const endpoint = `${baseURL}/api/v1/public/leads/${siteKey}`;
    await expect(embed.getByTestId("lead-endpoint")).toHaveText(endpoint);
    await expect(embed.getByTestId("html-snippet")).toContainText(`<form action="${endpoint}" method="POST">`);
    await expect(embed.getByTestId("html-snippet")).toContainText(
      `name="_redirect" value="https://shop.example/thanks"`,
    );
    await expect(embed.getByTestId("fetch-snippet")).toContainText(`fetch("${endpoint}"`);
    await embed.getByRole("button", { name: "Копировать HTML-форму" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(`action="${endpoint}"`);

    // A thank-you page outside the allowed origins is flagged: the server would refuse it.
    await embed.getByLabel("Страница «Спасибо»").fill("https://elsewhere.example/ok");
    await expect(embed.getByText("Этот адрес не входит в разрешённые источники")).toBeVisible();
    await expect(embed.getByTestId("html-snippet")).toContainText(`value="https://elsewhere.example/ok"`);
    await embed.getByLabel("Страница «Спасибо»").fill("https://shop.example/spasibo");
    await expect(embed.getByText("Этот адрес не входит в разрешённые источники")).toHaveCount(0);
  });
  await screenshot(page, "site-settings");

  const adminEmail = newEmail();
  const memberEmail = newEmail();
  const memberPassword = "member password";
  await test.step("team: add an admin and a member, refuse a taken email", async () => {
    const team = page.getByRole("region", { name: "Команда" });
    const members = team.getByRole("list", { name: "Участники" });
    await expect(members.getByRole("listitem").filter({ hasText: owner.email }).getByRole("combobox")).toHaveValue(
      "site_owner",
    );
    await expect(team.getByLabel("Роль", { exact: true }).locator("option")).toHaveText([
      "Участник",
      "Администратор",
      "Владелец",
    ]);

    await addMember(page, adminEmail, "short", "Администратор");
    await expect(team.getByLabel("Пароль")).toHaveAccessibleDescription(/Пароль не короче 8 символов\./);

    await addMember(page, adminEmail, "admin password", "Администратор");
    await expect(team.getByRole("status").filter({ hasText: `${adminEmail} добавлен(а) в команду` })).toBeVisible();
    await expect(members.getByRole("listitem").filter({ hasText: adminEmail }).getByRole("combobox")).toHaveValue(
      "admin",
    );

    await addMember(page, adminEmail, "admin password", "Участник");
    const emailField = team.getByLabel("Email", { exact: true });
    await expect(team.getByRole("alert")).toHaveText("Этот email уже зарегистрирован");
    await expect(emailField).toHaveAccessibleDescription("Этот email уже зарегистрирован");

    await addMember(page, memberEmail, memberPassword, "Участник");
    await expect(members.getByRole("listitem").filter({ hasText: memberEmail }).getByRole("combobox")).toHaveValue(
      "member",
    );
    await expect(members.getByRole("listitem")).toHaveCount(3);
  });

  await test.step("API tokens: create, use, revoke", async () => {
    const tokens = page.getByRole("region", { name: "API-токены" });
    await expect(tokens.getByText("Токенов пока нет.")).toBeVisible();
    await tokens.getByLabel("Название токена").fill("CI");
    await tokens.getByRole("button", { name: "Создать токен" }).click();

    const notice = tokens.getByRole("region", { name: "Новый токен «CI»" });
    await expect(notice).toContainText("Сохраните токен сейчас — потом его нельзя будет увидеть");
    const token = ((await notice.getByTestId("new-api-token").textContent()) ?? "").trim();
    expect(token).toMatch(/^lg_[A-Za-z0-9_-]{43}$/);
    await notice.getByRole("button", { name: "Копировать токен" }).click();
    await expect(notice.getByRole("status")).toHaveText("Скопировано");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await screenshot(page, "site-settings-new-token");

    const withToken = { headers: { authorization: `Bearer ${token}` } };
    const ok = await page.request.get("/api/v1/tenant", withToken);
    expect(ok.status()).toBe(200);
    expect((await ok.json()).name).toBe("Копыта и рога");

    await notice.getByRole("button", { name: "Я сохранил(а) токен" }).click();
    await expect(notice).toHaveCount(0);
    await expect(page.getByText(token)).toHaveCount(0);

    const row = tokens.getByTestId("api-token").filter({ hasText: "CI" });
    await expect(row).toContainText(`${token.slice(0, 9)}…`);
    await expect(row).toContainText("Активен");

    // Cancel first: nothing happens and focus goes back to the button.
    await row.getByRole("button", { name: "Отозвать токен CI" }).click();
    await expect(row.getByRole("group")).toContainText(
      "Отозвать «CI»? Программы с этим токеном сразу потеряют доступ.",
    );
    await expect(row.getByRole("button", { name: "Отмена" })).toBeFocused();
    await row.getByRole("button", { name: "Отмена" }).click();
    await expect(row.getByRole("group")).toHaveCount(0);
    await expect(row.getByRole("button", { name: "Отозвать токен CI" })).toBeFocused();
    expect((await page.request.get("/api/v1/tenant", withToken)).status()).toBe(200);

    await row.getByRole("button", { name: "Отозвать токен CI" }).click();
    await screenshot(page, "site-settings-revoke-confirm");
    await row.getByRole("button", { name: "Да, отозвать" }).click();
    await expect(row.getByRole("status")).toHaveText("Токен «CI» отозван");
    await expect(row).toContainText("Отозван");
    await expect(row).toContainText("использован");
    await expect(row.getByRole("button", { name: /Отозвать/ })).toHaveCount(0);

    const refused = await page.request.get("/api/v1/tenant", withToken);
    expect(refused.status()).toBe(401);
  });

  await test.step("a member sees only their own account's settings", async () => {
    const context = await browser.newContext({ baseURL });
    const memberPage = await context.newPage();
    await signIn(memberPage, memberEmail, memberPassword);
    const nav = memberPage.getByRole("navigation", { name: "Разделы" });
    await expect(nav.getByRole("link", { name: "Заявки" })).toBeVisible();
    await nav.getByRole("link", { name: "Сайт" }).click();
    await expect(memberPage).toHaveURL(/\/settings\/site$/);
    await expect(memberPage.getByRole("main").getByRole("alert")).toHaveText(
      "Этот раздел доступен только владельцу сайта и администраторам.",
    );
    await expect(memberPage.getByLabel("Название сайта")).toHaveCount(0);
    await expect(memberPage.getByRole("button", { name: "Сохранить" })).toHaveCount(0);
    await expect(memberPage.getByTestId("site-key")).toHaveCount(0);
    await expect(memberPage.getByRole("region", { name: "Команда" })).toHaveCount(0);
    await expect(
      memberPage.getByRole("region", { name: "Ваш аккаунт" }).getByRole("button", { name: "Сменить пароль" }),
    ).toBeVisible();
    await screenshot(memberPage, "site-settings-member");
    await context.close();
  });
});

test.describe("at 375 px", () => {
  test.use({ viewport: { width: 375, height: 812 } });

  test("the settings fit a phone screen", async ({ page }) => {
    await signUp(page, "Очень длинное название сайта для проверки переносов");
    await openSiteSettings(page);
    const origins = page.getByRole("region", { name: "Разрешённые источники" });
    await origins.getByLabel("Новый источник").fill("https://a-rather-long-subdomain.shop.example");
    await origins.getByRole("button", { name: "Добавить", exact: true }).click();
    await expect(origins.getByRole("listitem")).toHaveCount(1);
    const tokens = page.getByRole("region", { name: "API-токены" });
    await tokens.getByLabel("Название токена").fill("Телефон");
    await tokens.getByRole("button", { name: "Создать токен" }).click();
    await expect(tokens.getByTestId("new-api-token")).toBeVisible();
    await expect(page.getByRole("region", { name: "Команда" }).getByRole("listitem")).toHaveCount(1);

    // Nothing but the code blocks (which scroll inside themselves) is wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(page, "site-settings-375");
  });
});
