import "server-only";
import { db } from "@/lib/db/client";
import { isoTimestamp } from "@/lib/http/iso-timestamp";
import type { TelegramChatDto } from "@/lib/schemas/telegram";
import { requireIntegration } from "./find-integration";

/** GET /api/v1/telegram/integration/chats — chats that wrote to the bot, most recent first. */
export async function listChats(tenantId: string): Promise<{ items: TelegramChatDto[] }> {
  const integration = await requireIntegration(tenantId);
  const chats = await db().telegramChat.findMany({
    where: { integrationId: integration.id },
    orderBy: { lastSeenAt: "desc" },
    take: 100,
  });
  return {
    items: chats.map((chat) => ({
      chat_id: Number(chat.chatId),
      type: chat.type,
      title: chat.title,
      username: chat.username,
      first_name: chat.firstName,
      last_name: chat.lastName,
      last_seen_at: isoTimestamp(chat.lastSeenAt),
      is_owner_chat: integration.ownerChatId === chat.chatId,
    })),
  };
}
