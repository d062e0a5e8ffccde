"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { telegramIntegrationKey, useConnectLinkStatus, useCreateConnectLink } from "@/hooks/use-telegram-integration";
import type { ConnectLinkResponse, IntegrationDto } from "@/lib/schemas/telegram";
import { useDescribeError } from "@/components/ui/describe-error";
import { ErrorAlert } from "@/components/ui/error-alert";
import { ui } from "@/components/ui/styles";
import { useFormatDate } from "@/components/ui/dates";

const POLL_EVERY_MS = 2_000;

/**
 * "Подключить в Telegram": a one-time t.me link; the chat that presses Start with it becomes
 * the owner's chat. Meanwhile the link's status is polled until it is used or expires.
 */
export function ConnectLink({ integration }: { integration: IntegrationDto }) {
  const t = useTranslations("telegram.connect");
  const describe = useDescribeError();
  const formatDate = useFormatDate();
  const queryClient = useQueryClient();
  const create = useCreateConnectLink();
  const [pending, setPending] = useState<ConnectLinkResponse | null>(null);
  const status = useConnectLinkStatus(pending?.id ?? null, POLL_EVERY_MS);

  const connected = status.data?.status === "connected";
  const expired = status.data?.status === "expired";
  const waiting = pending !== null && !connected && !expired;
  const boundChatId = status.data?.chat_id ?? integration.owner_chat_id;

  useEffect(() => {
    // The integration now has its chat, and the chat that pressed Start is in the list.
    if (connected) void queryClient.invalidateQueries({ queryKey: telegramIntegrationKey });
  }, [connected, queryClient]);

  function start() {
    if (create.isPending) return;
    create.mutate(undefined, { onSuccess: (link) => setPending(link) });
  }

  return (
    <div className="space-y-2 rounded border border-blue-200 bg-blue-50 p-3">
      <h3 className="text-sm font-semibold text-slate-900">{t("title")}</h3>
      {integration.updates_via === "none" ? <p className="text-sm text-amber-900">{t("notListening")}</p> : null}
      <button type="button" onClick={start} aria-disabled={create.isPending || undefined} className={ui.primaryButton}>
        {create.isPending ? t("creating") : t("button")}
      </button>
      {create.isError ? <ErrorAlert error={describe(create.error, { fallback: t("error") })} /> : null}
      {waiting ? (
        <div className="space-y-1 text-sm">
          <p>
            {t("linkLabel")}{" "}
            <a
              href={pending.url}
              target="_blank"
              rel="noopener noreferrer"
              className={`break-all ${ui.link}`}
              data-testid="telegram-connect-link"
            >
              {pending.url}
            </a>
          </p>
          <p className="font-medium text-slate-900">{t("hint")}</p>
          <p className="text-xs text-slate-600">{t("expires", { time: formatDate(pending.expires_at, "time") })}</p>
        </div>
      ) : null}
      <div role="status" className="text-sm">
        {waiting ? <p className="text-slate-700">{t("waiting")}</p> : null}
        {connected ? <p className={ui.success}>{t("connected", { chatId: String(boundChatId) })}</p> : null}
        {expired ? <p className="text-amber-900">{t("expired")}</p> : null}
        {status.isError ? <ErrorAlert error={describe(status.error, { fallback: t("statusError") })} /> : null}
      </div>
    </div>
  );
}
