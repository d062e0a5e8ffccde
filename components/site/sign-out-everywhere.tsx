"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useSignOutEverywhere } from "@/hooks/use-site-settings";
import { useDescribeError, type ShownError } from "@/components/ui/describe-error";
import { ConfirmPanel } from "@/components/ui/confirm-panel";
import { ErrorAlert } from "@/components/ui/error-alert";
import { ui } from "@/components/ui/styles";

/** Ends every session of the user, this browser's too, after an inline confirmation. */
export function SignOutEverywhere() {
  const t = useTranslations("site");
  const router = useRouter();
  const signOut = useSignOutEverywhere();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<ShownError | string | null>(null);
  const describe = useDescribeError();

  async function confirm() {
    setError(null);
    try {
      await signOut.mutateAsync();
      router.push("/sign-in");
    } catch (caught) {
      setError(describe(caught));
    }
  }

  return (
    <div className="space-y-2">
      <h3 className="font-semibold">{t("account.everywhereHeading")}</h3>
      <p className="text-sm text-slate-600">{t("account.everywhereDescription")}</p>
      {confirming ? (
        <ConfirmPanel
          id="sign-out-everywhere"
          question={t("account.everywhereQuestion")}
          confirmLabel={t("account.everywhereConfirm")}
          pendingLabel={t("account.signingOut")}
          cancelLabel={t("tokens.cancel")}
          pending={signOut.isPending}
          onConfirm={() => void confirm()}
          onCancel={() => setConfirming(false)}
        />
      ) : (
        <button type="button" className={ui.dangerButton} onClick={() => setConfirming(true)}>
          {t("account.everywhere")}
        </button>
      )}
      <ErrorAlert error={error} />
    </div>
  );
}
