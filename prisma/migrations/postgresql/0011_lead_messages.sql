-- Every Telegram message sent for a lead, so a change of its state can edit them all; the
-- message that carries the buttons is also the outbox of its edits (lib/leads/delivery/edit-writes.ts).
-- Notifications sent before have no record: their messages keep the text they were sent with.
CREATE TABLE "LeadMessage" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "leadId" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "botId" BIGINT NOT NULL,
    "chatId" BIGINT NOT NULL,
    "messageId" BIGINT NOT NULL,
    "part" INTEGER NOT NULL,
    "carriesKeyboard" BOOLEAN NOT NULL,
    "shownVersion" INTEGER,
    "wantedVersion" INTEGER NOT NULL,
    "editStatus" TEXT NOT NULL DEFAULT 'idle',
    "editAttempts" INTEGER NOT NULL DEFAULT 0,
    "editNextAttemptAt" TIMESTAMP(3),
    "editLeaseUntil" TIMESTAMP(3),
    "editClaimToken" TEXT,
    "editQueuedAt" TIMESTAMP(3),
    "editError" TEXT,
    "editReasonCode" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "LeadMessage_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "LeadMessage_leadId_idx" ON "LeadMessage"("leadId");
CREATE INDEX "LeadMessage_deliveryId_idx" ON "LeadMessage"("deliveryId");
-- The dispatcher's poll (edits due, whatever the site) and a site's lane (its edits due,
-- oldest request first): both read only the few rows that are not idle.
CREATE INDEX "LeadMessage_editStatus_editNextAttemptAt_idx" ON "LeadMessage"("editStatus", "editNextAttemptAt");
CREATE INDEX "LeadMessage_tenantId_editStatus_editQueuedAt_idx" ON "LeadMessage"("tenantId", "editStatus", "editQueuedAt");
ALTER TABLE "LeadMessage" ADD CONSTRAINT "LeadMessage_leadId_fkey" FOREIGN KEY ("leadId") REFERENCES "Lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "LeadMessage" ADD CONSTRAINT "LeadMessage_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "Delivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;
