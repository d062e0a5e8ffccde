-- Delivery lanes shared by every server on this database (lib/leads/delivery/lane-leases.ts):
-- one row per lane (a tenant's notifications, in order), held by one server at a time
-- under a lease by the database's clock. Each take of the lane raises "fencingToken", and
-- every claim and progress write of the lane's deliveries and edits must still find it.
-- Named with a leading underscore: not a Prisma model (SQLite has one server, whose lanes
-- are in its memory).
CREATE TABLE "_leadgram_delivery_lane" (
    "tenantId" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "leaseUntil" TIMESTAMP(3),
    "fencingToken" BIGINT NOT NULL,
    CONSTRAINT "_leadgram_delivery_lane_pkey" PRIMARY KEY ("tenantId"),
    CONSTRAINT "_leadgram_delivery_lane_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Each bot's next free send slot, shared by every server: Telegram's 30 messages a second
-- per bot (lib/leads/delivery/pacing.ts). UNLOGGED: after a crash the table is emptied,
-- which at worst lets one second's burst through early.
CREATE UNLOGGED TABLE "_leadgram_bot_pace" (
    "botId" BIGINT NOT NULL,
    "freeAt" TIMESTAMP(6) NOT NULL,
    CONSTRAINT "_leadgram_bot_pace_pkey" PRIMARY KEY ("botId")
);

-- A lane taken over reads its chat's recent sends from here, so the chat's pace survives.
CREATE INDEX "LeadMessage_botId_chatId_createdAt_idx" ON "LeadMessage"("botId", "chatId", "createdAt");
