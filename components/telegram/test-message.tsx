"use client";
import { useTranslations } from "next-intl";
import { useSendTestMessage } from "@/hooks/use-telegram-integration";
import { BlockedWarning } from "./blocked-warning";
import { useDescribeError } from "@/components/ui/describe-error";
import { ErrorAlert } from "@/components/ui/error-alert";
import { StatusLine } from "@/components/ui/status-line";
import { ui } from "@/components/ui/styles";

/** "Отправить тестовое сообщение" to the owner's chat; the outcome is shown beside the button. */
export function TestMessage({ ownerChatId }: { ownerChatId: number | null }) {
  const t = useTranslations("telegram.test");
  const describe = useDescribeError();
  const send = useSendTestMessage();
  const result = send.isPending ? undefined : send.data;

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          onClick={() => {
            if (!send.isPending) send.mutate(undefined);
          }}
          aria-disabled={send.isPending || undefined}
          className={ui.primaryButton}
          aria-describedby="telegram-test-result"
        >
          {send.isPending ? t("sending") : t("button")}
        </button>
        {ownerChatId === null ? <p className="text-sm text-slate-600">{t("noChat")}</p> : null}
      </div>
      <div id="telegram-test-result" className="space-y-2">
        <StatusLine message={result?.success ? `✓ ${t("success")}` : null} />
        {result && !result.success ? (
          <div role="alert" className={ui.error}>
            <p>
              {t("failed")} <span lang="en">{result.message}</span>
            </p>
          </div>
        ) : null}
        {result && !result.success && result.reason_code === "bot_blocked" ? <BlockedWarning /> : null}
        {send.isError ? <ErrorAlert error={describe(send.error)} /> : null}
      </div>
    </div>
  );
}
