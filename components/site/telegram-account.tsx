"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { membersQueryKey } from "@/hooks/use-site-settings";
import { useCreateTelegramLink, useTelegramLink, useUnlinkTelegram } from "@/hooks/use-telegram-link";
import type { ConnectLinkResponse } from "@/lib/schemas/telegram";
import type { TelegramLinkState } from "@/lib/schemas/telegram-account";
import { useDescribeError, type ShownError } from "@/components/ui/describe-error";
import { ErrorAlert } from "@/components/ui/error-alert";
import { useFormatDate } from "@/components/ui/dates";
import { QueryState } from "@/components/ui/query-state";
import { ui } from "@/components/ui/styles";

const POLL_EVERY_MS = 2_000;

type Account = NonNullable<TelegramLinkState["account"]>;

/** "Ivan Petrov (@ivan)": the account as Telegram shows it. */
export const telegramAccountLabel = (account: { name: string; username: string | null }) =>
  account.username && account.name !== `@${account.username}` ? `${account.name} (@${account.username})` : account.name;

/**
 * The caller's own Telegram account: "Привязать Telegram" gives a one-time link to the site's
 * bot, and the account that presses Start with it becomes theirs (its presses in the site's
 * chats name them). The link's status is polled until it is used or expires.
 */
export function TelegramAccount() {
  const t = useTranslations("site.telegram");
  const state = useTelegramLink(POLL_EVERY_MS);
  return (
    <section aria-labelledby="telegram-account-heading" className="space-y-2">
      <h3 id="telegram-account-heading" className="font-semibold">
        {t("heading")}
      </h3>
      <p className="text-sm text-slate-600">{t("description")}</p>
      <QueryState query={state} errorMessage={t("loadError")}>
        {(data) => <LinkControls state={data} />}
      </QueryState>
    </section>
  );
}

function LinkControls({ state }: { state: TelegramLinkState }) {
  const t = useTranslations("site.telegram");
  const describe = useDescribeError();
  const formatDate = useFormatDate();
  const queryClient = useQueryClient();
  const create = useCreateTelegramLink();
  const unlink = useUnlinkTelegram();
  const [created, setCreated] = useState<ConnectLinkResponse | null>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const [unlinked, setUnlinked] = useState(false);

  const ours = created !== null && state.link?.id === created.id ? state.link.status : null;
  const linkedNow = ours === "used" && state.account !== null;

  useEffect(() => {
    // The team list shows the account too.
    if (linkedNow) void queryClient.invalidateQueries({ queryKey: membersQueryKey });
  }, [linkedNow, queryClient]);

  function start() {
    if (create.isPending) return;
    setError(null);
    setUnlinked(false);
    create.mutate(undefined, {
      onSuccess: (link) => setCreated(link),
      onError: (caught) =>
        setError(
          describe(caught, {
            integration_missing: t("noBot"),
            bot_username_missing: t("noBot"),
            fallback: t("createError"),
          }),
        ),
    });
  }

  async function remove() {
    if (unlink.isPending) return;
    setError(null);
    try {
      await unlink.mutateAsync();
      setCreated(null);
      setUnlinked(true);
    } catch (caught) {
      setError(describe(caught));
    }
  }

  return (
    <div className="space-y-2">
      {state.account ? (
        <LinkedAccount account={state.account} pending={unlink.isPending} onUnlink={() => void remove()} />
      ) : (
        <button
          type="button"
          onClick={start}
          aria-disabled={create.isPending || undefined}
          className={ui.primaryButton}
        >
          {create.isPending ? t("creating") : t("link")}
        </button>
      )}
      {ours === "waiting" && created ? (
        <div className="space-y-1 text-sm">
          <a
            href={created.url}
            target="_blank"
            rel="noopener noreferrer"
            className={ui.secondaryButton}
            data-testid="telegram-account-link"
          >
            {t("open")}
          </a>
          <p className="break-all text-slate-700">{created.url}</p>
          <p className="text-xs text-slate-600">{t("expires", { time: formatDate(created.expires_at, "time") })}</p>
        </div>
      ) : null}
      <div role="status" className="text-sm">
        {ours === "waiting" ? <p className="text-slate-700">{t("waiting")}</p> : null}
        {ours === "expired" ? <p className="text-amber-900">{t("expired")}</p> : null}
        {linkedNow && state.account ? (
          <p className={ui.success}>{t("linked", { account: telegramAccountLabel(state.account) })}</p>
        ) : null}
        {unlinked ? <p className={ui.success}>{t("unlinked")}</p> : null}
      </div>
      <ErrorAlert error={error} />
    </div>
  );
}

function LinkedAccount({ account, pending, onUnlink }: { account: Account; pending: boolean; onUnlink: () => void }) {
  const t = useTranslations("site.telegram");
  const formatDate = useFormatDate();
  return (
    <div className="flex flex-wrap items-center justify-between gap-2 rounded border border-slate-200 px-3 py-2">
      <p className="text-sm">
        <span className="font-medium" data-testid="telegram-account">
          {telegramAccountLabel(account)}
        </span>
        <span className="block text-xs text-slate-600">
          {t("since", { date: formatDate(account.linked_at, "day") })}
        </span>
      </p>
      <button
        type="button"
        onClick={onUnlink}
        aria-disabled={pending || undefined}
        aria-label={t("unlinkLabel", { account: telegramAccountLabel(account) })}
        className={ui.dangerButton}
      >
        {pending ? t("unlinking") : t("unlink")}
      </button>
    </div>
  );
}
