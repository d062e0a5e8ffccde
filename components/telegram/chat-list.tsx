"use client";
import { useTranslations } from "next-intl";
import { useTelegramChats, useUpdateTelegramIntegration } from "@/hooks/use-telegram-integration";
import type { IntegrationDto, TelegramChatDto } from "@/lib/schemas/telegram";
import { useDescribeError } from "@/components/ui/describe-error";
import { ErrorAlert } from "@/components/ui/error-alert";
import { Loading } from "@/components/ui/query-state";
import { QueryError } from "@/components/ui/query-state";
import { ui } from "@/components/ui/styles";
import { useFormatDate } from "@/components/ui/dates";

const KNOWN_TYPES = ["private", "group", "supergroup", "channel"] as const;

function chatName(chat: TelegramChatDto): string | null {
  return chat.title ?? ([chat.first_name, chat.last_name].filter(Boolean).join(" ") || null);
}

/** Chats that wrote to the bot; "Использовать этот чат" makes one the owner's chat (PATCH owner_chat_id). */
export function ChatList({ integration }: { integration: IntegrationDto }) {
  const t = useTranslations("telegram.chats");
  const describe = useDescribeError();
  const formatDate = useFormatDate();
  const chats = useTelegramChats();
  const update = useUpdateTelegramIntegration();
  const choosing = update.isPending ? update.variables.owner_chat_id : undefined;

  return (
    <section aria-labelledby="telegram-chats-title" className={ui.block}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="telegram-chats-title" className={ui.blockTitle}>
          {t("title")}
        </h2>
        <button
          type="button"
          onClick={() => void chats.refetch()}
          aria-disabled={chats.isFetching || undefined}
          className={ui.secondaryButton}
        >
          {t("refresh")}
        </button>
      </div>
      <p className={ui.muted}>{t("description")}</p>
      {chats.isPending ? <Loading /> : null}
      {chats.isError ? (
        <QueryError message={t("error")} onRetry={() => void chats.refetch()} retrying={chats.isFetching} />
      ) : null}
      {chats.data?.length === 0 ? (
        <div className="rounded border border-dashed border-slate-300 p-3 text-sm text-slate-700">
          <p>{t("empty")}</p>
          {integration.updates_via === "none" ? <p className="mt-1 text-amber-900">{t("emptyNotListening")}</p> : null}
        </div>
      ) : null}
      {chats.data && chats.data.length > 0 ? (
        <ul
          className="divide-y divide-slate-200 rounded border border-slate-200"
          aria-labelledby="telegram-chats-title"
        >
          {chats.data.map((chat) => {
            const isOwner = chat.chat_id === integration.owner_chat_id;
            const nameId = `telegram-chat-${chat.chat_id}`;
            const type = KNOWN_TYPES.find((known) => known === chat.type) ?? "other";
            return (
              <li key={chat.chat_id} className="flex flex-wrap items-center justify-between gap-2 p-3">
                <div className="min-w-0 text-sm">
                  <p id={nameId} className="break-words font-medium text-slate-900">
                    {chatName(chat) ?? t("unnamed")}
                    {chat.username ? <span className="ml-1 font-normal text-slate-600">@{chat.username}</span> : null}
                  </p>
                  <p className="text-xs text-slate-600">
                    {t(`types.${type}`)} · <span className="font-mono">{chat.chat_id}</span> ·{" "}
                    {t("lastSeen", { time: formatDate(chat.last_seen_at) })}
                  </p>
                </div>
                {isOwner ? (
                  <span className="rounded bg-green-50 px-2 py-1 text-sm font-medium text-green-800">{t("owner")}</span>
                ) : (
                  <button
                    type="button"
                    aria-describedby={nameId}
                    aria-disabled={update.isPending || undefined}
                    onClick={() => {
                      if (!update.isPending) update.mutate({ owner_chat_id: chat.chat_id });
                    }}
                    className={ui.secondaryButton}
                  >
                    {choosing === chat.chat_id ? "…" : t("use")}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      ) : null}
      {update.isError ? <ErrorAlert error={describe(update.error, { fallback: t("useError") })} /> : null}
    </section>
  );
}
