"use client";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useDeliveryFailure } from "@/hooks/use-telegram-integration";
import { QueryError } from "@/components/ui/query-state";
import { ui } from "@/components/ui/styles";

/** Warns when the newest lead's notification failed (and none was delivered since). */
export function DeliveryWarning() {
  const t = useTranslations("telegram.warning");
  const failure = useDeliveryFailure();
  if (failure.isError)
    return (
      <QueryError message={t("checkError")} onRetry={() => void failure.refetch()} retrying={failure.isFetching} />
    );
  const lead = failure.data;
  if (!lead) return null;
  const { last_error: reason, reason_code: code } = lead.delivery;
  return (
    <div role="alert" className={`${ui.warning} space-y-1`}>
      <p className="font-semibold">⚠️ {t("deliveryTitle", { error: reason ?? t("deliveryUnknown") })}</p>
      <p>{code === "bot_blocked" ? t("blockedText") : t("deliveryHint")}</p>
      <p>
        <Link href="/leads?status=failed" className={ui.link}>
          {t("deliveryLink")}
        </Link>
      </p>
    </div>
  );
}
