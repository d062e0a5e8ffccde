"use client";
import { useTranslations } from "next-intl";
import { ChangePasswordForm } from "./change-password-form";
import { SettingsSection } from "./settings-section";
import { SignOutEverywhere } from "./sign-out-everywhere";
import { TelegramAccount } from "./telegram-account";

/** The signed-in user's own account, for every role: their Telegram, password and sessions. */
export function AccountSection({ email }: { email: string }) {
  const t = useTranslations("site");
  return (
    <SettingsSection id="account" title={t("account.heading")} description={t("account.description", { email })}>
      <TelegramAccount />
      <div className="border-t border-slate-200 pt-4">
        <ChangePasswordForm />
      </div>
      <div className="border-t border-slate-200 pt-4">
        <SignOutEverywhere />
      </div>
    </SettingsSection>
  );
}
