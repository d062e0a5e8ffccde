"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useUpdateTenant } from "@/hooks/use-site-settings";
import { apiErrorMessage } from "./api-error-message";
import { OneFieldForm } from "./one-field-form";
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
    <OneFieldForm
      onSubmit={onSubmit}
      busy={update.isPending}
      busyLabel={t("site.saving")}
      submitLabel={t("site.save")}
      done={saved ? t("site.saved") : null}
      field={
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
      }
    />
  );
}
