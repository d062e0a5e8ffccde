-- A form's `_redirect` that was not allowed: the lead is kept and the owner is told.
ALTER TABLE "Lead" ADD COLUMN "refusedRedirect" TEXT;
CREATE INDEX "Lead_tenantId_refusedRedirect_createdAt_idx" ON "Lead"("tenantId", "refusedRedirect", "createdAt");
