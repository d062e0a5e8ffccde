"use client";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { useCreateApiToken } from "@/hooks/use-site-settings";
import type { CreatedApiToken } from "@/lib/schemas/tenant";
import { apiErrorMessage } from "./api-error-message";
import { primaryButton } from "./styles";
import { TextField } from "./text-field";

/** Names and creates a token; the caller shows it, once. */
export function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedApiToken) => void }) {
  const t = useTranslations("site");
  const create = useCreateApiToken();
  const [name, setName] = useState("");
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed === "") return setError(t("tokens.nameRequired"));
    if (trimmed.length > 100) return setError(t("tokens.nameTooLong"));
    setError(null);
    try {
      onCreated(await create.mutateAsync({ name: trimmed }));
      setName("");
    } catch (caught) {
      setError(apiErrorMessage(caught, t));
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-2 sm:flex-row sm:items-start">
      <div className="flex-1">
        <TextField
          id="token-name"
          label={t("tokens.name")}
          hint={t("tokens.nameHint")}
          value={name}
          onChange={(event) => setName(event.target.value)}
          maxLength={100}
          autoComplete="off"
          required
          error={error}
        />
      </div>
      <button type="submit" disabled={create.isPending} className={`${primaryButton} sm:mt-6`}>
        {create.isPending ? t("tokens.creating") : t("tokens.create")}
      </button>
    </form>
  );
}
