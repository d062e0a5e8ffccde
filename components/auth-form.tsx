"use client";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ApiClientError, apiRequest } from "@/lib/api/api-client";
import { registerResponseSchema } from "@/lib/schemas/auth";
import { FormField } from "./form-field";

type Mode = "sign-in" | "sign-up";

function registrationError(error: unknown): string {
  if (error instanceof ApiClientError) {
    if (error.code === "email_taken") return "emailTaken";
    if (error.code === "signup_closed") return "signupDisabled";
    if (error.code === "validation_error") return error.displayMessage;
  }
  return "genericError";
}

/** Sign-up registers through the API, then both modes sign in with next-auth's credentials. */
export function AuthForm({ mode }: { mode: Mode }) {
  const t = useTranslations("auth");
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email"));
    const password = String(form.get("password"));
    setError(null);
    setPending(true);
    try {
      if (mode === "sign-up") {
        await apiRequest("POST", "/api/v1/auth/register", registerResponseSchema, {
          email,
          password,
          site_name: String(form.get("site_name")),
        });
      }
      const result = await signIn("credentials", { email, password, redirect: false });
      if (result?.error) {
        setError(result.code === "rate_limited" ? t("throttled") : t("invalidCredentials"));
        return;
      }
      router.push("/dashboard");
      router.refresh();
    } catch (caught) {
      const key = registrationError(caught);
      setError(key === "emailTaken" || key === "signupDisabled" || key === "genericError" ? t(key) : key);
    } finally {
      setPending(false);
    }
  }

  const isSignUp = mode === "sign-up";
  return (
    <form
      onSubmit={onSubmit}
      className="mx-auto max-w-sm space-y-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm"
      noValidate={false}
    >
      <h1 className="text-2xl font-semibold">{isSignUp ? t("signUpTitle") : t("signInTitle")}</h1>
      <FormField label={t("email")} name="email" type="email" autoComplete="email" required />
      <FormField
        label={t("password")}
        name="password"
        type="password"
        autoComplete={isSignUp ? "new-password" : "current-password"}
        minLength={isSignUp ? 8 : undefined}
        hint={isSignUp ? t("passwordHint") : undefined}
        required
      />
      {isSignUp ? (
        <FormField label={t("siteName")} name="site_name" type="text" autoComplete="organization" required />
      ) : null}
      {error ? (
        <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 disabled:opacity-60"
      >
        {pending ? t("pending") : isSignUp ? t("submitSignUp") : t("submitSignIn")}
      </button>
      <p className="text-center text-sm text-slate-600">
        {isSignUp ? t("haveAccount") : t("noAccount")}{" "}
        <Link href={isSignUp ? "/sign-in" : "/sign-up"} className="font-medium text-blue-700 underline">
          {isSignUp ? t("submitSignIn") : t("submitSignUp")}
        </Link>
      </p>
    </form>
  );
}
