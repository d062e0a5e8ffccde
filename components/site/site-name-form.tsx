"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useUpdateTenant } from "@/hooks/use-site-settings";
import { apiErrorMessage } from "./api-error-message";
import { primaryButton, statusText } from "./styles";
import { TextField } from "./text-field";

/** Renames the site; the shell's header picks the new name up on refresh. */
export function SiteNameForm({ name: savedName }: { name: string }) {
  const t = useTranslations("site");
  const router = useRouter();
  const update = useUpdateTenant();
  const [name, setName] = useState(savedName);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const trimmed = name.trim();
    if (trimmed === "") return setError(t("site.nameRequired"));
    if (trimmed.length > 200) return setError(t("site.nameTooLong"));
    setError(null);
    try {
      await update.mutateAsync({ name: trimmed });
      setName(trimmed);
      setSaved(true);
      router.refresh();
    } catch (caught) {
      setError(apiErrorMessage(caught, t));
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-2">
      <div className="flex flex-col gap-2 sm:flex-row sm:items-start">
        <div className="flex-1">
          <TextField
            id="site-name"
            label={t("site.name")}
            value={name}
            onChange={(event) => {
              setName(event.target.value);
              setSaved(false);
            }}
            maxLength={200}
            autoComplete="organization"
            required
            error={error}
          />
        </div>
        <button type="submit" disabled={update.isPending} className={`${primaryButton} sm:mt-6`}>
          {update.isPending ? t("site.saving") : t("site.save")}
        </button>
      </div>
      <div role="status">{saved ? <p className={statusText}>{t("site.saved")}</p> : null}</div>
    </form>
  );
}
