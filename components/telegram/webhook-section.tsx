"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useDeleteWebhook, useSetWebhook, useWebhookUrl } from "@/hooks/use-telegram-integration";
import type { IntegrationDto } from "@/lib/schemas/telegram";
import { useDescribeError } from "@/components/ui/describe-error";
import { ErrorAlert } from "@/components/ui/error-alert";
import { QueryError } from "@/components/ui/query-state";
import { StatusLine } from "@/components/ui/status-line";
import { ui } from "@/components/ui/styles";

/** Webhook status and URL; install/reinstall (POST {}) and remove (DELETE), with Telegram's answer. */
export function WebhookSection({ integration }: { integration: IntegrationDto }) {
  const t = useTranslations("telegram");
  const describe = useDescribeError();
  const webhookUrl = useWebhookUrl();
  const install = useSetWebhook();
  const remove = useDeleteWebhook();
  const [lastAction, setLastAction] = useState<"install" | "remove" | null>(null);
  const action = lastAction === "install" ? install : lastAction === "remove" ? remove : null;
  const active = integration.is_webhook_active;
  const notConfigured = webhookUrl.data?.is_configured === false;
  const url = integration.webhook_url ?? (webhookUrl.data?.is_configured ? webhookUrl.data.webhook_url : null);
  const busy = install.isPending || remove.isPending;

  return (
    <section aria-labelledby="telegram-webhook-title" className={ui.block}>
      <h2 id="telegram-webhook-title" className={ui.blockTitle}>
        {t("webhook.title")}
      </h2>
      <p className={ui.muted}>{t("webhook.description")}</p>
      <dl className="grid grid-cols-[auto_1fr] gap-x-2 gap-y-1 text-sm">
        <dt className="text-slate-600">{t("updates.label")}</dt>
        <dd data-testid="telegram-updates-via" className="font-medium text-slate-800">
          {t(`updates.${integration.updates_via}`)}
        </dd>
        <dt className="text-slate-600">{t("webhook.status")}</dt>
        <dd
          data-testid="telegram-webhook-status"
          className={active ? "font-medium text-green-800" : "font-medium text-slate-800"}
        >
          {active ? t("webhook.active") : t("webhook.inactive")}
        </dd>
        {url ? (
          <>
            <dt className="text-slate-600">{t("webhook.url")}</dt>
            <dd className="min-w-0 break-all">
              <code className="text-xs">{url}</code>
            </dd>
          </>
        ) : null}
      </dl>
      {webhookUrl.isError ? (
        <QueryError
          message={t("webhook.urlError")}
          onRetry={() => void webhookUrl.refetch()}
          retrying={webhookUrl.isFetching}
        />
      ) : null}
      {integration.polling_error ? (
        <div role="alert" className={ui.warning}>
          <p>{t(`updates.errors.${integration.polling_error.code}`)}</p>
          <p className="mt-1 text-xs" lang="en">
            {integration.polling_error.message}
          </p>
        </div>
      ) : null}
      {notConfigured ? (
        <div className={ui.muted}>
          <p>{t("webhook.notConfigured")}</p>
          {webhookUrl.data?.message ? (
            <p className="mt-1 text-xs" lang="en">
              {webhookUrl.data.message}
            </p>
          ) : null}
        </div>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          disabled={notConfigured}
          aria-disabled={busy || undefined}
          onClick={() => {
            if (busy) return;
            setLastAction("install");
            install.mutate(undefined);
          }}
          className={active ? ui.secondaryButton : ui.primaryButton}
        >
          {install.isPending ? t("webhook.working") : active ? t("webhook.reinstall") : t("webhook.install")}
        </button>
        {active ? (
          <button
            type="button"
            aria-disabled={busy || undefined}
            onClick={() => {
              if (busy) return;
              setLastAction("remove");
              remove.mutate();
            }}
            className={ui.dangerButton}
          >
            {remove.isPending ? t("webhook.working") : t("webhook.remove")}
          </button>
        ) : null}
      </div>
      <StatusLine
        message={
          action?.data?.success ? (lastAction === "install" ? t("webhook.installed") : t("webhook.removed")) : null
        }
      />
      {action?.data && !action.data.success ? (
        <div role="alert" className={ui.error}>
          {t("webhook.failed")} <span lang="en">{action.data.message}</span>
        </div>
      ) : null}
      {action?.isError ? <ErrorAlert error={describe(action.error)} /> : null}
    </section>
  );
}
