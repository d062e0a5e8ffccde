"use client";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { useUpdateTenant } from "@/hooks/use-site-settings";
import { originSchema } from "@/lib/schemas/tenant";
import { apiErrorMessage } from "./api-error-message";
import { OneFieldForm } from "./one-field-form";
import { TextField } from "./text-field";

const MAX_ORIGINS = 50;

/** Adds one origin, checked here with the server's own schema before it is sent. */
export function AddOriginForm({ origins }: { origins: string[] }) {
  const t = useTranslations("site");
  const update = useUpdateTenant();
  const [value, setValue] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setAdded(null);
    const parsed = originSchema.safeParse(value);
    if (!parsed.success) return setError(t("origins.invalid"));
    if (origins.includes(parsed.data)) return setError(t("origins.duplicate"));
    if (origins.length >= MAX_ORIGINS) return setError(t("origins.tooMany"));
    setError(null);
    try {
      await update.mutateAsync({ allowed_origins: [...origins, parsed.data] });
      setValue("");
      setAdded(parsed.data);
    } catch (caught) {
      setError(apiErrorMessage(caught, t));
    }
  }

  return (
    <OneFieldForm
      onSubmit={onSubmit}
      busy={update.isPending}
      busyLabel={t("origins.adding")}
      submitLabel={t("origins.add")}
      done={added ? t("origins.added", { origin: added }) : null}
      field={
        <TextField
          id="new-origin"
          label={t("origins.inputLabel")}
          hint={t("origins.inputHint")}
          value={value}
          onChange={(event) => {
            setValue(event.target.value);
            setAdded(null);
          }}
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder="https://example.com"
          error={error}
        />
      }
    />
  );
}
