-- Long polling of bots without a webhook: the offset, the lease of the server polling each
-- bot, and why polling stopped (lib/telegram/polling/).
CREATE TABLE "TelegramPolling" (
    "integrationId" TEXT NOT NULL,
    "nextOffset" BIGINT NOT NULL DEFAULT 0,
    "holder" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "errorCode" TEXT,
    "errorMessage" TEXT,
    CONSTRAINT "TelegramPolling_pkey" PRIMARY KEY ("integrationId")
);
ALTER TABLE "TelegramPolling" ADD CONSTRAINT "TelegramPolling_integrationId_fkey" FOREIGN KEY ("integrationId") REFERENCES "TelegramIntegration"("id") ON DELETE CASCADE ON UPDATE CASCADE;
