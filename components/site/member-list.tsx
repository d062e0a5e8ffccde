"use client";
import { useTranslations } from "next-intl";
import { useRef, useState } from "react";
import type { MemberListItem } from "@/hooks/use-site-settings";
import type { Role } from "@/lib/schemas/auth";
import { MemberRow } from "./member-row";
import { StatusLine } from "@/components/ui/status-line";

/** Who is in the site's team, with role changes and removal for those allowed. */
export function MemberList({
  members,
  callerRole,
  currentEmail,
}: {
  members: MemberListItem[];
  callerRole: Role;
  currentEmail: string;
}) {
  const t = useTranslations("site");
  const [removed, setRemoved] = useState<string | null>(null);
  const listRef = useRef<HTMLDivElement>(null);
  if (members.length === 0) return <p className="text-sm text-slate-600">{t("team.empty")}</p>;
  const owners = members.filter((member) => member.role === "site_owner").length;

  function onRemoved(email: string) {
    setRemoved(email);
    // The pressed button left with its row; keep the keyboard user in this list.
    listRef.current?.focus();
  }

  return (
    <div ref={listRef} tabIndex={-1} className="space-y-2 focus:outline-none">
      <ul aria-label={t("team.listLabel")} className="divide-y divide-slate-200 rounded border border-slate-200">
        {members.map((member) => (
          <MemberRow
            key={member.user_id}
            member={member}
            callerRole={callerRole}
            isYou={member.email === currentEmail}
            isLastOwner={member.role === "site_owner" && owners === 1}
            onRemoved={onRemoved}
          />
        ))}
      </ul>
      <StatusLine message={removed ? t("team.removed", { email: removed }) : null} />
    </div>
  );
}
