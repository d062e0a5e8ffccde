"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useSignOutEverywhere } from "@/hooks/use-site-settings";
import { apiErrorMessage } from "./api-error-message";
import { ConfirmPanel } from "./confirm-panel";
import { AlertLine } from "./alert-line";
import { dangerButton } from "./styles";

/** Ends every session of the user, this browser's too, after an inline confirmation. */
export function SignOutEverywhere() {
  const t = useTranslations("site");
  const router = useRouter();
  const signOut = useSignOutEverywhere();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setError(null);
    try {
      await signOut.mutateAsync();
      router.push("/sign-in");
    } catch (caught) {
      setError(apiErrorMessage(caught, t));
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
        <button type="button" className={dangerButton} onClick={() => setConfirming(true)}>
          {t("account.everywhere")}
        </button>
      )}
      <AlertLine message={error} />
    </div>
  );
}
