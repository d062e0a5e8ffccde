import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { db } from "@/lib/db/client";
import type { TelegramIntegration } from "@/lib/db/generated/sqlite/client";
import { ApiError } from "@/lib/http/api-error";
import { wakeDeliveryLane } from "@/lib/leads/delivery/wake-lane";
import { log } from "@/lib/log";
import { TelegramRefusal, telegramFor } from "../bot-api";
import { hashConnectCode } from "../connect-code";
import { linkAccountFromStart } from "../members/link-from-start";
import { applyButtonPress } from "./button-press";
import { parseStartCommand } from "./start-command";
import { updateSchema, type IncomingUpdate, type UpdateChat } from "./update-schema";
import { throttleUpdates } from "./update-throttle";
import { webhookSecretMatches } from "./verify-webhook-secret";

type Db = ReturnType<typeof db>;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * What to send back once the update is committed (outside the transaction): a message to
 * the chat, or the answer to a button press (the toast its presser sees).
 */
export type Reply =
  { kind: "message"; chatId: number; text: string } | { kind: "answer"; callbackQueryId: string; text: string };

/** An applied update: the reply, and the site whose delivery lane has edits to send. */
type Applied = { reply: Reply | null; tenantWithEdits: string | null };

const defaultWelcome = (chatId: number) =>
  `👋 Здравствуйте! Это бот уведомлений о заявках с сайта (Leadgram).\n\nChat ID этого чата: ${chatId}\nУкажите его в настройках Leadgram → Telegram, чтобы получать заявки сюда.`;

async function recordChat(tx: Tx, integrationId: string, chat: UpdateChat): Promise<void> {
  const names = {
    type: chat.type,
    title: chat.title ?? null,
    username: chat.username ?? null,
    firstName: chat.first_name ?? null,
    lastName: chat.last_name ?? null,
  };
  await tx.telegramChat.upsert({
    where: { integrationId_chatId: { integrationId, chatId: BigInt(chat.id) } },
    create: { integrationId, chatId: BigInt(chat.id), ...names },
    update: { ...names, lastSeenAt: new Date() },
  });
}

/** Binds the chat that pressed Start on a connect link, if the code is live; says so either way. */
async function bindOwnerChat(tx: Tx, integration: TelegramIntegration, code: string, chatId: number): Promise<string> {
  const now = new Date();
  const claimed = await tx.telegramConnectCode.updateMany({
    where: { codeHash: hashConnectCode(code), integrationId: integration.id, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now, usedByChatId: BigInt(chatId) },
  });
  if (claimed.count === 0)
    return "⚠️ Ссылка для подключения устарела или уже использована. Получите новую в настройках Leadgram.";
  await tx.telegramIntegration.update({ where: { id: integration.id }, data: { ownerChatId: BigInt(chatId) } });
  log.info({ integration: integration.id, chatId }, "owner chat bound through a connect link");
  return "✅ Готово! Этот чат подключён к Leadgram: сюда будут приходить уведомления о новых заявках.";
}

async function applyUpdate(tx: Tx, integration: TelegramIntegration, update: IncomingUpdate): Promise<Applied> {
  if (update.callback_query) {
    const press = await applyButtonPress(tx, integration, update.callback_query);
    return {
      reply: { kind: "answer", callbackQueryId: update.callback_query.id, text: press.toast },
      tenantWithEdits: press.tenantWithEdits,
    };
  }
  return { reply: await applyChatUpdate(tx, integration, update), tenantWithEdits: null };
}

async function applyChatUpdate(
  tx: Tx,
  integration: TelegramIntegration,
  update: IncomingUpdate,
): Promise<Reply | null> {
  const chat = update.message?.chat ?? update.my_chat_member?.chat;
  if (!chat) return null;
  await recordChat(tx, integration.id, chat);
  // The spec's "way 3" of finding a chat id: it is in the server log.
  log.info({ integration: integration.id, chatId: chat.id, chatType: chat.type }, "telegram chat wrote to the bot");

  const migratedTo = update.message?.migrate_to_chat_id;
  if (migratedTo !== undefined) {
    // The owner's group became a supergroup with a new id: follow it. Any other group's
    // migration changes nothing, checked in the same write so a concurrent change of
    // the owner's chat is not overwritten.
    await tx.telegramIntegration.updateMany({
      where: { id: integration.id, ownerChatId: BigInt(chat.id) },
      data: { ownerChatId: BigInt(migratedTo) },
    });
  }

  const start = parseStartCommand(update.message?.text);
  if (!start) return null;
  if (start.connectCode)
    return { kind: "message", chatId: chat.id, text: await bindOwnerChat(tx, integration, start.connectCode, chat.id) };
  if (start.accountLinkCode)
    return {
      kind: "message",
      chatId: chat.id,
      text: await linkAccountFromStart(tx, integration, start.accountLinkCode, chat),
    };
  return { kind: "message", chatId: chat.id, text: integration.welcomeMessage?.trim() || defaultWelcome(chat.id) };
}

/**
 * Records the update_id; false when it already was (Telegram redelivered the update).
 * ON CONFLICT DO NOTHING instead of catching the unique violation: a redelivery ends in an
 * empty commit rather than a failed statement and a rollback.
 */
async function recordFirstDelivery(tx: Tx, integrationId: string, updateId: number): Promise<boolean> {
  const inserted =
    await tx.$executeRaw`INSERT INTO "TelegramUpdate" ("integrationId", "updateId", "receivedAt") VALUES (${integrationId}, ${BigInt(updateId)}, ${new Date()}) ON CONFLICT DO NOTHING`;
  return inserted > 0;
}

/** Writes that must commit with the update's effects, or not at all (the poller's offset). */
export type AlongWithUpdate = (tx: Tx) => Promise<void>;

/**
 * Processes one update, however it arrived (webhook or long polling): each update_id once,
 * in one transaction with its effects and `alongWith`, so an update redelivered after a
 * crash is either fully applied or not at all. The update_id is written first: the
 * transaction then holds SQLite's write lock for a button press's read-then-change.
 * Returns the reply to send after the commit; edits a press asked for are sent by the
 * site's delivery lane, woken here.
 */
export async function processUpdate(
  integration: TelegramIntegration,
  update: IncomingUpdate,
  alongWith?: AlongWithUpdate,
): Promise<Reply | null> {
  const applied = await db().$transaction(async (tx): Promise<Applied> => {
    const outcome = (await recordFirstDelivery(tx, integration.id, update.update_id))
      ? await applyUpdate(tx, integration, update)
      : { reply: null, tenantWithEdits: null };
    await alongWith?.(tx);
    return outcome;
  });
  if (applied.tenantWithEdits !== null) wakeDeliveryLane(applied.tenantWithEdits);
  return applied.reply;
}

/**
 * POST /api/v1/telegram/webhook/<path id>. The secret and the bot's update rate are checked
 * before the body is read. Returns the reply to send after answering Telegram.
 */
export async function receiveUpdate(
  pathId: string,
  secret: string | null,
  req: Request,
): Promise<{ reply: Reply | null; integration: TelegramIntegration }> {
  const integration = await db().telegramIntegration.findUnique({ where: { webhookPathId: pathId } });
  if (!integration) throw ApiError.notFound();
  if (!webhookSecretMatches(integration.webhookSecret, secret))
    throw new ApiError(401, "invalid_webhook_secret", "Invalid secret token");
  await throttleUpdates(integration.id);

  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw new ApiError(400, "bad_request", "Invalid update: not JSON");
  }
  const parsed = updateSchema.safeParse(body);
  if (!parsed.success) throw new ApiError(400, "bad_request", "Invalid update");
  return { reply: await processUpdate(integration, parsed.data), integration };
}

/**
 * How long a reply may wait out Telegram's flood control (a few /start in one chat at once go
 * over its message a second) before it is dropped: the poller takes the bot's next update
 * only after it, and a SIGTERM waits for it.
 */
const REPLY_FLOOD_WAIT_MS = 5_000;

async function sendOnce(integration: TelegramIntegration, reply: Reply): Promise<void> {
  const telegram = telegramFor(integration);
  if (reply.kind === "answer") await telegram.answerCallbackQuery(reply.callbackQueryId, { text: reply.text });
  else await telegram.sendMessage(reply.chatId, reply.text);
}

/** The wait a 429 asks for; undefined for any other failure, which is not tried again. */
function floodWaitMs(error: unknown): number | undefined {
  if (!(error instanceof TelegramRefusal) || error.errorCode !== 429) return undefined;
  return Math.max(1, error.retryAfterSeconds ?? 1) * 1000;
}

/**
 * Sends a committed update's reply. A 429 means Telegram sent nothing: it is waited out and
 * tried again, within REPLY_FLOOD_WAIT_MS. Any other failure is not retried, since Telegram
 * may have sent it already. So a reply reaches the chat at most once, and one that fails, or
 * a crash between the commit and the send, loses the reply but never the update (the chat is
 * recorded, the owner bound; pressing Start again answers).
 */
export async function sendReply(integration: TelegramIntegration, reply: Reply): Promise<void> {
  const giveUpAt = Date.now() + REPLY_FLOOD_WAIT_MS;
  for (;;) {
    try {
      await sendOnce(integration, reply);
      return;
    } catch (error) {
      const waitMs = floodWaitMs(error);
      if (waitMs !== undefined && Date.now() + waitMs <= giveUpAt) {
        await sleep(waitMs);
        continue;
      }
      log.warn(
        {
          integration: integration.id,
          ...(reply.kind === "message" ? { chatId: reply.chatId } : { callbackQuery: reply.callbackQueryId }),
          err: error instanceof Error ? error.message : String(error),
        },
        "could not reply in Telegram",
      );
      return;
    }
  }
}
