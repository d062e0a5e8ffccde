-- The chat that used a connect link, for the settings page to confirm which chat was bound.
ALTER TABLE "TelegramConnectCode" ADD COLUMN "usedByChatId" BIGINT;
