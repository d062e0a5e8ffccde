"use client";
import { useTranslations } from "next-intl";
import Link from "next/link";
import type { LeadDto } from "@/lib/schemas/leads";
import { LocalTime } from "@/components/ui/dates";
import { StateBadge } from "./state-badge";
import { StatusBadge } from "./status-badge";

const PREVIEW_LENGTH = 120;

function preview(message: string | null): string {
  if (!message) return "";
  const flat = message.replace(/\s+/g, " ").trim();
  return flat.length > PREVIEW_LENGTH ? `${flat.slice(0, PREVIEW_LENGTH).trimEnd()}…` : flat;
}

/**
 * One lead of the inbox: a table row on wide screens, a card on phones. The name links to
 * the lead, and that link covers the whole row so any part of it can be clicked.
 */
export function LeadRow({ lead }: { lead: LeadDto }) {
  const t = useTranslations("leads");
  return (
    <tr
      role="row"
      data-testid="lead-row"
      className="relative border-b border-slate-200 last:border-b-0 hover:bg-slate-50 max-sm:grid max-sm:grid-cols-[minmax(0,1fr)_auto] max-sm:gap-x-3 max-sm:gap-y-1 max-sm:rounded-lg max-sm:border max-sm:bg-white max-sm:p-3 max-sm:last:border-b"
    >
      <td
        role="cell"
        className="px-3 py-2 align-top text-sm whitespace-nowrap text-slate-600 max-sm:order-3 max-sm:col-span-2 max-sm:p-0"
      >
        <LocalTime iso={lead.created_at} />
      </td>
      <th
        role="rowheader"
        scope="row"
        className="px-3 py-2 text-left align-top font-medium sm:min-w-40 max-sm:order-1 max-sm:min-w-0 max-sm:p-0"
      >
        <Link
          href={`/leads/${encodeURIComponent(lead.id)}`}
          className="break-words text-blue-800 underline-offset-2 after:absolute after:inset-0 after:rounded-lg hover:underline focus-visible:outline-none focus-visible:after:outline-2 focus-visible:after:outline-blue-600"
        >
          {lead.name ?? <span className="italic">{t("noName")}</span>}
        </Link>
      </th>
      <td
        role="cell"
        className="px-3 py-2 align-top text-sm text-slate-800 sm:min-w-52 max-sm:order-4 max-sm:col-span-2 max-sm:p-0"
      >
        {lead.email ? <div className="[overflow-wrap:anywhere]">{lead.email}</div> : null}
        {lead.phone ? <div className="whitespace-nowrap">{lead.phone}</div> : null}
        {!lead.email && !lead.phone ? (
          <span aria-hidden="true" className="text-slate-400">
            —
          </span>
        ) : null}
      </td>
      <td
        role="cell"
        className="px-3 py-2 align-top text-sm text-slate-700 max-sm:order-5 max-sm:col-span-2 max-sm:p-0"
      >
        <p className="line-clamp-2 break-words">{preview(lead.message)}</p>
      </td>
      <td role="cell" className="px-3 py-2 align-top max-sm:order-2 max-sm:p-0">
        <StateBadge state={lead.state} />
      </td>
      <td role="cell" className="px-3 py-2 align-top max-sm:order-2 max-sm:p-0">
        <StatusBadge status={lead.delivery.status} />
      </td>
    </tr>
  );
}
