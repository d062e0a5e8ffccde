-- Session revocation: each session cookie carries the user's sessionVersion from sign-in;
-- a password change or "sign out everywhere" raises it and so ends the older sessions.
ALTER TABLE "User" ADD COLUMN "sessionVersion" INTEGER NOT NULL DEFAULT 0;
