import net from "node:net";
import { describe, expect, inject, it } from "vitest";
import { api, type Account } from "../support/api-client";
import { connectedBot, postUpdate, textUpdate, type ConnectedBot } from "../support/telegram-webhook";

/**
 * An answered write stays written, whatever else the server was doing. On SQLite every
 * request shares one connection: a transaction that rolls back (a redelivered Telegram
 * update's did, at its duplicate update_id) must undo its own writes only, never a token
 * revocation, a settings change or a recorded chat that another request was answered for.
 *
 * The requests are pipelined on one HTTP/1.1 connection (a proxy or a client may do this):
 * the server then starts them together, so the write runs while the redelivery's
 * transaction is open, every time rather than by luck.
 */

type RawRequest = { method: string; path: string; headers: Record<string, string>; body?: string };

/** Sends the requests back to back on one connection; returns the statuses, in order. */
function pipelined(requests: RawRequest[]): Promise<number[]> {
  const url = new URL(inject("appUrl"));
  const wire = requests
    .map(({ method, path, headers, body = "" }, index) => {
      const head = [`${method} ${path} HTTP/1.1`, `host: ${url.host}`, `content-length: ${Buffer.byteLength(body)}`];
      // The server closes the connection after answering the last one.
      if (index === requests.length - 1) head.push("connection: close");
      for (const [name, value] of Object.entries(headers)) head.push(`${name}: ${value}`);
      return `${head.join("\r\n")}\r\n\r\n${body}`;
    })
    .join("");
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => socket.write(wire));
    let answer = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (answer += chunk));
    socket.on("error", reject);
    socket.on("end", () => resolve([...answer.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((match) => Number(match[1]))));
  });
}

const webhookRequest = (bot: ConnectedBot, update: unknown): RawRequest => ({
  method: "POST",
  path: `/api/v1/telegram/webhook/${bot.pathId}`,
  headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": bot.secret },
  body: JSON.stringify(update),
});

const apiRequest = (owner: Account, method: string, path: string, body?: unknown): RawRequest => ({
  method,
  path,
  headers: {
    authorization: `Bearer ${owner.token}`,
    ...(body === undefined ? {} : { "content-type": "application/json" }),
  },
  body: body === undefined ? undefined : JSON.stringify(body),
});

const ROUNDS = 12;

describe("acknowledged writes next to redelivered webhook updates", () => {
  it("keeps every token revocation, settings change and recorded chat", async () => {
    const bot = await connectedBot();
    const { owner } = bot;
    const redelivered = textUpdate(1, bot.chat.id, "hello");
    // The first delivery is processed; every later one is a redelivery.
    expect((await postUpdate(bot.pathId, redelivered, bot.secret)).status).toBe(200);
    const redelivery = webhookRequest(bot, redelivered);

    /** Pipelines the write between two redeliveries; returns the write's status. */
    async function nextToRedeliveries(write: RawRequest): Promise<number> {
      const [before, written, after] = await pipelined([redelivery, write, redelivery]);
      // A redelivery is answered 200, or 429 when the bot's update rate is exceeded; never 5xx.
      expect([200, 429]).toContain(before);
      expect([200, 429]).toContain(after);
      return written ?? 0;
    }

    const recordedChats: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const created = await api("POST", "/api/v1/tokens", { token: owner.token, body: { name: `sync ${round}` } });
      expect(created.status).toBe(201);
      expect(await nextToRedeliveries(apiRequest(owner, "DELETE", `/api/v1/tokens/${created.body.id}`))).toBe(204);
      expect((await api("GET", "/api/v1/tenant", { token: created.body.token })).status).toBe(401);

      expect(await nextToRedeliveries(apiRequest(owner, "PATCH", "/api/v1/tenant", { name: `Site ${round}` }))).toBe(
        200,
      );
      expect((await api("GET", "/api/v1/tenant", { token: owner.token })).body.name).toBe(`Site ${round}`);

      const welcome = `Welcome ${round}`;
      expect(
        await nextToRedeliveries(
          apiRequest(owner, "PATCH", "/api/v1/telegram/integration", { welcome_message: welcome }),
        ),
      ).toBe(200);
      expect((await api("GET", "/api/v1/telegram/integration", { token: owner.token })).body.welcome_message).toBe(
        welcome,
      );

      const chatId = 880_000_000 + round;
      if ((await nextToRedeliveries(webhookRequest(bot, textUpdate(1000 + round, chatId, "hi")))) === 200)
        recordedChats.push(chatId);
    }

    expect(recordedChats.length).toBeGreaterThan(0);
    const chats = (await api("GET", "/api/v1/telegram/integration/chats", { token: owner.token })).body as {
      items: { chat_id: number }[];
    };
    expect(chats.items.map((chat) => chat.chat_id)).toEqual(expect.arrayContaining(recordedChats));
  });
});
