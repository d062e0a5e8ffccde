import { readFileSync } from "node:fs";
import { describe, expect, inject, it } from "vitest";
import { api, newBotWithChat, registerOwner, type ApiResponse } from "../support/api-client";

/**
 * Drives every path that handles a bot token, successes and failures, then checks that
 * neither a response nor anything the server printed contains the token's secret.
 */
describe("a bot token never appears in a response or a log line", () => {
  it("holds across the whole integration lifecycle and its error paths", async () => {
    const owner = await registerOwner();
    const { bot, chat, client } = await newBotWithChat("secretive");
    const secret = bot.token.split(":")[1] ?? "";
    const other = await newBotWithChat("other");
    const responses: ApiResponse[] = [];
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await api(method, path, { token: owner.token, body });
      responses.push(response);
      return response;
    };

    await client.injectFault({ kind: "connection_reset", method: "getMe", bot_id: bot.id, times: 1 });
    expect((await call("POST", "/api/v1/telegram/integration", { bot_token: bot.token })).status).toBe(502);
    await client.injectFault({ kind: "bad_gateway", method: "getMe", bot_id: bot.id, times: 1 });
    expect((await call("POST", "/api/v1/telegram/integration", { bot_token: bot.token })).status).toBe(502);
    expect((await call("POST", "/api/v1/telegram/integration", { bot_token: `${bot.token}x` })).status).toBe(400);
    expect((await call("POST", "/api/v1/telegram/integration", { bot_token: `not a token ${secret}` })).status).toBe(
      400,
    );
    expect(
      (await call("POST", "/api/v1/telegram/integration", { bot_token: bot.token, owner_chat_id: chat.id })).status,
    ).toBe(201);
    await call("GET", "/api/v1/telegram/integration");
    await call("POST", "/api/v1/telegram/integration/test", {});
    await client.blockBot(chat.id, bot.id);
    await call("POST", "/api/v1/telegram/integration/test", {});
    await client.injectFault({ kind: "connection_reset", method: "sendMessage", bot_id: bot.id, times: 1 });
    await call("POST", "/api/v1/telegram/integration/test", { chat_id: 12345 });
    await call("POST", "/api/v1/telegram/integration/webhook", {});
    await call("POST", "/api/v1/telegram/integration/webhook", { webhook_url: "http://insecure.example/x" });
    await call("PATCH", "/api/v1/telegram/integration", { bot_token: other.bot.token });
    await call("DELETE", "/api/v1/telegram/integration");

    for (const response of responses) {
      const text = JSON.stringify(response.body);
      expect(text).not.toContain(secret);
      expect(text).not.toContain(other.bot.token.split(":")[1]);
    }
    const log = readFileSync(inject("appLogFile"), "utf8");
    expect(log.length).toBeGreaterThan(0);
    expect(log).not.toContain(secret);
    expect(log).not.toContain(other.bot.token.split(":")[1]);
  });
});
