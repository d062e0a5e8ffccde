"use client";
import { useTranslations } from "next-intl";
import type { DeliveryReasonCode } from "@/lib/schemas/leads";

/** Reasons that are Leadgram's own: said in the reader's language instead of the stored English. */
const OWN_REASONS = [
  "no_integration",
  "no_chat",
  "telegram_unavailable",
  "token_unreadable",
] as const satisfies DeliveryReasonCode[];
/** Refusals the owner can fix, with what to do about each. */
const HINTED = [
  "bot_blocked",
  "kicked",
  "chat_not_found",
  "user_deactivated",
  "token_revoked",
  "gave_up",
] as const satisfies DeliveryReasonCode[];

const isOneOf = <T extends string>(codes: readonly T[], code: string | null): code is T =>
  codes.some((known) => known === code);

/**
 * A delivery's reason, chosen by its code: Leadgram's own in the reader's language;
 * Telegram's as Telegram wrote it (it is what support will ask for), with a hint when
 * there is one.
 */
export function DeliveryReason({ code, description }: { code: DeliveryReasonCode | null; description: string }) {
  const t = useTranslations("leads.reasons");
  const hints = useTranslations("leads.telegramHints");
  if (isOneOf(OWN_REASONS, code)) return <>{t(code)}</>;
  return (
    <>
      {description}
      {isOneOf(HINTED, code) ? <span className="mt-0.5 block text-slate-700">{hints(code)}</span> : null}
    </>
  );
}
