import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { AppNav } from "@/components/app-nav";
import { SignOutButton } from "@/components/sign-out-button";
import { canManage, currentMember } from "@/lib/auth/current-member";

/** Pages of a signed-in member: navigation by role, sign-out. */
export default async function SignedInLayout({ children }: { children: ReactNode }) {
  const member = await currentMember();
  if (!member) redirect("/sign-in");
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 pb-3">
        <AppNav canManage={canManage(member.role)} />
        <div className="flex items-center gap-3">
          <span className="hidden text-sm text-slate-600 sm:inline">
            {member.tenantName} · {member.email}
          </span>
          <SignOutButton />
        </div>
      </div>
      {children}
    </div>
  );
}
