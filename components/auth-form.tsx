"use client";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { z } from "zod";
import { useDescribeError, type ShownError } from "@/components/ui/describe-error";
import { ErrorAlert } from "@/components/ui/error-alert";
import { ui } from "@/components/ui/styles";
import { TextField } from "@/components/ui/text-field";
import { fieldErrorText, showServerIssues, useZodForm } from "@/components/ui/use-zod-form";
import { apiRequest } from "@/lib/api/api-client";
import { registerRequestSchema, registerResponseSchema, signInSchema, type RegisterRequest } from "@/lib/schemas/auth";

type Mode = "sign-in" | "sign-up";

/** Sign-in asks for no site name; the two modes share one form. */
const signInFormSchema = signInSchema.extend({ site_name: z.string() });

/** Sign-up registers through the API, then both modes sign in with next-auth's credentials. */
export function AuthForm({ mode }: { mode: Mode }) {
  const t = useTranslations("auth");
  const router = useRouter();
  const describe = useDescribeError();
  const isSignUp = mode === "sign-up";
  const form = useZodForm<RegisterRequest, RegisterRequest>(isSignUp ? registerRequestSchema : signInFormSchema, {
    defaultValues: { email: "", password: "", site_name: "" },
  });
  const { errors, isSubmitting } = form.formState;
  const [error, setError] = useState<ShownError | string | null>(null);

  const onSubmit = form.handleSubmit(async ({ email, password, site_name }) => {
    setError(null);
    try {
      if (isSignUp) {
        await apiRequest("POST", "/api/v1/auth/register", registerResponseSchema, { email, password, site_name });
      }
    } catch (caught) {
      if (!showServerIssues(form, caught, ["email", "password", "site_name"])) {
        setError(describe(caught, { email_taken: t("emailTaken"), signup_closed: t("signupDisabled") }));
      }
      return;
    }
    const result = await signIn("credentials", { email, password, redirect: false });
    if (result?.error) return setError(result.code === "rate_limited" ? t("throttled") : t("invalidCredentials"));
    router.push("/dashboard");
    router.refresh();
  });

  return (
    <form
      onSubmit={(event) => void onSubmit(event)}
      className="mx-auto max-w-sm space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm"
    >
      <h1 className="text-2xl font-semibold">{isSignUp ? t("signUpTitle") : t("signInTitle")}</h1>
      <TextField
        id="email"
        label={t("email")}
        type="email"
        autoComplete="email"
        required
        error={fieldErrorText(errors.email, { default: t("emailInvalid") })}
        {...form.register("email")}
      />
      <TextField
        id="password"
        label={t("password")}
        type="password"
        autoComplete={isSignUp ? "new-password" : "current-password"}
        minLength={isSignUp ? 8 : undefined}
        hint={isSignUp ? t("passwordHint") : undefined}
        required
        error={fieldErrorText(errors.password, { default: t("passwordTooShort") })}
        {...form.register("password")}
      />
      {isSignUp ? (
        <TextField
          id="site_name"
          label={t("siteName")}
          type="text"
          autoComplete="organization"
          required
          error={fieldErrorText(errors.site_name, { default: t("siteNameRequired") })}
          {...form.register("site_name")}
        />
      ) : null}
      <ErrorAlert error={error} />
      <button type="submit" disabled={isSubmitting} className={`${ui.primaryButton} w-full`}>
        {isSubmitting ? t("pending") : isSignUp ? t("submitSignUp") : t("submitSignIn")}
      </button>
      <p className="text-center text-sm text-slate-600">
        {isSignUp ? t("haveAccount") : t("noAccount")}{" "}
        <Link href={isSignUp ? "/sign-in" : "/sign-up"} className={ui.link}>
          {isSignUp ? t("submitSignIn") : t("submitSignUp")}
        </Link>
      </p>
    </form>
  );
}
