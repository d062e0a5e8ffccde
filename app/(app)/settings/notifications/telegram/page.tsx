import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ManagersOnly } from "@/components/managers-only";
import { TelegramSettings } from "@/components/telegram/telegram-settings";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("telegram");
  return { title: `${t("pageTitle")} · Leadgram` };
}

export default function TelegramSettingsPage() {
  return (
    <ManagersOnly>
      <TelegramSettings />
    </ManagersOnly>
  );
}
