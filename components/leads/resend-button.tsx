"use client";
import { useTranslations } from "next-intl";
import { useResendLead } from "@/hooks/use-leads";
import { ApiClientError } from "@/lib/api/api-client";

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

  const toneClass = {
    ok: "bg-green-50 text-green-900",
    warn: "bg-amber-50 text-amber-900",
    error: "bg-red-50 text-red-800",
  };
  return (
    <div className="space-y-2">
      <button
        type="button"
        onClick={() => resend.mutate(leadId)}
        disabled={resend.isPending}
        className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 disabled:opacity-60"
      >
        {resend.isPending ? t("resending") : t("resend")}
      </button>
      {/* Always in the page so screen readers announce the text that appears in it. */}
      <p role="status" className={outcome ? `rounded px-3 py-2 text-sm ${toneClass[outcome.tone]}` : "sr-only"}>
        {outcome?.text}
      </p>
    </div>
  );
}
