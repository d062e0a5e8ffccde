import { SiteOverview } from "@/components/site-overview";

export default function DashboardPage() {
  return <SiteOverview />;
}
