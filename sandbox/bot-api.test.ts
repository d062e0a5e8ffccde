import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFixture, type SandboxFixture } from "./test-support";

let fx: SandboxFixture;

beforeEach(async () => {
  fx = await startFixture({ rateLimits: { enabled: false } });
});

afterEach(async () => {
  await fx.sandbox.close();
});

describe("envelope, authorisation and routing", () => {
  it("answers getMe with a bot User object", async () => {
    const reply = await fx.call("getMe");
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      ok: true,
      result: expect.objectContaining({
        id: fx.bot.id,
        is_bot: true,
        first_name: "Acme Leads Bot",
        username: "acme_leads_bot",
        can_join_groups: true,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
      }),
    });
    expect(fx.bot.token).toMatch(new RegExp(`^${fx.bot.id}:[A-Za-z0-9_-]{35}$`));
  });

  it("refuses unknown and malformed tokens with 401", async () => {
    const unknown = await fx.call("getMe", {}, `${fx.bot.id}:${"x".repeat(35)}`);
    expect(unknown).toEqual({ status: 401, body: { ok: false, error_code: 401, description: "Unauthorized" } });
    const malformed = await fx.call("getMe", {}, "not-a-token");
    expect(malformed.status).toBe(401);
    expect(malformed.body).toEqual({
      ok: false,
      error_code: 401,
      description: "Unauthorized: invalid token specified",
    });
  });

  it("answers unknown methods and paths with 404 Not Found", async () => {
    const expected = { status: 404, body: { ok: false, error_code: 404, description: "Not Found" } };
    expect(await fx.call("sendPigeon")).toEqual(expected);
    const response = await fetch(`${fx.sandbox.url}/something`);
    expect({ status: response.status, body: await response.json() }).toEqual(expected);
  });

  it("matches method names case-insensitively and accepts GET query and urlencoded forms", async () => {
    const viaGet = await fetch(
      `${fx.sandbox.url}/bot${fx.bot.token}/SENDMESSAGE?chat_id=${fx.chat.id}&text=from%20GET`,
    );
    expect(((await viaGet.json()) as { result: { text: string } }).result.text).toBe("from GET");
    const viaForm = await fetch(`${fx.sandbox.url}/bot${fx.bot.token}/sendMessage`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ chat_id: String(fx.chat.id), text: "<b>form</b>", parse_mode: "HTML" }).toString(),
    });
    const message = ((await viaForm.json()) as { result: { text: string; entities: unknown[] } }).result;
    expect(message.text).toBe("form");
    expect(message.entities).toEqual([{ type: "bold", offset: 0, length: 4 }]);
  });
});

describe("sendMessage", () => {
  it("returns a Message and records raw and parsed text with high-resolution timestamps", async () => {
    const first = await fx.call("sendMessage", {
      chat_id: fx.chat.id,
      text: "Hello <b>Ann</b> &amp; co",
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      disable_notification: true,
      reply_markup: { inline_keyboard: [[{ text: "Open", url: "https://example.com" }]] },
    });
    expect(first.status).toBe(200);
    expect(first.body.result).toMatchObject({
      message_id: 1,
      from: { id: fx.bot.id, is_bot: true, username: "acme_leads_bot" },
      chat: { id: fx.chat.id, type: "private", first_name: "Ann", username: "ann_lead" },
      text: "Hello Ann & co",
      entities: [{ type: "bold", offset: 6, length: 3 }],
      reply_markup: { inline_keyboard: [[{ text: "Open", url: "https://example.com" }]] },
    });
    const second = await fx.call("sendMessage", { chat_id: String(fx.chat.id), text: "again" });
    expect(second.body.result).toMatchObject({ message_id: 2 });

    const sent = await fx.client.messages(fx.bot.id, { chatId: fx.chat.id });
    expect(sent.map((m) => [m.raw_text, m.text, m.parse_mode])).toEqual([
      ["Hello <b>Ann</b> &amp; co", "Hello Ann & co", "HTML"],
      ["again", "again", undefined],
    ]);
    expect(sent[0]?.params.disable_notification).toBe("true");
    expect(sent[1]!.sent_at).toBeGreaterThan(sent[0]!.sent_at);
    expect(Math.abs(sent[0]!.sent_at - Date.now())).toBeLessThan(5000);
  });

  it("reports an unknown chat as 400 chat not found", async () => {
    for (const chatId of [123456, "@nobody", "garbage"]) {
      const reply = await fx.call("sendMessage", { chat_id: chatId, text: "hi" });
      expect(reply).toEqual({
        status: 400,
        body: { ok: false, error_code: 400, description: "Bad Request: chat not found" },
      });
    }
    expect((await fx.call("sendMessage", { text: "hi" })).body.description).toBe("Bad Request: chat_id is empty");
  });

  it("resolves @username for public supergroups only, like Telegram", async () => {
    const group = await fx.client.createSupergroup({ title: "Leads", username: "acme_leads" });
    const reply = await fx.call("sendMessage", { chat_id: "@acme_leads", text: "hi" });
    expect(reply.body.result).toMatchObject({ chat: { id: group.id, type: "supergroup", title: "Leads" } });
    const user = await fx.call("sendMessage", { chat_id: "@ann_lead", text: "hi" });
    expect(user.body.description).toBe("Bad Request: chat not found");
  });

  it("answers 403 when the user blocked the bot, never started it or was deleted", async () => {
    await fx.client.blockBot(fx.chat.id, fx.bot.id);
    expect(await fx.call("sendMessage", { chat_id: fx.chat.id, text: "hi" })).toEqual({
      status: 403,
      body: { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" },
    });
    await fx.client.unblockBot(fx.chat.id, fx.bot.id);
    expect((await fx.call("sendMessage", { chat_id: fx.chat.id, text: "hi" })).status).toBe(200);

    const stranger = await fx.client.createPrivateChat({ first_name: "Bob", started: false });
    expect((await fx.call("sendMessage", { chat_id: stranger.id, text: "hi" })).body.description).toBe(
      "Forbidden: bot can't initiate conversation with a user",
    );
    await fx.client.deactivateUser(stranger.id);
    expect((await fx.call("sendMessage", { chat_id: stranger.id, text: "hi" })).body.description).toBe(
      "Forbidden: user is deactivated",
    );
  });

  it("answers 403 in groups the bot was kicked from or left", async () => {
    const group = await fx.client.createGroup({ title: "Sales" });
    await fx.client.blockBot(group.id);
    expect((await fx.call("sendMessage", { chat_id: group.id, text: "hi" })).body.description).toBe(
      "Forbidden: bot was kicked from the group chat",
    );
    const supergroup = await fx.client.createSupergroup({ title: "Big sales" });
    await fx.client.removeBotFromChat(supergroup.id, fx.bot.id);
    expect((await fx.call("sendMessage", { chat_id: supergroup.id, text: "hi" })).body.description).toBe(
      "Forbidden: bot is not a member of the supergroup chat",
    );
  });

  it("reports an upgraded group with migrate_to_chat_id", async () => {
    const group = await fx.client.createGroup({ title: "Sales" });
    const { migrate_to_chat_id } = await fx.client.migrateToSupergroup(group.id);
    expect(migrate_to_chat_id).toBeLessThan(-1_000_000_000_000);
    expect(await fx.call("sendMessage", { chat_id: group.id, text: "hi" })).toEqual({
      status: 400,
      body: {
        ok: false,
        error_code: 400,
        description: "Bad Request: group chat was upgraded to a supergroup chat",
        parameters: { migrate_to_chat_id },
      },
    });
    const retried = await fx.call("sendMessage", { chat_id: migrate_to_chat_id, text: "hi" });
    expect(retried.body.result).toMatchObject({ chat: { id: migrate_to_chat_id, type: "supergroup", title: "Sales" } });
  });

  it("refuses empty text, before and after parsing", async () => {
    const missing = await fx.call("sendMessage", { chat_id: fx.chat.id });
    expect(missing.body.description).toBe("Bad Request: message text is empty");
    const empty = await fx.call("sendMessage", { chat_id: fx.chat.id, text: "" });
    expect(empty.body.description).toBe("Bad Request: message text is empty");
    const blank = await fx.call("sendMessage", { chat_id: fx.chat.id, text: "<b> </b>\n", parse_mode: "HTML" });
    expect(blank).toEqual({
      status: 400,
      body: { ok: false, error_code: 400, description: "Bad Request: text must be non-empty" },
    });
  });

  it("measures the 4096 limit on the parsed text in UTF-16 code units", async () => {
    const send = (text: string, parse_mode?: string) =>
      fx.call("sendMessage", { chat_id: fx.chat.id, text, ...(parse_mode === undefined ? {} : { parse_mode }) });
    expect((await send(`<b>${"a".repeat(4096)}</b>`, "HTML")).status).toBe(200);
    expect((await send("&lt;".repeat(4096), "HTML")).status).toBe(200);
    expect((await send(`\n  <i>${"я".repeat(4096)}</i> \n`, "HTML")).status).toBe(200);
    expect((await send(`<i>${"я".repeat(4096)}</i>&amp;`, "HTML")).body.description).toBe(
      "Bad Request: message is too long",
    );
    expect((await send("a".repeat(4097))).body).toEqual({
      ok: false,
      error_code: 400,
      description: "Bad Request: message is too long",
    });
    // 2048 emoji are 4096 UTF-16 code units; one more character is too many.
    expect((await send("😀".repeat(2048))).status).toBe(200);
    expect((await send(`${"😀".repeat(2048)}!`)).body.description).toBe("Bad Request: message is too long");
  });

  it("refuses unparsable markup with Telegram's wording", async () => {
    const send = (text: string, parse_mode: string) =>
      fx.call("sendMessage", { chat_id: fx.chat.id, text, parse_mode });
    expect((await send("<b>unclosed", "HTML")).body).toEqual({
      ok: false,
      error_code: 400,
      description: "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\"",
    });
    expect((await send("<script>x</script>", "HTML")).body.description).toBe(
      'Bad Request: can\'t parse entities: Unsupported start tag "script" at byte offset 0',
    );
    expect((await send("x", "bbcode")).body).toEqual({
      ok: false,
      error_code: 400,
      description: "Bad Request: unsupported parse_mode",
    });
    for (const markdown of ["MarkdownV2", "Markdown"]) {
      expect(await send("*x*", markdown)).toEqual({
        status: 400,
        body: { ok: false, error_code: 400, description: "Bad Request: unsupported parse_mode in this sandbox" },
      });
    }
    expect((await send("<b>x</b>", "html")).status).toBe(200);
  });

  it("validates reply markup and replies like Telegram", async () => {
    const textButton = await fx.call("sendMessage", {
      chat_id: fx.chat.id,
      text: "x",
      reply_markup: { inline_keyboard: [[{ text: "no action" }]] },
    });
    expect(textButton.body.description).toBe(
      "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
    );
    const badJson = await fx.call("sendMessage", { chat_id: fx.chat.id, text: "x", reply_markup: "{oops" });
    expect(badJson.body.description).toBe("Bad Request: can't parse reply keyboard markup JSON object");
    const longData = await fx.call("sendMessage", {
      chat_id: fx.chat.id,
      text: "x",
      reply_markup: { inline_keyboard: [[{ text: "b", callback_data: "x".repeat(65) }]] },
    });
    expect(longData.body.description).toBe("Bad Request: BUTTON_DATA_INVALID");
    const missingReply = await fx.call("sendMessage", {
      chat_id: fx.chat.id,
      text: "x",
      reply_parameters: { message_id: 99 },
    });
    expect(missingReply.body.description).toBe("Bad Request: message to be replied not found");
  });
});
