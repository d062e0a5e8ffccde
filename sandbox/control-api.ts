import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { readBody } from "./api-params";
import type { BotApiRuntime } from "./bot-api-handler";
import {
  botScopeSchema,
  configPatchSchema,
  createBotSchema,
  createChatSchema,
  migrateChatSchema,
  outageSchema,
} from "./control-schemas";
import { botView, chatView } from "./control-views";
import { faultSpecSchema } from "./faults";
import { sendJson } from "./http-responses";
import { SUPPORTED_METHODS } from "./methods";
import { mergeRateLimits } from "./rate-limits";
import type { BotRecord, BotStanding, ChatRecord, SandboxState } from "./state";
import { generateToken } from "./tokens";
import { UpdateRequestError } from "./update-actors";
import { buildUpdate, updateRequestSchema } from "./updates";
import { deliverUpdate, redeliverPending, type DeliveryOptions } from "./webhook-delivery";

export interface SandboxRuntime extends BotApiRuntime {
  /** Mutable: PATCH /_sandbox/config changes it for later deliveries. */
  delivery: DeliveryOptions;
}

/** A control API failure: `{ ok: false, error }` with an HTTP status. */
class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readJson<T extends z.ZodType>(request: IncomingMessage, schema: T): Promise<z.infer<T>> {
  const body = await readBody(request);
  let value: unknown = {};
  if (body.length > 0) {
    try {
      value = JSON.parse(body.toString("utf8"));
    } catch {
      throw new ControlError(400, "the body must be JSON");
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ControlError(400, z.prettifyError(parsed.error));
  }
  return parsed.data;
}

function botById(state: SandboxState, rawId: string): BotRecord {
  const bot = state.bots.get(Number(rawId));
  if (bot === undefined) {
    throw new ControlError(404, `no bot with id ${rawId}`);
  }
  return bot;
}

function chatById(state: SandboxState, rawId: string): ChatRecord {
  const chat = state.chats.get(Number(rawId));
  if (chat === undefined) {
    throw new ControlError(404, `no chat with id ${rawId}`);
  }
  return chat;
}

/** "acme_leads_bot" → "Acme Leads Bot", the kind of name people give bots. */
function displayNameOf(username: string): string {
  const words = username
    .replace(/_?bot$/i, "")
    .split("_")
    .filter(Boolean);
  return [...words, "bot"].map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(" ");
}

function registerBot(state: SandboxState, body: z.infer<typeof createBotSchema>): BotRecord {
  const id = body.id ?? (body.token === undefined ? state.allocateBotId() : Number(body.token.split(":")[0]));
  if (state.bots.has(id)) {
    throw new ControlError(409, `a bot with id ${id} already exists`);
  }
  const username = body.username ?? `sandbox${id}_bot`;
  if ([...state.bots.values()].some((bot) => bot.username.toLowerCase() === username.toLowerCase())) {
    throw new ControlError(409, `the username ${username} is taken`);
  }
  const bot: BotRecord = {
    id,
    token: body.token ?? generateToken(id),
    username,
    firstName: body.first_name ?? displayNameOf(username),
    canJoinGroups: body.can_join_groups ?? true,
    canReadAllGroupMessages: body.can_read_all_group_messages ?? false,
    supportsInlineQueries: body.supports_inline_queries ?? false,
    webhook: undefined,
    allowedUpdates: undefined,
    lastWebhookError: undefined,
    pendingUpdates: [],
    nextUpdateId: 100_000_001,
    nextSetWebhookAllowedAt: 0,
  };
  state.bots.set(id, bot);
  return bot;
}

function createChat(state: SandboxState, body: z.infer<typeof createChatSchema>): ChatRecord {
  const id = body.id ?? state.allocateChatId(body.type);
  if (state.chats.has(id)) {
    throw new ControlError(409, `a chat with id ${id} already exists`);
  }
  const common = { id, standings: new Map<number, BotStanding>(), deactivated: false };
  let chat: ChatRecord;
  if (body.type === "private") {
    const user = {
      id,
      first_name: body.first_name,
      ...(body.last_name === undefined ? {} : { last_name: body.last_name }),
      ...(body.username === undefined ? {} : { username: body.username }),
      ...(body.language_code === undefined ? {} : { language_code: body.language_code }),
    };
    state.users.set(id, user);
    chat = { ...common, type: "private", user, defaultStanding: body.started ? "member" : "not_started" };
  } else if (body.type === "group") {
    chat = { ...common, type: "group", title: body.title, defaultStanding: "member" };
  } else {
    chat = {
      ...common,
      type: "supergroup",
      title: body.title,
      ...(body.username === undefined ? {} : { username: body.username }),
      defaultStanding: "member",
    };
  }
  state.chats.set(id, chat);
  return chat;
}

function setStanding(chat: ChatRecord, botId: number | undefined, standing: BotStanding): void {
  if (botId === undefined) {
    chat.defaultStanding = standing;
    chat.standings.clear();
  } else {
    chat.standings.set(botId, standing);
  }
}

function migrateChat(state: SandboxState, chat: ChatRecord, supergroupId: number | undefined): ChatRecord {
  if (chat.type !== "group") {
    throw new ControlError(400, "only basic groups can be upgraded to supergroups");
  }
  if (chat.migratedToChatId !== undefined) {
    throw new ControlError(409, `the group was already upgraded to ${chat.migratedToChatId}`);
  }
  const supergroup = createChat(state, {
    type: "supergroup",
    title: chat.title ?? "Supergroup",
    ...(supergroupId === undefined ? {} : { id: supergroupId }),
  });
  supergroup.defaultStanding = chat.defaultStanding;
  for (const [botId, standing] of chat.standings) {
    supergroup.standings.set(botId, standing);
  }
  chat.migratedToChatId = supergroup.id;
  return supergroup;
}

function listMessages(state: SandboxState, url: URL, botId: number | undefined) {
  const chatId = url.searchParams.get("chat_id");
  const since = url.searchParams.get("since");
  return state.sentMessages.filter(
    (m) =>
      (botId === undefined || m.bot_id === botId) &&
      (chatId === null || m.chat_id === Number(chatId)) &&
      (since === null || m.sent_at > Number(since)),
  );
}

function configView(runtime: SandboxRuntime) {
  return {
    deliver_to: runtime.delivery.deliverTo ?? null,
    delivery_timeout_ms: runtime.delivery.timeoutMs,
    rate_limits: runtime.state.flood.limits,
    callback_query_timeout_ms: runtime.state.callbackQueryTimeoutMs,
  };
}

type Route = (runtime: SandboxRuntime, request: IncomingMessage, url: URL, ...ids: string[]) => Promise<unknown>;

/** Routes as [method, path pattern, handler]; `([^/]+)` groups become the handler's ids. */
const ROUTES: Array<[string, RegExp, Route]> = [
  [
    "GET",
    /^\/_sandbox\/health$/,
    async ({ state }) => ({ ok: true, outage: state.outage, methods: SUPPORTED_METHODS }),
  ],
  [
    "POST",
    /^\/_sandbox\/reset$/,
    async ({ state }) => {
      state.reset();
      return { ok: true };
    },
  ],
  ["GET", /^\/_sandbox\/stats$/, async ({ state }) => state.stats],
  ["GET", /^\/_sandbox\/config$/, async (runtime) => configView(runtime)],
  [
    "PATCH",
    /^\/_sandbox\/config$/,
    async (runtime, request) => {
      const patch = await readJson(request, configPatchSchema);
      if (patch.deliver_to !== undefined) {
        runtime.delivery.deliverTo = patch.deliver_to ?? undefined;
      }
      if (patch.delivery_timeout_ms !== undefined) {
        runtime.delivery.timeoutMs = patch.delivery_timeout_ms;
      }
      if (patch.rate_limits !== undefined) {
        runtime.state.flood.configure(mergeRateLimits(runtime.state.flood.limits, patch.rate_limits));
      }
      if (patch.callback_query_timeout_ms !== undefined) {
        runtime.state.callbackQueryTimeoutMs = patch.callback_query_timeout_ms;
      }
      return configView(runtime);
    },
  ],
  [
    "POST",
    /^\/_sandbox\/bots$/,
    async ({ state }, request) => botView(state, registerBot(state, await readJson(request, createBotSchema))),
  ],
  ["GET", /^\/_sandbox\/bots$/, async ({ state }) => [...state.bots.values()].map((bot) => botView(state, bot))],
  [
    "GET",
    /^\/_sandbox\/bots\/([^/]+)$/,
    async ({ state }, _request, _url, id = "") => botView(state, botById(state, id)),
  ],
  [
    "GET",
    /^\/_sandbox\/bots\/([^/]+)\/messages$/,
    async ({ state }, _request, url, id = "") => listMessages(state, url, botById(state, id).id),
  ],
  [
    "GET",
    /^\/_sandbox\/bots\/([^/]+)\/messages\/([^/]+)\/([^/]+)$/,
    async ({ state }, _request, _url, id = "", chatId = "", messageId = "") => {
      const bot = botById(state, id);
      const message = state.findSentMessage(bot.id, Number(chatId), Number(messageId));
      if (message === undefined) {
        throw new ControlError(404, `bot ${bot.id} sent no message ${messageId} to chat ${chatId}`);
      }
      return message;
    },
  ],
  [
    "GET",
    /^\/_sandbox\/bots\/([^/]+)\/callback-queries$/,
    async ({ state }, _request, _url, id = "") => {
      const bot = botById(state, id);
      return [...state.callbackQueries.values()].filter((query) => query.bot_id === bot.id);
    },
  ],
  [
    "GET",
    /^\/_sandbox\/callback-queries\/([^/]+)$/,
    async ({ state }, _request, _url, id = "") => {
      const query = state.callbackQueries.get(id);
      if (query === undefined) {
        throw new ControlError(404, `no callback query ${id}`);
      }
      return query;
    },
  ],
  ["GET", /^\/_sandbox\/messages$/, async ({ state }, _request, url) => listMessages(state, url, undefined)],
  [
    "POST",
    /^\/_sandbox\/bots\/([^/]+)\/updates$/,
    async (runtime, request, _url, id = "") => {
      const bot = botById(runtime.state, id);
      const body = await readJson(request, updateRequestSchema);
      try {
        const update = buildUpdate(runtime.state, bot, body);
        return await deliverUpdate(runtime.state, bot, update, runtime.delivery);
      } catch (error) {
        if (error instanceof UpdateRequestError) {
          throw new ControlError(error.status, error.message);
        }
        throw error;
      }
    },
  ],
  [
    "GET",
    /^\/_sandbox\/bots\/([^/]+)\/deliveries$/,
    async ({ state }, _request, _url, id = "") => {
      const bot = botById(state, id);
      return state.deliveries.filter((d) => d.bot_id === bot.id);
    },
  ],
  [
    "POST",
    /^\/_sandbox\/bots\/([^/]+)\/redeliver$/,
    async (runtime, _request, _url, id = "") =>
      redeliverPending(runtime.state, botById(runtime.state, id), runtime.delivery),
  ],
  [
    "POST",
    /^\/_sandbox\/chats$/,
    async ({ state }, request) => chatView(state, createChat(state, await readJson(request, createChatSchema))),
  ],
  ["GET", /^\/_sandbox\/chats$/, async ({ state }) => [...state.chats.values()].map((c) => chatView(state, c))],
  ["GET", /^\/_sandbox\/chats\/([^/]+)$/, async ({ state }, _r, _u, id = "") => chatView(state, chatById(state, id))],
  ...(
    [
      ["block", "blocked"],
      ["unblock", "member"],
      ["leave", "left"],
    ] as const
  ).map(([action, standing]): [string, RegExp, Route] => [
    "POST",
    new RegExp(`^/_sandbox/chats/([^/]+)/${action}$`),
    async ({ state }, request, _url, id = "") => {
      const chat = chatById(state, id);
      const { bot_id } = await readJson(request, botScopeSchema);
      setStanding(chat, bot_id, standing);
      return chatView(state, chat);
    },
  ]),
  [
    "POST",
    /^\/_sandbox\/chats\/([^/]+)\/deactivate$/,
    async ({ state }, _request, _url, id = "") => {
      const chat = chatById(state, id);
      if (chat.type !== "private") {
        throw new ControlError(400, "only users (private chats) can be deactivated");
      }
      chat.deactivated = true;
      return chatView(state, chat);
    },
  ],
  [
    "POST",
    /^\/_sandbox\/chats\/([^/]+)\/migrate$/,
    async ({ state }, request, _url, id = "") => {
      const chat = chatById(state, id);
      const { supergroup_id } = await readJson(request, migrateChatSchema);
      const supergroup = migrateChat(state, chat, supergroup_id);
      return { migrate_to_chat_id: supergroup.id, chat: chatView(state, supergroup) };
    },
  ],
  ["GET", /^\/_sandbox\/faults$/, async ({ state }) => state.faults.list()],
  [
    "POST",
    /^\/_sandbox\/faults$/,
    async ({ state }, request) => state.faults.add(await readJson(request, faultSpecSchema)),
  ],
  [
    "DELETE",
    /^\/_sandbox\/faults$/,
    async ({ state }) => {
      state.faults.clear();
      return { ok: true };
    },
  ],
  [
    "POST",
    /^\/_sandbox\/outage$/,
    async ({ state }, request) => {
      state.outage = (await readJson(request, outageSchema)).active;
      return { outage: state.outage };
    },
  ],
];

/** Serves the sandbox's own JSON API under /_sandbox/. */
export async function handleControlRequest(
  runtime: SandboxRuntime,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<void> {
  const matching = ROUTES.filter(([, pattern]) => pattern.test(url.pathname));
  const route = matching.find(([method]) => method === request.method);
  if (route === undefined) {
    const status = matching.length === 0 ? 404 : 405;
    sendJson(response, status, { ok: false, error: status === 404 ? "no such endpoint" : "method not allowed" });
    return;
  }
  const [, pattern, handler] = route;
  const ids = (pattern.exec(url.pathname) ?? []).slice(1).map((id) => decodeURIComponent(id ?? ""));
  try {
    sendJson(response, 200, await handler(runtime, request, url, ...ids));
  } catch (error) {
    if (error instanceof ControlError) {
      sendJson(response, error.status, { ok: false, error: error.message });
      return;
    }
    throw error;
  }
}
