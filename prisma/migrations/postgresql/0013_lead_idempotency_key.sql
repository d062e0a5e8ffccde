-- A form's Idempotency-Key, stored with the lead it created: a retry of the submission
-- finds that lead instead of storing a second one.
ALTER TABLE "Lead" ADD COLUMN "idempotencyKey" TEXT;
-- One lead per key and site, so two simultaneous retries cannot both store: the second
-- insert is refused and answers the first's lead. Partial: leads without a key (all those
-- stored before, and every plain HTML form's) cost no index write. Prisma cannot declare it.
CREATE UNIQUE INDEX "Lead_tenantId_idempotencyKey_key" ON "Lead"("tenantId", "idempotencyKey") WHERE "idempotencyKey" IS NOT NULL;
