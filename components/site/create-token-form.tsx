"use client";
import { useTranslations } from "next-intl";
import { useDescribeError } from "@/components/ui/describe-error";
import { ui } from "@/components/ui/styles";
import { TextField } from "@/components/ui/text-field";
import { fieldErrorText, setServerError, showServerIssues, useZodForm } from "@/components/ui/use-zod-form";
import { useCreateApiToken } from "@/hooks/use-site-settings";
import { createApiTokenSchema, type CreatedApiToken } from "@/lib/schemas/tenant";

/** Names and creates a token; the caller shows it, once. */
export function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedApiToken) => void }) {
  const t = useTranslations("site");
  const create = useCreateApiToken();
  const describe = useDescribeError();
  const form = useZodForm(createApiTokenSchema, { defaultValues: { name: "" } });

  const onSubmit = form.handleSubmit(async (request) => {
    try {
      onCreated(await create.mutateAsync(request));
      form.reset({ name: "" });
    } catch (caught) {
      if (!showServerIssues(form, caught, ["name"])) setServerError(form, "name", describe(caught));
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-2 sm:flex-row sm:items-start">
      <div className="flex-1">
        <TextField
          id="token-name"
          label={t("tokens.name")}
          hint={t("tokens.nameHint")}
          maxLength={100}
          autoComplete="off"
          required
          error={fieldErrorText(form.formState.errors.name, {
            too_small: t("tokens.nameRequired"),
            too_big: t("tokens.nameTooLong"),
          })}
          {...form.register("name")}
        />
      </div>
      <button type="submit" disabled={create.isPending} className={`${ui.primaryButton} sm:mt-6`}>
        {create.isPending ? t("tokens.creating") : t("tokens.create")}
      </button>
    </form>
  );
}
