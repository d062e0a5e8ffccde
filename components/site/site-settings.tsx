"use client";
import type { Role } from "@/lib/schemas/auth";
import { ApiTokensSection } from "./api-tokens-section";
import { EmbedSection } from "./embed-section";
import { OriginsSection } from "./origins-section";
import { SiteSection } from "./site-section";
import { TeamSection } from "./team-section";

/** The site settings page's sections, for a site_owner or admin. */
export function SiteSettings({ role, email }: { role: Role; email: string }) {
  return (
    <div className="space-y-6">
      <SiteSection />
      <OriginsSection />
      <EmbedSection />
      <TeamSection callerRole={role} currentEmail={email} />
      <ApiTokensSection />
    </div>
  );
}
