"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useSignOutEverywhere } from "@/hooks/use-site-settings";
import { apiErrorMessage } from "./api-error-message";
import { alertText, dangerButton, dangerSolidButton, secondaryButton } from "./styles";

/** Ends every session of the user, this browser's too, after an inline confirmation. */
export function SignOutEverywhere() {
  const t = useTranslations("site");
  const router = useRouter();
  const signOut = useSignOutEverywhere();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
  }, [confirming]);

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
        <div role="group" aria-labelledby="sign-out-everywhere-question" className="space-y-2 rounded border border-red-200 bg-red-50 p-3">
          <p id="sign-out-everywhere-question" className="text-sm text-red-900">
            {t("account.everywhereQuestion")}
          </p>
          <div className="flex flex-wrap gap-2">
            <button type="button" className={dangerSolidButton} disabled={signOut.isPending} onClick={() => void confirm()}>
              {signOut.isPending ? t("account.signingOut") : t("account.everywhereConfirm")}
            </button>
            <button type="button" ref={cancelRef} className={secondaryButton} disabled={signOut.isPending} onClick={() => setConfirming(false)}>
              {t("tokens.cancel")}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className={dangerButton} onClick={() => setConfirming(true)}>
          {t("account.everywhere")}
        </button>
      )}
      {error ? (
        <p role="alert" className={alertText}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
