import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { LeadDetailView } from "@/components/leads/lead-detail-view";
import { canManage, currentMember } from "@/lib/auth/current-member";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("leads");
  return { title: `${t("title")} · Leadgram` };
}

export default async function LeadPage({ params }: { params: Promise<{ leadId: string }> }) {
  const [{ leadId }, member] = await Promise.all([params, currentMember()]);
  return <LeadDetailView leadId={leadId} canManage={member ? canManage(member.role) : false} />;
}
