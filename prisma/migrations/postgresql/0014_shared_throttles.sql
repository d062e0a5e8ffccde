-- Throttle counters shared by every server on this database (lib/http/rate-limiter.ts,
-- rate-limiter-flexible's PostgreSQL store; the columns are the ones it reads and writes).
-- Named with a leading underscore: not a Prisma model, like the migrations table.
-- UNLOGGED: a counter is worth no WAL write; after a crash the table is emptied, which only
-- forgets the last minutes of counting.
CREATE UNLOGGED TABLE "_leadgram_throttle" (
    "key" TEXT NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,
    CONSTRAINT "_leadgram_throttle_pkey" PRIMARY KEY ("key")
);
-- The sweep of expired counters deletes by it.
CREATE INDEX "_leadgram_throttle_expire_idx" ON "_leadgram_throttle" ("expire");
