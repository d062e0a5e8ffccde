import { z } from "zod";
import { rateLimitPatchSchema } from "./rate-limits";
import { TOKEN_PATTERN } from "./tokens";

/** Request bodies of the control API (`/_sandbox/...`), shared with the typed client. */

// Telegram bot usernames: 5-32 characters of letters, digits and underscores, ending in "bot".
const BOT_USERNAME = /^[A-Za-z][A-Za-z0-9_]{1,28}bot$/i;
const USERNAME = /^[A-Za-z][A-Za-z0-9_]{3,31}$/;

export const createBotSchema = z
  .object({
    id: z
      .number()
      .int()
      .positive()
      .max(2 ** 52)
      .optional(),
    username: z.string().regex(BOT_USERNAME, 'a bot username has 5-32 characters and ends in "bot"').optional(),
    token: z.string().regex(TOKEN_PATTERN, "a token looks like <bot id>:<35 characters of A-Za-z0-9_->").optional(),
    first_name: z.string().min(1).max(64).optional(),
    can_join_groups: z.boolean().optional(),
    can_read_all_group_messages: z.boolean().optional(),
    supports_inline_queries: z.boolean().optional(),
  })
  .refine((body) => body.id === undefined || body.token === undefined || body.token.startsWith(`${body.id}:`), {
    message: "the token must start with the bot id",
  });
export type CreateBotRequest = z.input<typeof createBotSchema>;

const privateChatSchema = z.object({
  type: z.literal("private"),
  /** The user's id, which is also the chat id; generated when omitted. */
  id: z
    .number()
    .int()
    .positive()
    .max(2 ** 52)
    .optional(),
  first_name: z.string().min(1).max(64),
  last_name: z.string().min(1).max(64).optional(),
  username: z.string().regex(USERNAME).optional(),
  language_code: z.string().min(2).max(10).optional(),
  /** false: the user never pressed Start, so bots get "bot can't initiate conversation". */
  started: z.boolean().default(true),
});

const groupChatSchema = z.object({
  type: z.literal("group"),
  id: z.number().int().negative().min(-999_999_999_999).optional(),
  title: z.string().min(1).max(128),
});

const supergroupChatSchema = z.object({
  type: z.literal("supergroup"),
  /** Supergroup ids look like -100xxxxxxxxxx. */
  id: z.number().int().max(-1_000_000_000_001).optional(),
  title: z.string().min(1).max(128),
  /** Public supergroups can be addressed as "@username". */
  username: z.string().regex(USERNAME).optional(),
});

export const createChatSchema = z.discriminatedUnion("type", [
  privateChatSchema,
  groupChatSchema,
  supergroupChatSchema,
]);
export type CreateChatRequest = z.input<typeof createChatSchema>;

export const botScopeSchema = z.object({
  /** Only this bot; omitted = every bot, including ones registered later. */
  bot_id: z.number().int().optional(),
});
export type BotScope = z.input<typeof botScopeSchema>;

export const migrateChatSchema = z.object({
  supergroup_id: z.number().int().max(-1_000_000_000_001).optional(),
});
export type MigrateChatRequest = z.input<typeof migrateChatSchema>;

export const outageSchema = z.object({ active: z.boolean() });

export const configPatchSchema = z.object({
  /** Origin replacing scheme, host and port of webhook URLs when delivering; null to stop rewriting. */
  deliver_to: z.string().url().nullable().optional(),
  delivery_timeout_ms: z.number().int().positive().optional(),
  rate_limits: rateLimitPatchSchema.optional(),
  /** How old a button press may be when answerCallbackQuery comes (Telegram: about 15 s). */
  callback_query_timeout_ms: z.number().int().positive().optional(),
});
export type ConfigPatch = z.input<typeof configPatchSchema>;
