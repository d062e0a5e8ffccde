import { LeadFigures } from "@/components/leads/lead-figures";
import { RefusedRedirectsNotice } from "@/components/leads/refused-redirects-notice";
import { SetupChecklist } from "@/components/setup-checklist";
import { SiteOverview } from "@/components/site-overview";
import { canManage, currentMember } from "@/lib/auth/current-member";

export default async function DashboardPage() {
  const member = await currentMember();
  const manager = member ? canManage(member.role) : false;
  return (
    <div className="space-y-6">
      <RefusedRedirectsNotice canManage={manager} />
      {manager ? <SetupChecklist /> : null}
      <LeadFigures />
      <SiteOverview />
    </div>
  );
}
