"use client";
import { useTranslations } from "next-intl";
import { useTelegramIntegration } from "@/hooks/use-telegram-integration";
import { ActiveSwitch } from "./active-switch";
import { ConnectedView } from "./connected-view";
import { PAGE_TITLE_ID } from "./focus-later";
import { Loading } from "@/components/ui/query-state";
import { QueryError } from "@/components/ui/query-state";
import { SetupForm } from "./setup-form";

/** Settings → Notifications → Telegram: the setup form without a bot, the settings with one. */
export function TelegramSettings() {
  const t = useTranslations("telegram");
  const query = useTelegramIntegration();
  const integration = query.data;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 space-y-1">
          <h1 id={PAGE_TITLE_ID} tabIndex={-1} className="text-2xl font-semibold focus:outline-none">
            {t("pageTitle")}
          </h1>
          <p className="text-sm text-slate-600">{t("intro")}</p>
        </div>
        {integration ? <ActiveSwitch isActive={integration.is_active} labelledBy={PAGE_TITLE_ID} /> : null}
      </div>
      {query.isPending ? <Loading /> : null}
      {query.isError ? (
        <QueryError
          message={t("errors.loadIntegration")}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      ) : null}
      {integration === null ? <SetupForm /> : null}
      {integration ? <ConnectedView integration={integration} /> : null}
    </div>
  );
}
