import { expect, inject } from "vitest";
import { api, newBotWithChat, registerOwner, type Account } from "./api-client";

export type ConnectedBot = Awaited<ReturnType<typeof newBotWithChat>> & {
  owner: Account;
  pathId: string;
  secret: string;
};

/** An owner whose bot is connected and whose webhook is registered at the sandbox. */
export async function connectedBot(welcome_message?: string): Promise<ConnectedBot> {
  const owner = await registerOwner();
  const setup = await newBotWithChat();
  const created = await api("POST", "/api/v1/telegram/integration", {
    token: owner.token,
    body: { bot_token: setup.bot.token, welcome_message },
  });
  expect(created.status).toBe(201);
  const registered = await api("POST", "/api/v1/telegram/integration/webhook", { token: owner.token, body: {} });
  expect(registered.body).toEqual({ success: true, message: "Webhook registered successfully" });
  const webhook = (await setup.client.getBot(setup.bot.id)).webhook;
  if (!webhook) throw new Error("webhook not registered at the sandbox");
  return { ...setup, owner, pathId: webhook.url.split("/").pop() ?? "", secret: webhook.secret_token };
}

/** Posts an update to the receiver directly, as Telegram would. */
export function postUpdate(pathId: string, body: unknown, secret: string | null, raw?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (secret !== null) headers["x-telegram-bot-api-secret-token"] = secret;
  return fetch(`${inject("appUrl")}/api/v1/telegram/webhook/${pathId}`, {
    method: "POST",
    headers,
    body: raw ?? JSON.stringify(body),
  });
}

export const textUpdate = (updateId: number, chatId: number, text: string) => ({
  update_id: updateId,
  message: {
    message_id: updateId,
    date: 1_760_000_000,
    chat: { id: chatId, type: "private", first_name: "Ivan" },
    from: { id: chatId, is_bot: false, first_name: "Ivan" },
    text,
  },
});
