import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { LeadsInbox } from "@/components/leads/leads-inbox";
import { canManage, currentMember } from "@/lib/auth/current-member";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("leads");
  return { title: `${t("title")} · Leadgram` };
}

export default async function LeadsPage() {
  const member = await currentMember();
  const t = await getTranslations("leads");
  return (
    // The inbox reads ?status= on the client; the boundary keeps the rest of the page renderable meanwhile.
    <Suspense fallback={<p className="text-slate-600">{t("loading")}</p>}>
      <LeadsInbox canManage={member ? canManage(member.role) : false} />
    </Suspense>
  );
}
