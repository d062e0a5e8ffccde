"use client";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { useAddMember } from "@/hooks/use-site-settings";
import { ApiClientError } from "@/lib/api/api-client";
import type { Role } from "@/lib/schemas/auth";
import { createMemberSchema } from "@/lib/schemas/tenant";
import { apiErrorMessage } from "./api-error-message";
import { AlertLine } from "./alert-line";
import { fieldControl, primaryButton, statusText } from "./styles";
import { TextField } from "./text-field";

type FieldErrors = { email?: string; password?: string };

/** Creates an account in this site; only an owner may hand out the owner role. */
export function AddMemberForm({ callerRole }: { callerRole: Role }) {
  const t = useTranslations("site");
  const addMember = useAddMember();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>("member");
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const roles: Role[] = callerRole === "site_owner" ? ["member", "admin", "site_owner"] : ["member", "admin"];

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setAdded(null);
    setFormError(null);
    const parsed = createMemberSchema.safeParse({ email, password, role });
    if (!parsed.success) {
      const paths = new Set(parsed.error.issues.map((issue) => issue.path[0]));
      return setFieldErrors({
        email: paths.has("email") ? t("team.emailInvalid") : undefined,
        password: paths.has("password") ? t("team.passwordTooShort") : undefined,
      });
    }
    setFieldErrors({});
    try {
      const member = await addMember.mutateAsync(parsed.data);
      setAdded(member.email);
      setEmail("");
      setPassword("");
      setRole("member");
    } catch (caught) {
      if (caught instanceof ApiClientError && caught.code === "email_taken")
        return setFieldErrors({ email: t("team.emailTaken") });
      setFormError(apiErrorMessage(caught, t, { forbidden: t("team.ownerForbidden") }));
    }
  }

  return (
    <form
      onSubmit={onSubmit}
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
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          required
          error={fieldErrors.email}
        />
        <TextField
          id="member-password"
          label={t("team.password")}
          type="password"
          autoComplete="new-password"
          hint={t("team.passwordHint")}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          minLength={8}
          required
          error={fieldErrors.password}
        />
      </div>
      <div className="space-y-1 sm:max-w-xs">
        <label htmlFor="member-role" className="block text-sm font-medium text-slate-800">
          {t("team.role")}
        </label>
        <select
          id="member-role"
          value={role}
          onChange={(event) => setRole(event.target.value as Role)}
          aria-describedby={callerRole === "site_owner" ? undefined : "member-role-hint"}
          className={fieldControl}
        >
          {roles.map((option) => (
            <option key={option} value={option}>
              {t(`roles.${option}`)}
            </option>
          ))}
        </select>
        {callerRole === "site_owner" ? null : (
          <p id="member-role-hint" className="text-xs text-slate-600">
            {t("team.ownerOnlyHint")}
          </p>
        )}
      </div>
      <AlertLine message={formError} id="add-member-error" />
      <button type="submit" disabled={addMember.isPending} className={primaryButton}>
        {addMember.isPending ? t("team.pending") : t("team.submit")}
      </button>
      <div role="status">{added ? <p className={statusText}>{t("team.added", { email: added })}</p> : null}</div>
    </form>
  );
}
