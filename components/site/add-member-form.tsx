"use client";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useDescribeError, type ShownError } from "@/components/ui/describe-error";
import { ErrorAlert } from "@/components/ui/error-alert";
import { StatusLine } from "@/components/ui/status-line";
import { ui } from "@/components/ui/styles";
import { TextField } from "@/components/ui/text-field";
import { fieldErrorText, showServerIssues, useZodForm } from "@/components/ui/use-zod-form";
import { useAddMember } from "@/hooks/use-site-settings";
import { ApiClientError } from "@/lib/api/api-client";
import type { Role } from "@/lib/schemas/auth";
import { createMemberSchema } from "@/lib/schemas/tenant";

/** Creates an account in this site; only an owner may hand out the owner role. */
export function AddMemberForm({ callerRole }: { callerRole: Role }) {
  const t = useTranslations("site");
  const addMember = useAddMember();
  const describe = useDescribeError();
  const form = useZodForm(createMemberSchema, { defaultValues: { email: "", password: "", role: "member" } });
  const [formError, setFormError] = useState<ShownError | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const { errors } = form.formState;
  const roles: Role[] = callerRole === "site_owner" ? ["member", "admin", "site_owner"] : ["member", "admin"];

  const onSubmit = form.handleSubmit(async (request) => {
    try {
      const member = await addMember.mutateAsync(request);
      setAdded(member.email);
      form.reset();
    } catch (caught) {
      if (caught instanceof ApiClientError && caught.code === "email_taken")
        return form.setError("email", { type: "taken" }, { shouldFocus: true });
      if (!showServerIssues(form, caught, ["email", "password", "role"]))
        setFormError(describe(caught, { forbidden: t("team.ownerForbidden") }));
    }
  });

  return (
    <form
      onSubmit={(event) => {
        setAdded(null);
        setFormError(null);
        void onSubmit(event);
      }}
      noValidate
      aria-labelledby="add-member-heading"
      aria-describedby={formError ? "add-member-error" : undefined}
      className="space-y-3 rounded border border-slate-200 bg-slate-50 p-4"
    >
      <h3 id="add-member-heading" className="font-semibold">
        {t("team.addHeading")}
      </h3>
      <div className="grid gap-3 sm:grid-cols-2">
        <TextField
          id="member-email"
          label={t("team.email")}
          type="email"
          autoComplete="off"
          required
          error={fieldErrorText(errors.email, { taken: t("team.emailTaken"), default: t("team.emailInvalid") })}
          {...form.register("email")}
        />
        <TextField
          id="member-password"
          label={t("team.password")}
          type="password"
          autoComplete="new-password"
          hint={t("team.passwordHint")}
          minLength={8}
          required
          error={fieldErrorText(errors.password, { default: t("team.passwordTooShort") })}
          {...form.register("password")}
        />
      </div>
      <div className="space-y-1 sm:max-w-xs">
        <label htmlFor="member-role" className={ui.label}>
          {t("team.role")}
        </label>
        <select
          id="member-role"
          aria-describedby={callerRole === "site_owner" ? undefined : "member-role-hint"}
          className={ui.input}
          {...form.register("role")}
        >
          {roles.map((option) => (
            <option key={option} value={option}>
              {t(`roles.${option}`)}
            </option>
          ))}
        </select>
        {callerRole === "site_owner" ? null : (
          <p id="member-role-hint" className={ui.hint}>
            {t("team.ownerOnlyHint")}
          </p>
        )}
      </div>
      <ErrorAlert error={formError} id="add-member-error" />
      <button type="submit" disabled={addMember.isPending} className={ui.primaryButton}>
        {addMember.isPending ? t("team.pending") : t("team.submit")}
      </button>
      <StatusLine message={added ? t("team.added", { email: added }) : null} />
    </form>
  );
}
