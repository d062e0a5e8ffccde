import type { TelegramAccountLink } from "@/lib/db/generated/sqlite/client";
import type { TelegramAccountDto } from "@/lib/schemas/telegram-account";

type Names = Pick<TelegramAccountLink, "telegramUserId" | "username" | "firstName" | "lastName">;

/** As Telegram clients show a user: first and last name, else the username, else the id. */
function displayName(link: Names): string {
  const name = [link.firstName, link.lastName].filter(Boolean).join(" ");
  if (name) return name;
  return link.username ? `@${link.username}` : String(link.telegramUserId);
}

export function toTelegramAccountDto(link: Names): TelegramAccountDto {
  return { telegram_user_id: Number(link.telegramUserId), username: link.username, name: displayName(link) };
}
