"use client";
import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useDescribeError } from "@/components/ui/describe-error";
import { TextField } from "@/components/ui/text-field";
import { fieldErrorText, setServerError, showServerIssues, useZodForm } from "@/components/ui/use-zod-form";
import { useUpdateTenant } from "@/hooks/use-site-settings";
import { renameTenantSchema } from "@/lib/schemas/tenant";
import { OneFieldForm } from "./one-field-form";

/** Renames the site; the shell's header picks the new name up on refresh. */
export function SiteNameForm({ name: savedName }: { name: string }) {
  const t = useTranslations("site");
  const router = useRouter();
  const update = useUpdateTenant();
  const describe = useDescribeError();
  const form = useZodForm(renameTenantSchema, { defaultValues: { name: savedName } });
  const [saved, setSaved] = useState(false);

  const onSubmit = form.handleSubmit(async ({ name }) => {
    try {
      await update.mutateAsync({ name });
      form.reset({ name });
      setSaved(true);
      router.refresh();
    } catch (caught) {
      if (!showServerIssues(form, caught, ["name"])) setServerError(form, "name", describe(caught));
    }
  });

  return (
    <OneFieldForm
      onSubmit={(event) => {
        setSaved(false);
        void onSubmit(event);
      }}
      busy={update.isPending}
      busyLabel={t("site.saving")}
      submitLabel={t("site.save")}
      done={saved ? t("site.saved") : null}
      field={
        <TextField
          id="site-name"
          label={t("site.name")}
          maxLength={200}
          autoComplete="organization"
          required
          error={fieldErrorText(form.formState.errors.name, {
            too_small: t("site.nameRequired"),
            too_big: t("site.nameTooLong"),
          })}
          {...form.register("name", { onChange: () => setSaved(false) })}
        />
      }
    />
  );
}
