import { redirect } from "next/navigation";
import { SignOutButton } from "@/components/sign-out-button";
import { SiteOverview } from "@/components/site-overview";
import { auth } from "@/lib/auth/next-auth";

export default async function DashboardPage() {
  const session = await auth();
  if (!session?.user) redirect("/sign-in");
  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between">
        <p className="text-sm text-slate-600">{session.user.email}</p>
        <SignOutButton />
      </div>
      <SiteOverview />
    </div>
  );
}
