"use client";
import { useTranslations } from "next-intl";
import { useMembers } from "@/hooks/use-site-settings";
import type { Role } from "@/lib/schemas/auth";
import { AddMemberForm } from "./add-member-form";
import { MemberList } from "./member-list";
import { QueryState } from "@/components/ui/query-state";
import { SettingsSection } from "./settings-section";

export function TeamSection({ callerRole, currentEmail }: { callerRole: Role; currentEmail: string }) {
  const t = useTranslations("site");
  const members = useMembers();
  return (
    <SettingsSection id="team" title={t("team.heading")} description={t("team.description")}>
      <QueryState query={members}>
        {(data) => <MemberList members={data} callerRole={callerRole} currentEmail={currentEmail} />}
      </QueryState>
      <AddMemberForm callerRole={callerRole} />
    </SettingsSection>
  );
}
