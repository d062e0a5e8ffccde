"use client";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { useChangePassword } from "@/hooks/use-site-settings";
import { ApiClientError } from "@/lib/api/api-client";
import { passwordSchema } from "@/lib/schemas/auth";
import { apiErrorMessage } from "./api-error-message";
import { AlertLine } from "./alert-line";
import { primaryButton, statusText } from "./styles";
import { TextField } from "./text-field";

type FieldErrors = { current?: string; next?: string };

/** The signed-in user's password; this browser stays signed in, the user's other sessions end. */
export function ChangePasswordForm() {
  const t = useTranslations("site");
  const changePassword = useChangePassword();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [changed, setChanged] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setChanged(false);
    setFormError(null);
    const errors: FieldErrors = {
      current: current === "" ? t("account.currentRequired") : undefined,
      next: passwordSchema.safeParse(next).success ? undefined : t("team.passwordTooShort"),
    };
    setFieldErrors(errors);
    if (errors.current || errors.next) return;
    try {
      await changePassword.mutateAsync({ current_password: current, new_password: next });
      setCurrent("");
      setNext("");
      setChanged(true);
    } catch (caught) {
      if (caught instanceof ApiClientError && caught.code === "wrong_password")
        return setFieldErrors({ current: t("account.currentWrong") });
      setFormError(apiErrorMessage(caught, t));
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="change-password-heading" className="space-y-3">
      <h3 id="change-password-heading" className="font-semibold">
        {t("account.passwordHeading")}
      </h3>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          id="current-password"
          label={t("account.currentPassword")}
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(event) => setCurrent(event.target.value)}
          required
          error={fieldErrors.current}
        />
        <TextField
          id="new-password"
          label={t("account.newPassword")}
          type="password"
          autoComplete="new-password"
          hint={t("account.newPasswordHint")}
          value={next}
          onChange={(event) => setNext(event.target.value)}
          minLength={8}
          required
          error={fieldErrors.next}
        />
      </div>
      <AlertLine message={formError} />
      <button type="submit" disabled={changePassword.isPending} className={primaryButton}>
        {changePassword.isPending ? t("account.changing") : t("account.change")}
      </button>
      <div role="status">{changed ? <p className={statusText}>{t("account.changed")}</p> : null}</div>
    </form>
  );
}
