"use client";
import { useTranslations } from "next-intl";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { LeadState } from "@/lib/schemas/leads";

const TONE: Record<LeadState, BadgeTone> = { new: "blue", in_progress: "amber", done: "green", spam: "grey" };

/** Where the team is with a lead: new, in progress, done or spam. */
export function StateBadge({ state }: { state: LeadState }) {
  const t = useTranslations("leads.state");
  return (
    <Badge tone={TONE[state]} data-state={state}>
      {t(state)}
    </Badge>
  );
}
