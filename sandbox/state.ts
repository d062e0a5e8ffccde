import type { Chat, InlineKeyboardMarkup, Message, MessageEntity, Update, User } from "grammy/types";
import { FaultQueue } from "./faults";
import { LongPolls } from "./long-polls";
import { DEFAULT_RATE_LIMITS, FloodControl, type RateLimitConfig } from "./rate-limits";

export type ChatType = "private" | "group" | "supergroup";

/**
 * Where a bot stands in a chat. In private chats "blocked" means the user blocked the bot and
 * "not_started" that the user never pressed Start; in groups "blocked" means the bot was kicked.
 */
export type BotStanding = "member" | "not_started" | "blocked" | "left";

export interface WebhookRecord {
  url: string;
  secretToken: string;
  maxConnections: number;
  ipAddress: string;
}

export interface BotRecord {
  id: number;
  token: string;
  username: string;
  firstName: string;
  canJoinGroups: boolean;
  canReadAllGroupMessages: boolean;
  supportsInlineQueries: boolean;
  webhook: WebhookRecord | undefined;
  /** allowed_updates, shared by setWebhook and getUpdates; undefined = Telegram's default set. */
  allowedUpdates: string[] | undefined;
  /** Kept across deliveries like Telegram; cleared when a new webhook is set. */
  lastWebhookError: { date: number; message: string } | undefined;
  /** Updates not confirmed yet (by a 2xx webhook answer or a later getUpdates offset), in update_id order. */
  pendingUpdates: Update[];
  nextUpdateId: number;
  /** Telegram accepts one setWebhook per second per bot. */
  nextSetWebhookAllowedAt: number;
}

export interface UserRecord {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface ChatRecord {
  id: number;
  type: ChatType;
  title?: string;
  username?: string;
  /** The other party of a private chat. */
  user?: UserRecord;
  defaultStanding: BotStanding;
  standings: Map<number, BotStanding>;
  deactivated: boolean;
  migratedToChatId?: number;
}

/** One edit of a sent message: what the message showed after it. */
export interface MessageEditRecord {
  method: "editMessageText" | "editMessageReplyMarkup";
  /** Epoch milliseconds. */
  edited_at: number;
  text: string;
  /** The text parameter of an editMessageText, exactly as sent. */
  raw_text?: string;
  parse_mode?: string;
  entities: MessageEntity[];
  reply_markup?: InlineKeyboardMarkup;
  via: "api" | "webhook_reply";
  params: Record<string, string>;
}

/**
 * A message a bot sent, as the control API reports it. Its content fields (text, raw_text,
 * parse_mode, entities, reply_markup, message) show it as it is now, after any edits;
 * `params` are those of the sendMessage call and `edits` the history since.
 */
export interface SentMessageRecord {
  bot_id: number;
  chat_id: number;
  message_id: number;
  /** Unix seconds, as in the Message. */
  date: number;
  /** Epoch milliseconds with sub-millisecond resolution, for measuring pacing. */
  sent_at: number;
  /** The text as Telegram shows it: markup parsed, entities decoded, trimmed. */
  text: string;
  /** The text parameter exactly as the bot sent it. */
  raw_text: string;
  parse_mode?: string;
  entities: MessageEntity[];
  /** The inline keyboard under the message, if any. */
  reply_markup?: InlineKeyboardMarkup;
  /** How the call arrived: a normal Bot API request or a method in a webhook response. */
  via: "api" | "webhook_reply";
  /** All parameters of the call, as strings (JSON values re-encoded), the way Telegram reads them. */
  params: Record<string, string>;
  message: Message;
  /** Oldest first. */
  edits: MessageEditRecord[];
}

/** What the bot answered to a button press (answerCallbackQuery): the toast or alert the user saw. */
export interface CallbackAnswerRecord {
  text?: string;
  show_alert: boolean;
  url?: string;
  cache_time: number;
  /** Epoch milliseconds. */
  answered_at: number;
}

/** A button press injected through the control API. */
export interface CallbackQueryRecord {
  id: string;
  bot_id: number;
  chat_id: number;
  message_id: number;
  data: string;
  from: User;
  chat_instance: string;
  update_id: number;
  /** Epoch milliseconds. */
  pressed_at: number;
  answer: CallbackAnswerRecord | null;
}

export interface DeliveryRecord {
  bot_id: number;
  update_id: number;
  update: Update;
  /** The URL actually requested, after the deliverTo rewrite. */
  target_url: string | undefined;
  delivered: boolean;
  /** The app's HTTP status, when it answered. */
  status?: number;
  /** Telegram's wording of the failure, as shown in last_error_message. */
  error?: string;
  duration_ms: number;
  at: number;
}

export interface SandboxStats {
  /** Bot API requests received (control API excluded). */
  requests: number;
  by_method: Record<string, number>;
  /** Responses by HTTP status, including injected faults; resets count as "reset". */
  responses: Record<string, number>;
  /** 429s answered because a flood limit was exceeded (not injected ones). */
  rate_limited: number;
  /** 429s answered because a fault was injected. */
  injected_too_many_requests: number;
  /** All 429s served. */
  too_many_requests: number;
  messages_sent: number;
}

const emptyStats = (): SandboxStats => ({
  requests: 0,
  by_method: {},
  responses: {},
  rate_limited: 0,
  injected_too_many_requests: 0,
  too_many_requests: 0,
  messages_sent: 0,
});

/** Id ranges that look like Telegram's and never collide between kinds. */
const FIRST_BOT_ID = 7_000_000_001;
const FIRST_USER_ID = 500_000_001;
const FIRST_GROUP_ID = -400_000_001;
const FIRST_SUPERGROUP_ID = -1_002_000_000_001;
/** Callback query ids are 64-bit numbers sent as strings. */
const FIRST_CALLBACK_QUERY_ID = 4_382_000_000_000_000_001n;
export const DEFAULT_CALLBACK_QUERY_TIMEOUT_MS = 15_000;

export class SandboxState {
  readonly bots = new Map<number, BotRecord>();
  readonly chats = new Map<number, ChatRecord>();
  readonly users = new Map<number, UserRecord>();
  readonly sentMessages: SentMessageRecord[] = [];
  readonly deliveries: DeliveryRecord[] = [];
  readonly callbackQueries = new Map<string, CallbackQueryRecord>();
  /** Every message in a chat as the bot sees it, for reply_to_message. */
  readonly chatMessages = new Map<string, Message>();
  readonly faults = new FaultQueue();
  readonly longPolls = new LongPolls();
  readonly flood: FloodControl;
  outage = false;
  stats = emptyStats();
  /** Telegram refuses answers to presses older than about 15 seconds. */
  callbackQueryTimeoutMs: number;

  private readonly lastMessageIds = new Map<string, number>();
  private nextBotId = FIRST_BOT_ID;
  private nextUserId = FIRST_USER_ID;
  private nextGroupId = FIRST_GROUP_ID;
  private nextSupergroupId = FIRST_SUPERGROUP_ID;
  private nextCallbackQueryId = FIRST_CALLBACK_QUERY_ID;

  constructor(
    readonly initialRateLimits: RateLimitConfig = DEFAULT_RATE_LIMITS,
    readonly initialCallbackQueryTimeoutMs = DEFAULT_CALLBACK_QUERY_TIMEOUT_MS,
  ) {
    this.flood = new FloodControl(initialRateLimits);
    this.callbackQueryTimeoutMs = initialCallbackQueryTimeoutMs;
  }

  /** Forgets everything and restores the rate limits the sandbox started with. */
  reset(): void {
    this.longPolls.releaseAll();
    this.bots.clear();
    this.chats.clear();
    this.users.clear();
    this.sentMessages.length = 0;
    this.deliveries.length = 0;
    this.callbackQueries.clear();
    this.nextCallbackQueryId = FIRST_CALLBACK_QUERY_ID;
    this.callbackQueryTimeoutMs = this.initialCallbackQueryTimeoutMs;
    this.chatMessages.clear();
    this.lastMessageIds.clear();
    this.faults.clear();
    this.flood.configure(this.initialRateLimits);
    this.outage = false;
    this.stats = emptyStats();
    this.nextBotId = FIRST_BOT_ID;
    this.nextUserId = FIRST_USER_ID;
    this.nextGroupId = FIRST_GROUP_ID;
    this.nextSupergroupId = FIRST_SUPERGROUP_ID;
  }

  allocateBotId(): number {
    while (this.bots.has(this.nextBotId)) {
      this.nextBotId++;
    }
    return this.nextBotId++;
  }

  allocateChatId(type: ChatType): number {
    const taken = (id: number) => this.chats.has(id) || this.users.has(id);
    if (type === "private") {
      while (taken(this.nextUserId)) {
        this.nextUserId++;
      }
      return this.nextUserId++;
    }
    if (type === "group") {
      while (taken(this.nextGroupId)) {
        this.nextGroupId--;
      }
      return this.nextGroupId--;
    }
    while (taken(this.nextSupergroupId)) {
      this.nextSupergroupId--;
    }
    return this.nextSupergroupId--;
  }

  findBotByToken(token: string): BotRecord | undefined {
    for (const bot of this.bots.values()) {
      if (bot.token === token) {
        return bot;
      }
    }
    return undefined;
  }

  standingOf(chat: ChatRecord, botId: number): BotStanding {
    return chat.standings.get(botId) ?? chat.defaultStanding;
  }

  /** Message ids grow per chat, shared by the bot's and the other side's messages. */
  nextMessageId(botId: number, chatId: number): number {
    const key = `${botId}:${chatId}`;
    const next = (this.lastMessageIds.get(key) ?? 0) + 1;
    this.lastMessageIds.set(key, next);
    return next;
  }

  rememberMessage(botId: number, message: Message): void {
    this.chatMessages.set(`${botId}:${message.chat.id}:${message.message_id}`, message);
  }

  findMessage(botId: number, chatId: number, messageId: number): Message | undefined {
    return this.chatMessages.get(`${botId}:${chatId}:${messageId}`);
  }

  findSentMessage(botId: number, chatId: number, messageId: number): SentMessageRecord | undefined {
    return this.sentMessages.find(
      (sent) => sent.bot_id === botId && sent.chat_id === chatId && sent.message_id === messageId,
    );
  }

  allocateCallbackQueryId(): string {
    return String(this.nextCallbackQueryId++);
  }

  botUser(bot: BotRecord): User {
    return { id: bot.id, is_bot: true, first_name: bot.firstName, username: bot.username };
  }

  chatObject(chat: ChatRecord): Chat {
    if (chat.type === "private") {
      const user = chat.user;
      return {
        id: chat.id,
        type: "private",
        first_name: user?.first_name ?? "",
        ...(user?.last_name === undefined ? {} : { last_name: user.last_name }),
        ...(user?.username === undefined ? {} : { username: user.username }),
      };
    }
    if (chat.type === "group") {
      return { id: chat.id, type: "group", title: chat.title ?? "" };
    }
    return {
      id: chat.id,
      type: "supergroup",
      title: chat.title ?? "",
      ...(chat.username === undefined ? {} : { username: chat.username }),
    };
  }

  userObject(user: UserRecord): User {
    return { is_bot: false, ...user };
  }

  countResponse(status: number | "reset"): void {
    const key = String(status);
    this.stats.responses[key] = (this.stats.responses[key] ?? 0) + 1;
    if (status === 429) {
      this.stats.too_many_requests += 1;
    }
  }
}
