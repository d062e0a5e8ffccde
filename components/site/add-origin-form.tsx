"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useDescribeError } from "@/components/ui/describe-error";
import { TextField } from "@/components/ui/text-field";
import { fieldErrorText, setServerError, useZodForm } from "@/components/ui/use-zod-form";
import { useUpdateTenant } from "@/hooks/use-site-settings";
import { addOriginSchema, MAX_ALLOWED_ORIGINS } from "@/lib/schemas/tenant";
import { OneFieldForm } from "./one-field-form";

/** Adds one origin, checked here with the server's own schema before it is sent. */
export function AddOriginForm({ origins }: { origins: string[] }) {
  const t = useTranslations("site");
  const update = useUpdateTenant();
  const describe = useDescribeError();
  const form = useZodForm(addOriginSchema, { defaultValues: { origin: "" } });
  const [added, setAdded] = useState<string | null>(null);

  const onSubmit = form.handleSubmit(async ({ origin }) => {
    if (origins.includes(origin)) return form.setError("origin", { type: "duplicate" }, { shouldFocus: true });
    if (origins.length >= MAX_ALLOWED_ORIGINS) return form.setError("origin", { type: "too_many" });
    try {
      await update.mutateAsync({ allowed_origins: [...origins, origin] });
      form.reset({ origin: "" });
      setAdded(origin);
    } catch (caught) {
      setServerError(form, "origin", describe(caught));
    }
  });

  return (
    <OneFieldForm
      onSubmit={(event) => {
        setAdded(null);
        void onSubmit(event);
      }}
      busy={update.isPending}
      busyLabel={t("origins.adding")}
      submitLabel={t("origins.add")}
      done={added ? t("origins.added", { origin: added }) : null}
      field={
        <TextField
          id="new-origin"
          label={t("origins.inputLabel")}
          hint={t("origins.inputHint")}
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder="https://example.com"
          error={fieldErrorText(form.formState.errors.origin, {
            duplicate: t("origins.duplicate"),
            too_many: t("origins.tooMany"),
            default: t("origins.invalid"),
          })}
          {...form.register("origin", { onChange: () => setAdded(null) })}
        />
      }
    />
  );
}
