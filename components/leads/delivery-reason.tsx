"use client";
import { useTranslations } from "next-intl";
import { DELIVERY_REASONS } from "@/lib/schemas/leads";

const KEYS = Object.entries(DELIVERY_REASONS) as [keyof typeof DELIVERY_REASONS, string][];

/**
 * Telegram's refusals that the owner can fix, and what to do about each. Telegram's own
 * words stay visible (they are what support will ask for); the hint says it in the
 * reader's language.
 */
const TELEGRAM_HINTS: [RegExp, "blocked" | "kicked" | "chatNotFound" | "deactivated" | "tokenRevoked"][] = [
  [/^Forbidden: bot was blocked by the user$/, "blocked"],
  [/^Forbidden: bot was kicked from the (super)?group chat$/, "kicked"],
  [/^Bad Request: chat not found$/, "chatNotFound"],
  [/^Forbidden: user is deactivated$/, "deactivated"],
  [/^Unauthorized/, "tokenRevoked"],
];

/** Leadgram's own reasons in the reader's language; Telegram's as Telegram wrote them, with a hint when there is one. */
export function DeliveryReason({ reason }: { reason: string }) {
  const t = useTranslations("leads.reasons");
  const hints = useTranslations("leads.telegramHints");
  const known = KEYS.find(([, text]) => text === reason)?.[0];
  if (known) return <>{t(known)}</>;
  const hint = TELEGRAM_HINTS.find(([pattern]) => pattern.test(reason))?.[1];
  return (
    <>
      {reason}
      {hint ? <span className="mt-0.5 block text-slate-700">{hints(hint)}</span> : null}
    </>
  );
}
