"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useDescribeError, type ShownError } from "@/components/ui/describe-error";
import { ErrorAlert } from "@/components/ui/error-alert";
import { StatusLine } from "@/components/ui/status-line";
import { ui } from "@/components/ui/styles";
import { TextField } from "@/components/ui/text-field";
import { fieldErrorText, showServerIssues, useZodForm } from "@/components/ui/use-zod-form";
import { useChangePassword } from "@/hooks/use-site-settings";
import { ApiClientError } from "@/lib/api/api-client";
import { changePasswordSchema } from "@/lib/schemas/auth";

/** The signed-in user's password; this browser stays signed in, the user's other sessions end. */
export function ChangePasswordForm() {
  const t = useTranslations("site");
  const changePassword = useChangePassword();
  const describe = useDescribeError();
  const form = useZodForm(changePasswordSchema, { defaultValues: { current_password: "", new_password: "" } });
  const [formError, setFormError] = useState<ShownError | null>(null);
  const [changed, setChanged] = useState(false);
  const { errors } = form.formState;

  const onSubmit = form.handleSubmit(async (request) => {
    try {
      await changePassword.mutateAsync(request);
      form.reset();
      setChanged(true);
    } catch (caught) {
      if (caught instanceof ApiClientError && caught.code === "wrong_password")
        return form.setError("current_password", { type: "wrong" }, { shouldFocus: true });
      if (!showServerIssues(form, caught, ["current_password", "new_password"])) setFormError(describe(caught));
    }
  });

  return (
    <form
      onSubmit={(event) => {
        setChanged(false);
        setFormError(null);
        void onSubmit(event);
      }}
      noValidate
      aria-labelledby="change-password-heading"
      className="space-y-3"
    >
      <h3 id="change-password-heading" className="font-semibold">
        {t("account.passwordHeading")}
      </h3>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          id="current-password"
          label={t("account.currentPassword")}
          type="password"
          autoComplete="current-password"
          required
          error={fieldErrorText(errors.current_password, {
            wrong: t("account.currentWrong"),
            default: t("account.currentRequired"),
          })}
          {...form.register("current_password")}
        />
        <TextField
          id="new-password"
          label={t("account.newPassword")}
          type="password"
          autoComplete="new-password"
          hint={t("account.newPasswordHint")}
          minLength={8}
          required
          error={fieldErrorText(errors.new_password, { default: t("team.passwordTooShort") })}
          {...form.register("new_password")}
        />
      </div>
      <ErrorAlert error={formError} />
      <button type="submit" disabled={changePassword.isPending} className={ui.primaryButton}>
        {changePassword.isPending ? t("account.changing") : t("account.change")}
      </button>
      <StatusLine message={changed ? t("account.changed") : null} />
    </form>
  );
}
