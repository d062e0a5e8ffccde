"use client";
import { useTranslations } from "next-intl";
import type { MemberListItem } from "@/hooks/use-site-settings";
import { useFormatDate } from "./use-format-date";

/** Who is in the site's team: email, role and since when. */
export function MemberList({ members, currentEmail }: { members: MemberListItem[]; currentEmail: string }) {
  const t = useTranslations("site");
  const date = useFormatDate();
  if (members.length === 0) return <p className="text-sm text-slate-600">{t("team.empty")}</p>;
  return (
    <ul aria-label={t("team.listLabel")} className="divide-y divide-slate-200 rounded border border-slate-200">
      {members.map((member) => (
        <li key={member.user_id} className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 px-3 py-2">
          <span className="min-w-0 break-all font-medium">
            {member.email}
            {member.email === currentEmail ? <span className="ml-1 font-normal text-slate-600">({t("team.you")})</span> : null}
          </span>
          <span className="flex flex-wrap items-baseline gap-2 text-sm">
            <span className="rounded bg-slate-100 px-2 py-0.5 font-medium text-slate-800">{t(`roles.${member.role}`)}</span>
            <span className="text-slate-600">{t("team.joined", { date: date.day(member.created_at) })}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}
