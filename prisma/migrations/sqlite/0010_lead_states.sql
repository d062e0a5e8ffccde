-- Lead states (new, in_progress, done, spam), who took a lead, and every change with who
-- made it and from where. Leads stored before are new and taken by nobody.
ALTER TABLE "Lead" ADD COLUMN "state" TEXT NOT NULL DEFAULT 'new';
ALTER TABLE "Lead" ADD COLUMN "stateVersion" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Lead" ADD COLUMN "takenByUserId" TEXT CONSTRAINT "Lead_takenByUserId_fkey" REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Lead" ADD COLUMN "takenByTelegramUserId" BIGINT;
ALTER TABLE "Lead" ADD COLUMN "takenByTelegramUsername" TEXT;
ALTER TABLE "Lead" ADD COLUMN "takenByName" TEXT;
ALTER TABLE "Lead" ADD COLUMN "takenAt" DATETIME;

-- The inbox filtered by state, newest first, at a million leads per site (as 0006).
CREATE INDEX "Lead_tenantId_state_createdAt_id_idx" ON "Lead"("tenantId", "state", "createdAt", "id");
-- Deleting a user clears their name from leads without reading every lead.
CREATE INDEX "Lead_takenByUserId_idx" ON "Lead"("takenByUserId");

CREATE TABLE "LeadStateChange" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tenantId" TEXT NOT NULL,
    "leadId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "actorUserId" TEXT,
    "actorTelegramUserId" BIGINT,
    "actorTelegramUsername" TEXT,
    "actorName" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LeadStateChange_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LeadStateChange_actorUserId_fkey" FOREIGN KEY ("actorUserId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "LeadStateChange_leadId_version_key" ON "LeadStateChange"("leadId", "version");
-- The dashboard's time to take: a site's changes to in_progress over the last 30 days.
CREATE INDEX "LeadStateChange_tenantId_state_at_idx" ON "LeadStateChange"("tenantId", "state", "at");
CREATE INDEX "LeadStateChange_actorUserId_idx" ON "LeadStateChange"("actorUserId");
