import { SetupChecklist } from "@/components/setup-checklist";
import { SiteOverview } from "@/components/site-overview";
import { canManage, currentMember } from "@/lib/auth/current-member";

export default async function DashboardPage() {
  const member = await currentMember();
  return (
    <div className="space-y-6">
      {member && canManage(member.role) ? <SetupChecklist /> : null}
      <SiteOverview />
    </div>
  );
}
