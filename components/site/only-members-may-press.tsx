"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useUpdateTenant } from "@/hooks/use-site-settings";
import { useDescribeError, type ShownError } from "@/components/ui/describe-error";
import { ErrorAlert } from "@/components/ui/error-alert";
import { StatusLine } from "@/components/ui/status-line";
import { ui } from "@/components/ui/styles";

/** The site's setting that refuses button presses from Telegram users no member linked; saved as it is ticked. */
export function OnlyMembersMayPress({ enabled }: { enabled: boolean }) {
  const t = useTranslations("site.site");
  const describe = useDescribeError();
  const update = useUpdateTenant();
  const [error, setError] = useState<ShownError | null>(null);
  const [saved, setSaved] = useState<boolean | null>(null);
  // While saving, show where it is going. Set in the click's own render: the mutation's
  // pending state arrives a tick later, and the box would flick back in between.
  const [going, setGoing] = useState<boolean | null>(null);
  const checked = going ?? enabled;

  async function change(next: boolean) {
    if (going !== null) return;
    setGoing(next);
    setError(null);
    setSaved(null);
    try {
      const tenant = await update.mutateAsync({ only_members_may_press: next });
      setSaved(tenant.only_members_may_press);
    } catch (caught) {
      setError(describe(caught));
    } finally {
      setGoing(null);
    }
  }

  return (
    <div className="space-y-2">
      <div className="flex items-start gap-2">
        <input
          id="only-members-may-press"
          type="checkbox"
          checked={checked}
          aria-describedby="only-members-may-press-hint"
          onChange={(event) => void change(event.target.checked)}
          className={`mt-1 h-4 w-4 ${ui.focus}`}
        />
        <div>
          <label htmlFor="only-members-may-press" className={ui.label}>
            {t("onlyMembersMayPress")}
          </label>
          <p id="only-members-may-press-hint" className={ui.hint}>
            {t("onlyMembersMayPressHint")}
          </p>
        </div>
      </div>
      <StatusLine message={saved === null ? null : saved ? t("onlyMembersMayPressOn") : t("onlyMembersMayPressOff")} />
      <ErrorAlert error={error} />
    </div>
  );
}
