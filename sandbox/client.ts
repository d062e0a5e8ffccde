import type { BotScope, ConfigPatch, CreateBotRequest, CreateChatRequest } from "./control-schemas";
import type { BotView, ChatView } from "./control-views";
import type { ActiveFault, FaultSpecInput } from "./faults";
import type { RateLimitConfig, RateLimitPatch } from "./rate-limits";
import type { CallbackQueryRequest } from "./callback-queries";
import type {
  CallbackAnswerRecord,
  CallbackQueryRecord,
  MessageEditRecord,
  SandboxStats,
  SentMessageRecord,
} from "./state";
import type { UpdateRequest } from "./updates";
import type { DeliveryOutcome } from "./webhook-delivery";

export type { BotView, ChatView, ActiveFault, FaultSpecInput, RateLimitConfig, RateLimitPatch };
export type { SandboxStats, SentMessageRecord, UpdateRequest, DeliveryOutcome, CreateBotRequest, CreateChatRequest };
export type { CallbackAnswerRecord, CallbackQueryRecord, MessageEditRecord };

/** A button press: who pressed which callback button under which of the bot's messages. */
export interface ButtonPress {
  chatId: number;
  messageId: number;
  /** The button's callback_data. */
  data: string;
  /** A known user; in a private chat only its user may press (the default). */
  fromUserId?: number;
  /** Or a user described here, registered on the way (e.g. a group member). */
  from?: CallbackQueryRequest["from"];
}

export interface PressOutcome {
  callbackQueryId: string;
  delivery: DeliveryOutcome;
}

export interface SandboxConfigView {
  deliver_to: string | null;
  delivery_timeout_ms: number;
  rate_limits: RateLimitConfig;
  callback_query_timeout_ms: number;
}

type NewChat<T extends CreateChatRequest["type"]> = Omit<Extract<CreateChatRequest, { type: T }>, "type">;

/** A control API call that failed; `status` is the HTTP status, `message` the sandbox's reason. */
export class SandboxError extends Error {
  override name = "SandboxError";

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Typed client for the sandbox's control API (`/_sandbox/...`). The Bot API itself is spoken
 * by the app through grammY with `apiRoot` set to {@link SandboxClient.apiRoot}.
 */
export class SandboxClient {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  /** What to pass as grammY's `apiRoot` (or TELEGRAM_API_URL). */
  get apiRoot(): string {
    return this.baseUrl;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/_sandbox${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
    });
    const payload = (await response.json()) as unknown;
    if (!response.ok) {
      const error = (payload as { error?: unknown }).error;
      throw new SandboxError(response.status, typeof error === "string" ? error : `HTTP ${response.status}`);
    }
    return payload as T;
  }

  health(): Promise<{ ok: true; outage: boolean; methods: string[] }> {
    return this.call("GET", "/health");
  }

  /** Forgets bots, chats, messages, faults and counters; restores the start-up rate limits. */
  async reset(): Promise<void> {
    await this.call("POST", "/reset");
  }

  /** Request counters, including how many 429s were served (`too_many_requests`, `rate_limited`). */
  stats(): Promise<SandboxStats> {
    return this.call("GET", "/stats");
  }

  getConfig(): Promise<SandboxConfigView> {
    return this.call("GET", "/config");
  }

  updateConfig(patch: ConfigPatch): Promise<SandboxConfigView> {
    return this.call("PATCH", "/config", patch);
  }

  async setRateLimits(patch: RateLimitPatch): Promise<RateLimitConfig> {
    return (await this.updateConfig({ rate_limits: patch })).rate_limits;
  }

  async disableRateLimits(): Promise<void> {
    await this.setRateLimits({ enabled: false });
  }

  async enableRateLimits(): Promise<void> {
    await this.setRateLimits({ enabled: true });
  }

  /** Origin webhook deliveries go to instead of the registered https URL's (null: no rewrite). */
  async setDeliverTo(origin: string | null): Promise<void> {
    await this.updateConfig({ deliver_to: origin });
  }

  /** Registers a bot; the answer carries its `token`. */
  createBot(request: CreateBotRequest = {}): Promise<BotView> {
    return this.call("POST", "/bots", request);
  }

  listBots(): Promise<BotView[]> {
    return this.call("GET", "/bots");
  }

  getBot(botId: number): Promise<BotView> {
    return this.call("GET", `/bots/${botId}`);
  }

  createChat(request: CreateChatRequest): Promise<ChatView> {
    return this.call("POST", "/chats", request);
  }

  /** A user and their private chat (chat id = user id). */
  createPrivateChat(request: NewChat<"private">): Promise<ChatView> {
    return this.createChat({ type: "private", ...request });
  }

  createGroup(request: NewChat<"group">): Promise<ChatView> {
    return this.createChat({ type: "group", ...request });
  }

  createSupergroup(request: NewChat<"supergroup">): Promise<ChatView> {
    return this.createChat({ type: "supergroup", ...request });
  }

  listChats(): Promise<ChatView[]> {
    return this.call("GET", "/chats");
  }

  getChat(chatId: number): Promise<ChatView> {
    return this.call("GET", `/chats/${chatId}`);
  }

  /** The user blocks the bot (groups: the bot is kicked). Without botId: every bot. */
  blockBot(chatId: number, botId?: number): Promise<ChatView> {
    return this.call("POST", `/chats/${chatId}/block`, scope(botId));
  }

  unblockBot(chatId: number, botId?: number): Promise<ChatView> {
    return this.call("POST", `/chats/${chatId}/unblock`, scope(botId));
  }

  /** The bot is no longer a member of the group (private chats: as if the user never started it). */
  removeBotFromChat(chatId: number, botId?: number): Promise<ChatView> {
    return this.call("POST", `/chats/${chatId}/leave`, scope(botId));
  }

  /** The user deleted their account: "Forbidden: user is deactivated". */
  deactivateUser(chatId: number): Promise<ChatView> {
    return this.call("POST", `/chats/${chatId}/deactivate`);
  }

  /** Upgrades a basic group; sending to the old id then fails with migrate_to_chat_id. */
  migrateToSupergroup(chatId: number, supergroupId?: number): Promise<{ migrate_to_chat_id: number; chat: ChatView }> {
    return this.call(
      "POST",
      `/chats/${chatId}/migrate`,
      supergroupId === undefined ? {} : { supergroup_id: supergroupId },
    );
  }

  /** Messages the bot sent, oldest first; `since` is an epoch-ms `sent_at` to list only later ones. */
  messages(botId: number, filter: { chatId?: number; since?: number } = {}): Promise<SentMessageRecord[]> {
    return this.call("GET", `/bots/${botId}/messages${query(filter)}`);
  }

  /** Messages sent by any bot. */
  allMessages(filter: { chatId?: number; since?: number } = {}): Promise<SentMessageRecord[]> {
    return this.call("GET", `/messages${query(filter)}`);
  }

  /** Polls until the bot has sent at least `count` messages (to `chatId`, if given). */
  async waitForMessages(
    botId: number,
    {
      count = 1,
      chatId,
      timeoutMs = 5000,
      intervalMs = 25,
    }: { count?: number; chatId?: number; timeoutMs?: number; intervalMs?: number } = {},
  ): Promise<SentMessageRecord[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const messages = await this.messages(botId, chatId === undefined ? {} : { chatId });
      if (messages.length >= count) {
        return messages;
      }
      if (Date.now() > deadline) {
        throw new SandboxError(408, `bot ${botId} sent ${messages.length} of ${count} expected messages`);
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  /**
   * Builds an update (or takes a raw one) and queues it: delivered to the bot's webhook right
   * away, or left for getUpdates when no webhook is set.
   */
  sendUpdate(botId: number, request: UpdateRequest): Promise<DeliveryOutcome> {
    return this.call("POST", `/bots/${botId}/updates`, request);
  }

  /** The chat's user (or `fromUserId` in a group) writes `text` to the bot. */
  sendText(botId: number, chatId: number, text: string, fromUserId?: number): Promise<DeliveryOutcome> {
    return this.sendUpdate(botId, {
      type: "message",
      chat_id: chatId,
      text,
      ...(fromUserId === undefined ? {} : { from_user_id: fromUserId }),
    });
  }

  /** The user presses Start, optionally through a t.me/<bot>?start=<payload> link. */
  sendStart(botId: number, chatId: number, payload?: string): Promise<DeliveryOutcome> {
    return this.sendUpdate(botId, { type: "start", chat_id: chatId, ...(payload === undefined ? {} : { payload }) });
  }

  /** The bot's membership changes: "kicked" in a private chat means the user blocked it. */
  sendMyChatMember(
    botId: number,
    chatId: number,
    status: "member" | "administrator" | "kicked" | "left",
  ): Promise<DeliveryOutcome> {
    return this.sendUpdate(botId, { type: "my_chat_member", chat_id: chatId, status });
  }

  /**
   * Presses a callback button: the sandbox checks the message is the bot's and carries a button
   * with that callback_data, then delivers a callback_query update (webhook or getUpdates queue).
   */
  async pressButton(botId: number, press: ButtonPress): Promise<PressOutcome> {
    const delivery = await this.sendUpdate(botId, {
      type: "callback_query",
      chat_id: press.chatId,
      message_id: press.messageId,
      data: press.data,
      ...(press.fromUserId === undefined ? {} : { from_user_id: press.fromUserId }),
      ...(press.from === undefined ? {} : { from: press.from }),
    });
    const callbackQueryId = delivery.update.callback_query?.id;
    if (callbackQueryId === undefined) {
      throw new SandboxError(500, "the sandbox answered a press without a callback query");
    }
    return { callbackQueryId, delivery };
  }

  /** Presses a button and waits until the bot answers it (the toast or alert the user sees). */
  async pressButtonAndWaitForAnswer(
    botId: number,
    press: ButtonPress,
    options: { timeoutMs?: number } = {},
  ): Promise<PressOutcome & { answer: CallbackAnswerRecord }> {
    const outcome = await this.pressButton(botId, press);
    return { ...outcome, answer: await this.waitForCallbackAnswer(outcome.callbackQueryId, options) };
  }

  /** A press and the bot's answer to it (`answer: null` until answerCallbackQuery). */
  callbackQuery(callbackQueryId: string): Promise<CallbackQueryRecord> {
    return this.call("GET", `/callback-queries/${encodeURIComponent(callbackQueryId)}`);
  }

  /** Every press on the bot's messages, oldest first. */
  callbackQueries(botId: number): Promise<CallbackQueryRecord[]> {
    return this.call("GET", `/bots/${botId}/callback-queries`);
  }

  /** Polls until the bot has answered the press. */
  async waitForCallbackAnswer(
    callbackQueryId: string,
    { timeoutMs = 5000, intervalMs = 25 }: { timeoutMs?: number; intervalMs?: number } = {},
  ): Promise<CallbackAnswerRecord> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { answer } = await this.callbackQuery(callbackQueryId);
      if (answer !== null) {
        return answer;
      }
      if (Date.now() > deadline) {
        throw new SandboxError(408, `callback query ${callbackQueryId} was not answered`);
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  /** One message the bot sent, as it is now (text, reply_markup), with its edit history. */
  message(botId: number, chatId: number, messageId: number): Promise<SentMessageRecord> {
    return this.call("GET", `/bots/${botId}/messages/${chatId}/${messageId}`);
  }

  /** Polls until the message has been edited at least `count` times. */
  async waitForEdits(
    botId: number,
    chatId: number,
    messageId: number,
    { count = 1, timeoutMs = 5000, intervalMs = 25 }: { count?: number; timeoutMs?: number; intervalMs?: number } = {},
  ): Promise<SentMessageRecord> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const message = await this.message(botId, chatId, messageId);
      if (message.edits.length >= count) {
        return message;
      }
      if (Date.now() > deadline) {
        throw new SandboxError(408, `message ${messageId} was edited ${message.edits.length} of ${count} times`);
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }

  deliveries(botId: number): Promise<DeliveryOutcome[]> {
    return this.call("GET", `/bots/${botId}/deliveries`);
  }

  /** Retries the bot's pending updates in order, stopping at the first failure. */
  redeliver(botId: number): Promise<DeliveryOutcome[]> {
    return this.call("POST", `/bots/${botId}/redeliver`);
  }

  /** Makes the next matching Bot API calls fail; see FaultSpecInput for the kinds. */
  injectFault(spec: FaultSpecInput): Promise<ActiveFault> {
    return this.call("POST", "/faults", spec);
  }

  listFaults(): Promise<ActiveFault[]> {
    return this.call("GET", "/faults");
  }

  async clearFaults(): Promise<void> {
    await this.call("DELETE", "/faults");
  }

  /** While active, every Bot API connection is reset; the control API keeps working. */
  async setOutage(active: boolean): Promise<void> {
    await this.call("POST", "/outage", { active });
  }
}

function scope(botId: number | undefined): BotScope {
  return botId === undefined ? {} : { bot_id: botId };
}

function query(filter: { chatId?: number; since?: number }): string {
  const params = new URLSearchParams();
  if (filter.chatId !== undefined) {
    params.set("chat_id", String(filter.chatId));
  }
  if (filter.since !== undefined) {
    params.set("since", String(filter.since));
  }
  const encoded = params.toString();
  return encoded === "" ? "" : `?${encoded}`;
}
