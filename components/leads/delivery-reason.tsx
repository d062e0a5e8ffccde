"use client";
import { useTranslations } from "next-intl";
import { DELIVERY_REASONS } from "@/lib/schemas/leads";

const KEYS = Object.entries(DELIVERY_REASONS) as [keyof typeof DELIVERY_REASONS, string][];

/** Leadgram's own reasons in the reader's language; Telegram's descriptions as Telegram wrote them. */
export function DeliveryReason({ reason }: { reason: string }) {
  const t = useTranslations("leads.reasons");
  const known = KEYS.find(([, text]) => text === reason)?.[0];
  return <>{known ? t(known) : reason}</>;
}
