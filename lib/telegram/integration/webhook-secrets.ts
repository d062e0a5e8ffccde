import "server-only";
import { randomBytes } from "node:crypto";

/** The random id in the webhook URL: it names the integration without revealing the tenant. */
export const newWebhookPathId = () => randomBytes(18).toString("base64url");

/** secret_token for setWebhook: Telegram allows 1-256 characters of A-Za-z0-9_-. */
export const newWebhookSecret = () => randomBytes(32).toString("base64url");
