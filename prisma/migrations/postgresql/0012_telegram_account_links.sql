-- Members link their own Telegram account (a one-time t.me link, like the chat connect
-- link), and a site may refuse button presses from Telegram users who are not linked.
ALTER TABLE "Tenant" ADD COLUMN "onlyMembersMayPress" BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE "TelegramAccountLink" (
    "tenantId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "telegramUserId" BIGINT NOT NULL,
    "username" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "linkedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TelegramAccountLink_pkey" PRIMARY KEY ("tenantId", "userId")
);
-- One member per Telegram account in a site; also how a press finds its member.
CREATE UNIQUE INDEX "TelegramAccountLink_tenantId_telegramUserId_key" ON "TelegramAccountLink"("tenantId", "telegramUserId");

CREATE TABLE "TelegramAccountLinkCode" (
    "codeHash" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TelegramAccountLinkCode_pkey" PRIMARY KEY ("codeHash")
);
CREATE INDEX "TelegramAccountLinkCode_tenantId_userId_idx" ON "TelegramAccountLinkCode"("tenantId", "userId");

ALTER TABLE "TelegramAccountLink" ADD CONSTRAINT "TelegramAccountLink_tenantId_userId_fkey" FOREIGN KEY ("tenantId", "userId") REFERENCES "Membership"("tenantId", "userId") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TelegramAccountLinkCode" ADD CONSTRAINT "TelegramAccountLinkCode_tenantId_userId_fkey" FOREIGN KEY ("tenantId", "userId") REFERENCES "Membership"("tenantId", "userId") ON DELETE CASCADE ON UPDATE CASCADE;
