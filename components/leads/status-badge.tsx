"use client";
import { useTranslations } from "next-intl";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { DeliveryStatus } from "@/lib/schemas/leads";

const TONE: Record<DeliveryStatus, BadgeTone> = {
  pending: "slate",
  sent: "green",
  retrying: "amber",
  failed: "red",
  skipped: "grey",
};

/** A lead's delivery status. */
export function StatusBadge({ status }: { status: DeliveryStatus }) {
  const t = useTranslations("leads.status");
  return (
    <Badge tone={TONE[status]} data-status={status}>
      {t(status)}
    </Badge>
  );
}
