import { z } from "zod";

/**
 * A member's own Telegram account, linked with a one-time t.me link (POST
 * /api/v1/auth/telegram-link), as the members list shows it. `name` is the account's first
 * and last name.
 */
export const telegramAccountSchema = z.object({
  telegram_user_id: z.number(),
  username: z.string().nullable(),
  name: z.string(),
});
export type TelegramAccountDto = z.infer<typeof telegramAccountSchema>;

/** The caller's own link, GET /api/v1/auth/telegram-link: the account, and their latest link's fate. */
export const telegramLinkStateSchema = z.object({
  account: telegramAccountSchema.extend({ linked_at: z.string() }).nullable(),
  link: z
    .object({
      id: z.string(),
      status: z.enum(["waiting", "used", "expired"]),
      expires_at: z.string(),
    })
    .nullable(),
});
export type TelegramLinkState = z.infer<typeof telegramLinkStateSchema>;
