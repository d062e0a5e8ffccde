-- A form's `_redirect` that was not allowed: the lead is kept and the owner is told.
ALTER TABLE "Lead" ADD COLUMN "refusedRedirect" TEXT;
-- For the owner's notice, which reads only the few leads that have one. Partial, so the
-- leads without one (nearly all) cost no index write; Prisma cannot declare this.
CREATE INDEX "Lead_refusedRedirect_tenantId_createdAt_idx" ON "Lead"("tenantId", "createdAt") WHERE "refusedRedirect" IS NOT NULL;
