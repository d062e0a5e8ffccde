import { beforeAll, describe, expect, inject, it } from "vitest";
import { apiErrorCodeSchema, apiErrorSchema, type ApiErrorCode } from "@/lib/schemas/errors";
import { addMember, api, registerOwner, sandbox, type Account, type ApiResponse } from "../support/api-client";
import { sessionFor } from "../support/browser-session";
import { connectedBot, postUpdate, type ConnectedBot } from "../support/telegram-webhook";

// Every kind of /api/v1 refusal answers `{"detail": ..., "code": ...}`, and the UI chooses
// its text by the code alone: one request per code shows which answer carries it.

type Fixtures = { owner: Account; member: Account; cookie: string; bot: ConnectedBot };

const asResponse = async (response: Response): Promise<ApiResponse> => ({
  status: response.status,
  body: await response.json(),
  headers: response.headers,
});
const ZERO_ID = "00000000-0000-0000-0000-000000000000";

const requests: [ApiErrorCode, number, (f: Fixtures) => Promise<ApiResponse>][] = [
  ["bad_request", 400, (f) => api("GET", "/api/v1/leads?cursor=garbage", { token: f.owner.token })],
  ["malformed_path", 400, (f) => api("GET", "/api/v1/leads/%FF", { token: f.owner.token })],
  [
    "invalid_bot_token",
    400,
    (f) => api("POST", "/api/v1/telegram/integration", { token: f.owner.token, body: { bot_token: "123:abc" } }),
  ],
  [
    "wrong_password",
    400,
    (f) =>
      api("POST", "/api/v1/auth/password", {
        token: f.owner.token,
        body: { current_password: "not my password", new_password: "a new password 1" },
      }),
  ],
  [
    "webhook_url_invalid",
    400,
    (f) =>
      api("POST", "/api/v1/telegram/integration/webhook", {
        token: f.bot.owner.token,
        body: { webhook_url: "http://plain.example/x" },
      }),
  ],
  [
    "invalid_idempotency_key",
    400,
    (f) =>
      api("POST", `/api/v1/public/leads/${f.owner.siteKey}`, {
        body: { name: "Ivan" },
        headers: { "idempotency-key": "k".repeat(256) },
      }),
  ],
  ["not_authenticated", 401, () => api("GET", "/api/v1/tenant")],
  [
    "invalid_credentials",
    401,
    (f) => api("POST", "/api/v1/auth/token", { body: { email: f.owner.email, password: "wrong password" } }),
  ],
  [
    "invalid_webhook_secret",
    401,
    async (f) => asResponse(await postUpdate(f.bot.pathId, { update_id: 1 }, "not the secret")),
  ],
  ["forbidden", 403, (f) => api("PATCH", "/api/v1/tenant", { token: f.member.token, body: { name: "Mine now" } })],
  [
    "cross_site_request",
    403,
    async (f) =>
      asResponse(
        await fetch(`${inject("appUrl")}/api/v1/tenant`, {
          method: "PATCH",
          headers: { cookie: f.cookie, origin: "https://evil.example", "content-type": "application/json" },
          body: "{}",
        }),
      ),
  ],
  [
    "json_required",
    403,
    async (f) =>
      asResponse(
        await fetch(`${inject("appUrl")}/api/v1/tenant`, {
          method: "PATCH",
          headers: { cookie: f.cookie, origin: inject("appUrl"), "content-type": "text/plain" },
          body: "{}",
        }),
      ),
  ],
  [
    "origin_not_allowed",
    403,
    (f) =>
      api("POST", `/api/v1/public/leads/${f.owner.siteKey}`, {
        body: { name: "Ivan" },
        headers: { origin: "https://evil.example" },
      }),
  ],
  ["not_found", 404, (f) => api("GET", `/api/v1/leads/${ZERO_ID}`, { token: f.owner.token })],
  ["method_not_allowed", 405, (f) => api("PUT", "/api/v1/tenant", { token: f.owner.token })],
  [
    "email_taken",
    409,
    (f) =>
      api("POST", "/api/v1/auth/register", {
        body: { email: f.owner.email, password: "password123", site_name: "Twin" },
      }),
  ],
  [
    "bot_taken",
    409,
    (f) => api("POST", "/api/v1/telegram/integration", { token: f.owner.token, body: { bot_token: f.bot.bot.token } }),
  ],
  ["integration_missing", 409, (f) => api("POST", "/api/v1/auth/telegram-link", { token: f.member.token })],
  [
    "last_owner",
    409,
    (f) => api("PATCH", `/api/v1/tenant/members/${f.owner.userId}`, { token: f.owner.token, body: { role: "admin" } }),
  ],
  [
    "payload_too_large",
    413,
    (f) =>
      api("POST", "/api/v1/auth/token", {
        rawBody: JSON.stringify({ email: f.owner.email, password: "x".repeat(70_000) }),
        headers: { "content-type": "application/json" },
      }),
  ],
  [
    "unsupported_media_type",
    415,
    (f) =>
      api("POST", `/api/v1/public/leads/${f.owner.siteKey}`, {
        rawBody: "name=Ivan",
        headers: { "content-type": "text/plain" },
      }),
  ],
  ["validation_error", 422, () => api("POST", "/api/v1/auth/register", { body: {} })],
  [
    "rate_limited",
    429,
    async (f) => {
      const client = { "x-forwarded-for": "198.19.7.7" };
      for (let attempt = 0; attempt < 5; attempt += 1)
        await api("POST", "/api/v1/auth/token", {
          body: { email: f.member.email, password: `guess ${attempt}` },
          headers: client,
        });
      return api("POST", "/api/v1/auth/token", {
        body: { email: f.member.email, password: f.member.password },
        headers: client,
      });
    },
  ],
  [
    "telegram_unavailable",
    502,
    async (f) => {
      const bot = await sandbox().createBot({ username: `down_${Date.now()}_bot` });
      await sandbox().injectFault({ kind: "bad_gateway", method: "getMe", bot_id: bot.id });
      return api("POST", "/api/v1/telegram/integration", { token: f.owner.token, body: { bot_token: bot.token } });
    },
  ],
];

/**
 * Codes no request of a test can provoke on this server, each covered where it can be:
 * signup_closed needs ALLOW_SIGNUP=false, public_api_url_missing an unset PUBLIC_API_URL,
 * bot_username_missing a bot Telegram lists without a username, delivery_in_progress a resend
 * racing the worker, conflict a unique-index race, internal_error a bug.
 */
const UNREACHABLE: ApiErrorCode[] = [
  "signup_closed",
  "public_api_url_missing",
  "bot_username_missing",
  "delivery_in_progress",
  "conflict",
  "internal_error",
];

describe("error codes", () => {
  let fixtures: Fixtures;
  beforeAll(async () => {
    const owner = await registerOwner("Error codes");
    await api("PATCH", "/api/v1/tenant", { token: owner.token, body: { allowed_origins: ["https://shop.example"] } });
    fixtures = {
      owner,
      member: await addMember(owner, "member"),
      cookie: await sessionFor(owner),
      bot: await connectedBot(),
    };
  });

  it("has a request for every code but the ones no test request can provoke", () => {
    const tested = requests.map(([code]) => code);
    expect(new Set(tested).size).toBe(tested.length);
    expect([...tested, ...UNREACHABLE].sort()).toEqual([...apiErrorCodeSchema.options].sort());
  });

  it.each(requests)("answers %s with status %i and {detail, code}", async (code, status, request) => {
    const response = await request(fixtures);
    expect(response.status, JSON.stringify(response.body)).toBe(status);
    expect(Object.keys(response.body as object).sort()).toEqual(["code", "detail"]);
    expect(apiErrorSchema.parse(response.body).code).toBe(code);
  });
});
