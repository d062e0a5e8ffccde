-- Old update_ids are forgotten by age (lib/telegram/webhook/prune-update-ids.ts): find them without a full scan.
CREATE INDEX "TelegramUpdate_receivedAt_idx" ON "TelegramUpdate"("receivedAt");
