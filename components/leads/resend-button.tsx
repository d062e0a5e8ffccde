"use client";
import { useTranslations } from "next-intl";
import { useResendLead } from "@/hooks/use-leads";
import { ApiClientError } from "@/lib/api/api-client";
import { ui } from "@/components/ui/styles";

/** "Send again" for site owners and admins; the outcome is announced next to the button. */
export function ResendButton({ leadId }: { leadId: string }) {
  const t = useTranslations("leads.delivery");
  const resend = useResendLead();

  let outcome: { text: string; tone: "ok" | "warn" | "error" } | null = null;
  if (resend.isSuccess) outcome = { text: t("resendQueued"), tone: "ok" };
  else if (resend.error instanceof ApiClientError && resend.error.code === "delivery_in_progress")
    outcome = { text: t("resendBusy"), tone: "warn" };
  else if (resend.error instanceof ApiClientError && resend.error.code === "forbidden")
    outcome = { text: t("resendForbidden"), tone: "error" };
  else if (resend.error instanceof ApiClientError && resend.error.code === "not_found")
    outcome = { text: t("resendNotFound"), tone: "error" };
  else if (resend.error)
    outcome = {
      text: t("resendError", {
        message: resend.error instanceof ApiClientError ? resend.error.displayMessage : resend.error.message,
      }),
      tone: "error",
    };

  const toneClass = { ok: ui.success, warn: ui.warning, error: ui.error };
  return (
    <div className="space-y-2">
      <button
        type="button"
        onClick={() => resend.mutate(leadId)}
        disabled={resend.isPending}
        className={ui.primaryButton}
      >
        {resend.isPending ? t("resending") : t("resend")}
      </button>
      {/* Always in the page so screen readers announce the text that appears in it. */}
      <p role="status" className={outcome ? toneClass[outcome.tone] : "sr-only"}>
        {outcome?.text}
      </p>
    </div>
  );
}
