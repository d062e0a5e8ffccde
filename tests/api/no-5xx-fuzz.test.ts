import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { apiErrorSchema } from "@/lib/schemas/errors";
import {
  addMember,
  api,
  newBotWithChat,
  registerOwner,
  uniqueClientIp,
  uniqueEmail,
  type Account,
} from "../support/api-client";
import { sessionFor } from "../support/browser-session";

// ---------------------------------------------------------------------------------------
// "No 5xx from anything a client sends": generated requests against every route, on the
// database this project runs on. A route may refuse (4xx) but never fail (5xx); every
// refusal of an /api/v1 route is `{"detail": ..., "code": ...}` JSON (the lead route may answer a
// plain HTML form with an HTML page). The seed is fixed so a run is repeatable (FUZZ_SEED
// explores others); on a failure fast-check prints the seed, the path and the shrunk request.

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_130);
const RUNS = Number(process.env.FUZZ_RUNS ?? 50);
const TIMEOUT_MS = 120_000;

// ---------------------------------------------------------------------------------------
// JSON text built by hand, so numbers JSON.stringify cannot write (1e400, -0, 2**63, long
// digit strings) and deep nesting reach the server as a client would send them.

type Json = { raw: string } | { str: string } | Json[] | { obj: [string, Json][] };

function jsonText(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(jsonText).join(",")}]`;
  if ("raw" in value) return value.raw;
  if ("str" in value) return JSON.stringify(value.str);
  return `{${value.obj.map(([key, item]) => `${JSON.stringify(key)}:${jsonText(item)}`).join(",")}}`;
}

const insertAtMiddle = (text: string, inserted: string) =>
  text.slice(0, text.length >> 1) + inserted + text.slice(text.length >> 1);

const weirdString = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "a\u0000b",
    "\ud800",
    "x\udfffy",
    "\ud83d",
    "__proto__",
    "constructor",
    "toString",
    "null",
    "1e400",
    "NaN",
    "<script>alert(1)</script>",
    `'; DROP TABLE "Lead"; --`,
    "%00",
    "\u202e\ufeff",
    "=cmd|' /C calc'!A0",
    "\r\n",
    "x".repeat(20_001),
    "я".repeat(5_000),
    "owner@example.com\u0000",
    "\u0000@example.com",
    "https://evil.example/thanks",
    "javascript:alert(1)",
  ),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc
    .tuple(fc.string({ maxLength: 20 }), fc.constantFrom("\u0000", "\ud800", "\udc00", "\u0000\ud800"))
    .map(([text, odd]) => insertAtMiddle(text, odd)),
);

const weirdNumber = fc.oneof(
  fc.constantFrom(
    "1e400",
    "-1e400",
    "-0",
    "0",
    "1e-400",
    "9223372036854775808",
    "-9223372036854775809",
    "9007199254740993",
    "4294967296",
    "2147483648",
    "-1",
    "1.5",
  ),
  fc.constantFrom(
    "123456789012345678901234567890123456789012345678901234567890",
    "0.000000000000000000000000000000000000001",
  ),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
);

const weirdKey = fc.oneof(
  fc.constantFrom(
    "__proto__",
    "constructor",
    "prototype",
    "toString",
    "hasOwnProperty",
    "",
    "\u0000",
    "\ud800",
    "a".repeat(200),
  ),
  weirdString,
);

const DEEP = [`${"[".repeat(10_000)}${"]".repeat(10_000)}`, `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`];

const { weirdValue } = fc.letrec<{ weirdValue: Json; leaf: Json }>((tie) => ({
  leaf: fc.oneof(
    weirdString.map((str) => ({ str })),
    weirdNumber.map((raw) => ({ raw })),
    fc.constantFrom(
      { raw: "true" },
      { raw: "false" },
      { raw: "null" },
      { raw: DEEP[0] as string },
      { raw: DEEP[1] as string },
    ),
  ),
  weirdValue: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    tie("leaf"),
    fc.array(tie("weirdValue"), { maxLength: 4 }),
    fc.array(fc.tuple(weirdKey, tie("weirdValue")), { maxLength: 4 }).map((obj) => ({ obj })),
  ),
}));

/** A field as the route expects it (mostly), or something else, or absent. */
type Template = Record<string, fc.Arbitrary<Json>>;

const str = (arb: fc.Arbitrary<string>) => arb.map((value): Json => ({ str: value }));
const int = (arb: fc.Arbitrary<number>) => arb.map((value): Json => ({ raw: String(value) }));
const obj = (template: Template) => templateBody(template);

function templateBody(template: Template): fc.Arbitrary<Json> {
  const fields = Object.entries(template).map(([key, valid]) =>
    fc.oneof(
      { arbitrary: valid.map((value) => [[key, value]] as [string, Json][]), weight: 4 },
      { arbitrary: weirdValue.map((value) => [[key, value]] as [string, Json][]), weight: 2 },
      { arbitrary: fc.constant([] as [string, Json][]), weight: 1 },
    ),
  );
  const extras = fc.array(fc.tuple(weirdKey, weirdValue), { maxLength: 2 });
  return fc.tuple(fc.tuple(...fields), extras).map(([chosen, extra]) => ({ obj: [...chosen.flat(), ...extra] }));
}

/** The body as one of the route's templates, or any JSON at all (arrays where objects belong). */
const jsonBody = (template: Template) =>
  fc.oneof({ arbitrary: templateBody(template), weight: 5 }, { arbitrary: weirdValue, weight: 1 });

// ---------------------------------------------------------------------------------------
// Bodies on the wire: JSON under right and wrong content types, invalid UTF-8, forms,
// broken multipart, nothing at all.

type Body = { contentType: string | null; bytes: number[] };

const utf8 = (text: string) => [...Buffer.from(text, "utf8")];

function flatFields(value: Json): [string, string][] {
  if (!Array.isArray(value) && "obj" in value)
    return value.obj.map(([key, item]) => [
      key,
      Array.isArray(item) || "obj" in item ? jsonText(item) : "str" in item ? item.str : item.raw,
    ]);
  return [["value", jsonText(value)]];
}

function multipart(fields: [string, string][], boundary: string): number[] {
  const parts = fields.map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return utf8(`${parts.join("")}--${boundary}--\r\n`);
}

function wireBody(template: Template): fc.Arbitrary<Body> {
  const json = jsonBody(template);
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(json, fc.constantFrom("application/json", "application/json; charset=utf-8", "APPLICATION/JSON"))
        .map(([value, contentType]) => ({ contentType, bytes: utf8(jsonText(value)) })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          json,
          fc.constantFrom(
            "text/plain",
            "text/plain;charset=UTF-8",
            null,
            "application/x-json",
            "application/json; charset=latin1",
          ),
        )
        .map(([value, contentType]) => ({ contentType, bytes: utf8(jsonText(value)) })),
    },
    {
      weight: 1,
      // Invalid UTF-8: a stray continuation byte, a truncated sequence, an encoded surrogate, a raw NUL.
      arbitrary: fc
        .tuple(json, fc.constantFrom([0xff], [0xc3], [0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x00]))
        .map(([value, bad]) => {
          const bytes = utf8(jsonText(value));
          const at = Math.max(0, bytes.findIndex((byte) => byte === 0x22) + 1);
          return { contentType: "application/json", bytes: [...bytes.slice(0, at), ...bad, ...bytes.slice(at)] };
        }),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          templateBody(template),
          fc.constantFrom("application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-8"),
        )
        .map(([value, contentType]) => ({
          contentType,
          bytes: utf8(
            flatFields(value)
              .map(([key, item]) => `${safeEncode(key)}=${safeEncode(item)}`)
              .join("&"),
          ),
        })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom("%ZZ=%FF&%00=%ED%A0%80&a&=&&b==c", "name=%C3%28&email=%E2%82", "name=a%00b&message=%00")
        .map((text) => ({ contentType: "application/x-www-form-urlencoded", bytes: utf8(text) })),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(templateBody(template), fc.constantFrom("b0undary", "x")).map(([value, boundary]) => ({
        contentType: `multipart/form-data; boundary=${boundary}`,
        bytes: multipart(flatFields(value), boundary),
      })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Body>(
        { contentType: "multipart/form-data", bytes: utf8("--x\r\n\r\n") },
        { contentType: "multipart/form-data; boundary=other", bytes: multipart([["name", "a"]], "x") },
        {
          contentType: "multipart/form-data; boundary=x",
          bytes: utf8(
            '--x\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n\r\n\u0000\u0001\r\n--x--\r\n',
          ),
        },
        {
          contentType: "multipart/form-data; boundary=x",
          bytes: utf8("--x\r\nContent-Disposition: form-data\r\n\r\nno name\r\n"),
        },
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          "application/json",
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          null,
          "",
        )
        .map((contentType) => ({ contentType, bytes: [] })),
    },
  );
}

/** encodeURIComponent, except that a lone surrogate is sent as its (invalid) UTF-8 bytes' escapes. */
function safeEncode(text: string): string {
  return [...text]
    .map((char) =>
      /[\ud800-\udfff]/.test(char) && char.length === 1
        ? `%ED%${(0xa0 + ((char.charCodeAt(0) >> 6) & 0x1f)).toString(16).toUpperCase()}%80`
        : encodeURIComponent(char),
    )
    .join("");
}

// ---------------------------------------------------------------------------------------
// Path parameters and query strings.

const weirdSegment = fc.oneof(
  fc.constantFrom(
    "%00",
    "a%00b",
    "%ZZ",
    "%",
    "%ED%A0%80",
    "%F0%9F%98%80",
    "%FF",
    "x".repeat(5_000),
    "0",
    "-1",
    "null",
    "__proto__",
    "constructor",
    "..%2F..%2Fetc",
    "%2e%2e",
    "00000000-0000-0000-0000-000000000000",
    "%27%20OR%201%3D1--",
    "%20",
    "%0A",
    "1e400",
  ),
  fc.uuid(),
  fc.string({ maxLength: 60 }).map(encodeURIComponent),
);

const weirdQueryValue = fc.oneof(
  fc.constantFrom(
    "",
    "0",
    "-1",
    "1e400",
    "101",
    "1.5",
    "abc",
    "9999999999999999999999",
    "%00",
    "%ZZ",
    "%ED%A0%80",
    "pending",
    "SENT",
    "sent%00",
    "in_progress",
    "spam",
  ),
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
);

const base64url = (text: string) => Buffer.from(text).toString("base64url");
const weirdCursor = fc.oneof(
  fc.constantFrom(
    base64url("1700000000000|\u0000"),
    base64url("1700000000000|a\u0000b"),
    base64url("99999999999999999999|x"),
    base64url("-8.64e15|x"),
    base64url("1e400|x"),
    base64url("|"),
    "%00",
    "!!!",
    "x".repeat(300),
  ),
  fc
    .tuple(fc.integer(), fc.string({ unit: "binary", maxLength: 20 }))
    .map(([millis, id]) => base64url(`${millis}|${id}`)),
  weirdQueryValue,
);

const leadListQuery = fc
  .record(
    { limit: weirdQueryValue, cursor: weirdCursor, status: weirdQueryValue, state: weirdQueryValue },
    { requiredKeys: [] },
  )
  .map(
    (query) =>
      `?${Object.entries(query)
        .map(([key, value]) => `${key}=${value}`)
        .join("&")}`,
  );
const anyQuery = fc.oneof(
  { arbitrary: fc.constant(""), weight: 3 },
  {
    arbitrary: fc
      .array(fc.tuple(weirdSegment, weirdQueryValue), { maxLength: 3 })
      .map((pairs) => `?${pairs.map(([key, value]) => `${key}=${value}`).join("&")}`),
    weight: 1,
  },
);

// ---------------------------------------------------------------------------------------
// The routes and who calls them.

type Fixtures = {
  owner: Account;
  cookie: string;
  /** A member the member routes may change or remove without touching the owner. */
  memberId: string;
  /** A user whose password and sessions the session routes may change, so the owner's stay valid. */
  spare: Account & { cookie: string };
  leadId: string;
  tokenId: string;
  linkId: string;
  leadSiteKey: string;
  bot: { token: string };
  webhook: { pathId: string; secret: string };
  credentialsCsrf: { token: string; cookie: string };
};

type Caller = "bearer" | "cookie" | "anonymous";
type Kind = "api" | "lead-intake" | "next-auth" | "page";

type Route = {
  name: string;
  method: string;
  kind: Kind;
  /** Routes behind withTenant: called with a bearer token, the session cookie, or neither. */
  authenticated: boolean;
  /** Whose token and cookie an authenticated request carries (the owner's unless said). */
  caller?: "spare";
  path: (f: Fixtures) => fc.Arbitrary<string>;
  body?: (f: Fixtures) => Template;
  headers?: (f: Fixtures) => fc.Arbitrary<Record<string, string>>;
};

const fixed = (value: string) => () => fc.constant(value);
/** A path with an id: mostly a real one (so the handler goes further), or anything. */
const withId = (prefix: string, suffix: string, realId: (f: Fixtures) => string) => (f: Fixtures) =>
  fc
    .oneof({ arbitrary: fc.constant(realId(f)), weight: 1 }, { arbitrary: weirdSegment, weight: 3 })
    .map((id) => `${prefix}${id}${suffix}`);

const email = fc.oneof(
  fc.constant(null).map(() => uniqueEmail("fuzz")),
  weirdString,
);
const password = fc.constantFrom("correct horse battery", "short", "\u0000".repeat(8), "p\ud800ssword1");
const chatId = fc.oneof(fc.integer(), fc.constantFrom(Number.MAX_SAFE_INTEGER, -1_001_234_567_890));

const leadFields: Template = {
  name: str(fc.oneof(fc.constant("Иван"), weirdString)),
  email: str(fc.oneof(fc.constant("ivan@example.com"), weirdString)),
  phone: str(fc.oneof(fc.constant("+7 900 000-00-00"), weirdString)),
  company: str(weirdString),
  message: str(fc.oneof(fc.constant("Перезвоните"), weirdString)),
  utm_source: str(weirdString),
  page: str(weirdString),
  device: str(weirdString),
  custom_field: str(weirdString),
};

const update = (f: Fixtures): Template => {
  const chat = obj({
    id: int(chatId),
    type: str(fc.constantFrom("private", "group", "supergroup")),
    title: str(weirdString),
    username: str(weirdString),
    first_name: str(weirdString),
    last_name: str(weirdString),
  });
  return {
    update_id: int(fc.nat()),
    message: obj({
      chat,
      text: str(fc.oneof(fc.constantFrom("/start", "/start c_abc", "/start@bot x"), weirdString)),
      migrate_to_chat_id: int(chatId),
    }),
    my_chat_member: obj({ chat, new_chat_member: obj({ status: str(weirdString) }) }),
    bot_token_echo: str(fc.constant(f.bot.token.slice(0, 3))),
  };
};

/** Every page of app/, as the guard below names it. */
const PAGES = [
  "/",
  "/sign-in",
  "/sign-up",
  "/thanks",
  "/dashboard",
  "/leads",
  "/leads/<id>",
  "/settings/site",
  "/settings/notifications/telegram",
  "/demo/<site key>",
];

const ROUTES: Route[] = [
  {
    name: "POST /api/v1/auth/register",
    method: "POST",
    kind: "api",
    authenticated: false,
    path: fixed("/api/v1/auth/register"),
    body: () => ({
      email: str(email),
      password: str(password),
      site_name: str(fc.oneof(fc.constant("Fuzz site"), weirdString)),
    }),
  },
  {
    name: "POST /api/v1/auth/token",
    method: "POST",
    kind: "api",
    authenticated: false,
    path: fixed("/api/v1/auth/token"),
    body: (f) => ({ email: str(fc.oneof(fc.constant(f.owner.email), weirdString)), password: str(password) }),
  },
  {
    name: "GET /api/v1/leads/refused-redirects",
    method: "GET",
    kind: "api",
    authenticated: true,
    path: () => anyQuery.map((query) => `/api/v1/leads/refused-redirects${query}`),
  },
  // The spare user's, not the owner's: a changed password or "sign out everywhere" ends sessions.
  {
    name: "POST /api/v1/auth/password",
    method: "POST",
    kind: "api",
    authenticated: true,
    caller: "spare",
    path: fixed("/api/v1/auth/password"),
    // Mostly right, so some changes go through and the next requests get past the password check.
    body: (f) => ({
      current_password: str(
        fc.oneof({ arbitrary: fc.constant(null).map(() => f.spare.password), weight: 4 }, password, weirdString),
      ),
      new_password: str(fc.oneof({ arbitrary: fc.constant("another password 2"), weight: 4 }, password, weirdString)),
    }),
  },
  {
    name: "POST /api/v1/auth/sign-out-everywhere",
    method: "POST",
    kind: "api",
    authenticated: true,
    caller: "spare",
    path: fixed("/api/v1/auth/sign-out-everywhere"),
    body: () => ({ a: str(weirdString) }),
  },
  {
    name: "POST /api/v1/auth/telegram-link",
    method: "POST",
    kind: "api",
    authenticated: true,
    path: fixed("/api/v1/auth/telegram-link"),
    body: () => ({ a: str(weirdString) }),
  },
  {
    name: "GET /api/v1/auth/telegram-link",
    method: "GET",
    kind: "api",
    authenticated: true,
    path: () => anyQuery.map((query) => `/api/v1/auth/telegram-link${query}`),
  },
  {
    name: "DELETE /api/v1/auth/telegram-link",
    method: "DELETE",
    kind: "api",
    authenticated: true,
    path: fixed("/api/v1/auth/telegram-link"),
  },
  {
    name: "GET /api/v1/health",
    method: "GET",
    kind: "api",
    authenticated: false,
    path: () => anyQuery.map((query) => `/api/v1/health${query}`),
  },
  { name: "GET /api/v1/tenant", method: "GET", kind: "api", authenticated: true, path: fixed("/api/v1/tenant") },
  {
    name: "PATCH /api/v1/tenant",
    method: "PATCH",
    kind: "api",
    authenticated: true,
    path: fixed("/api/v1/tenant"),
    body: () => ({
      name: str(fc.oneof(fc.constant("Renamed"), weirdString)),
      allowed_origins: fc.array(str(fc.oneof(fc.constant("https://shop.example"), weirdString)), { maxLength: 3 }),
      only_members_may_press: fc.constantFrom<Json>({ raw: "true" }, { raw: "false" }),
    }),
  },
  {
    name: "GET /api/v1/tenant/members",
    method: "GET",
    kind: "api",
    authenticated: true,
    path: fixed("/api/v1/tenant/members"),
  },
  {
    name: "POST /api/v1/tenant/members",
    method: "POST",
    kind: "api",
    authenticated: true,
    path: fixed("/api/v1/tenant/members"),
    body: () => ({
      email: str(email),
      password: str(password),
      role: str(fc.oneof(fc.constantFrom("member", "admin", "site_owner"), weirdString)),
    }),
  },
  {
    name: "PATCH /api/v1/tenant/members/<id>",
    method: "PATCH",
    kind: "api",
    authenticated: true,
    path: withId("/api/v1/tenant/members/", "", (f) => f.memberId),
    body: () => ({ role: str(fc.oneof(fc.constantFrom("member", "admin", "site_owner"), weirdString)) }),
  },
  {
    name: "DELETE /api/v1/tenant/members/<id>",
    method: "DELETE",
    kind: "api",
    authenticated: true,
    path: withId("/api/v1/tenant/members/", "", (f) => f.memberId),
  },
  { name: "GET /api/v1/tokens", method: "GET", kind: "api", authenticated: true, path: fixed("/api/v1/tokens") },
  {
    name: "POST /api/v1/tokens",
    method: "POST",
    kind: "api",
    authenticated: true,
    path: fixed("/api/v1/tokens"),
    body: () => ({ name: str(fc.oneof(fc.constant("CI"), weirdString)) }),
  },
  {
    name: "DELETE /api/v1/tokens/<id>",
    method: "DELETE",
    kind: "api",
    authenticated: true,
    path: withId("/api/v1/tokens/", "", (f) => f.tokenId),
  },
  {
    name: "GET /api/v1/leads",
    method: "GET",
    kind: "api",
    authenticated: true,
    path: () => leadListQuery.map((query) => `/api/v1/leads${query}`),
  },
  {
    name: "GET /api/v1/leads/<id>",
    method: "GET",
    kind: "api",
    authenticated: true,
    path: withId("/api/v1/leads/", "", (f) => f.leadId),
  },
  {
    name: "PATCH /api/v1/leads/<id>",
    method: "PATCH",
    kind: "api",
    authenticated: true,
    path: withId("/api/v1/leads/", "", (f) => f.leadId),
    body: () => ({ state: str(fc.oneof(fc.constantFrom("new", "in_progress", "done", "spam"), weirdString)) }),
  },
  {
    name: "GET /api/v1/leads/stats",
    method: "GET",
    kind: "api",
    authenticated: true,
    path: () => anyQuery.map((query) => `/api/v1/leads/stats${query}`),
  },
  {
    name: "POST /api/v1/leads/<id>/resend",
    method: "POST",
    kind: "api",
    authenticated: true,
    path: withId("/api/v1/leads/", "/resend", (f) => f.leadId),
  },
  {
    name: "GET /api/v1/leads/export.csv",
    method: "GET",
    kind: "api",
    authenticated: true,
    path: () => anyQuery.map((query) => `/api/v1/leads/export.csv${query}`),
  },
  {
    name: "GET /api/v1/telegram/integration",
    method: "GET",
    kind: "api",
    authenticated: true,
    path: fixed("/api/v1/telegram/integration"),
  },
  {
    name: "POST /api/v1/telegram/integration",
    method: "POST",
    kind: "api",
    authenticated: true,
    path: fixed("/api/v1/telegram/integration"),
    body: (f) => ({
      bot_token: str(
        fc.oneof(
          fc.constant(f.bot.token),
          fc.constantFrom("123:abc", "123456:AAAA%00", `${f.bot.token}\u0000`),
          weirdString,
        ),
      ),
      owner_chat_id: int(chatId),
      welcome_message: str(weirdString),
    }),
  },
  {
    name: "PATCH /api/v1/telegram/integration",
    method: "PATCH",
    kind: "api",
    authenticated: true,
    path: fixed("/api/v1/telegram/integration"),
    body: () => ({
      owner_chat_id: int(chatId),
      is_active: fc.constantFrom<Json>({ raw: "true" }, { raw: "false" }),
      welcome_message: str(fc.oneof(fc.constant("Привет"), weirdString)),
    }),
  },
  {
    name: "POST /api/v1/telegram/integration/test",
    method: "POST",
    kind: "api",
    authenticated: true,
    path: fixed("/api/v1/telegram/integration/test"),
    body: () => ({ chat_id: int(chatId) }),
  },
  {
    name: "GET /api/v1/telegram/integration/webhook-url",
    method: "GET",
    kind: "api",
    authenticated: true,
    path: fixed("/api/v1/telegram/integration/webhook-url"),
  },
  {
    name: "POST /api/v1/telegram/integration/webhook",
    method: "POST",
    kind: "api",
    authenticated: true,
    path: fixed("/api/v1/telegram/integration/webhook"),
    body: () => ({
      webhook_url: str(fc.oneof(fc.constant("https://leadgram.example/api/v1/telegram/webhook/x"), weirdString)),
    }),
  },
  {
    name: "GET /api/v1/telegram/integration/chats",
    method: "GET",
    kind: "api",
    authenticated: true,
    path: fixed("/api/v1/telegram/integration/chats"),
  },
  {
    name: "POST /api/v1/telegram/integration/connect-link",
    method: "POST",
    kind: "api",
    authenticated: true,
    path: fixed("/api/v1/telegram/integration/connect-link"),
  },
  {
    name: "GET /api/v1/telegram/integration/connect-link/<id>",
    method: "GET",
    kind: "api",
    authenticated: true,
    path: withId("/api/v1/telegram/integration/connect-link/", "", (f) => f.linkId),
  },
  {
    name: "POST /api/v1/telegram/webhook/<path id>",
    method: "POST",
    kind: "api",
    authenticated: false,
    path: withId("/api/v1/telegram/webhook/", "", (f) => f.webhook.pathId),
    body: update,
    headers: (f) =>
      fc.oneof(
        { arbitrary: fc.constant({ "x-telegram-bot-api-secret-token": f.webhook.secret }), weight: 4 },
        {
          arbitrary: fc.constantFrom<Record<string, string>>({}, { "x-telegram-bot-api-secret-token": "wrong" }),
          weight: 1,
        },
      ),
  },
  {
    name: "POST /api/v1/public/leads/<site key>",
    method: "POST",
    kind: "lead-intake",
    authenticated: false,
    path: withId("/api/v1/public/leads/", "", (f) => f.leadSiteKey),
    body: () => ({
      ...leadFields,
      _redirect: str(fc.oneof(fc.constant("https://shop.example/thanks"), weirdString)),
      _gotcha: str(fc.constant("")),
    }),
    headers: () =>
      fc.record(
        {
          accept: fc.constantFrom("application/json", "text/html,application/xhtml+xml", "*/*"),
          origin: fc.constantFrom("https://shop.example", "null", "https://evil.example"),
          // A few fixed keys, so retries of one submission (with other bodies) come up too.
          "idempotency-key": fc.oneof(
            fc.constantFrom("retry-1", "retry-2", "", " ", "k".repeat(256), '"quoted"'),
            fc.uuid(),
            headerText,
          ),
        },
        { requiredKeys: [] },
      ),
  },
  {
    name: "OPTIONS /api/v1/public/leads/<site key>",
    method: "OPTIONS",
    kind: "lead-intake",
    authenticated: false,
    path: withId("/api/v1/public/leads/", "", (f) => f.leadSiteKey),
    headers: () =>
      fc.record(
        {
          origin: fc.constantFrom("https://shop.example", "null", "https://evil.example"),
          "access-control-request-method": fc.constantFrom("POST", "DELETE"),
        },
        { requiredKeys: [] },
      ),
  },
  {
    name: "GET /api/v1/<unknown>",
    method: "GET",
    kind: "api",
    authenticated: false,
    path: () =>
      fc.oneof(
        fc.constantFrom("/api/v1", "/api/v1/"),
        weirdSegment.map((segment) => `/api/v1/${segment}`),
      ),
  },
  ...["POST", "PUT", "PATCH", "DELETE", "OPTIONS"].map((method): Route => ({
    name: `${method} /api/v1/<unknown>`,
    method,
    kind: "api",
    authenticated: false,
    path: () => weirdSegment.map((segment) => `/api/v1/${segment}/x`),
    body: () => ({ a: str(weirdString) }),
  })),
  // Methods no route handler knows: the server refuses them before Next's empty 400.
  ...["PROPFIND", "QUERY", "LOCK"].map((method): Route => ({
    name: `${method} /api/v1/*`,
    method,
    kind: "api",
    authenticated: true,
    path: (f) =>
      fc.oneof(
        fc.constantFrom("/api/v1/tenant", `/api/v1/leads/${f.leadId}`, "/api/v1/leads?status=pending", "/api/v1"),
        weirdSegment.map((segment) => `/api/v1/${segment}`),
      ),
    body: () => ({ a: str(weirdString) }),
  })),
  {
    name: "POST /api/auth/callback/credentials",
    method: "POST",
    kind: "next-auth",
    authenticated: false,
    path: fixed("/api/auth/callback/credentials"),
    body: (f) => ({
      csrfToken: str(fc.oneof(fc.constant(f.credentialsCsrf.token), weirdString)),
      email: str(fc.oneof(fc.constant(f.owner.email), weirdString)),
      password: str(password),
    }),
    headers: (f) => fc.constant({ cookie: f.credentialsCsrf.cookie }),
  },
  {
    name: "GET /api/auth/*",
    method: "GET",
    kind: "next-auth",
    authenticated: false,
    path: () =>
      fc
        .tuple(
          fc.oneof(
            fc.constantFrom(
              "session",
              "csrf",
              "providers",
              "signin",
              "signout",
              "error",
              "callback/credentials",
              "signin/credentials",
            ),
            weirdSegment,
          ),
          anyQuery,
        )
        .map(([action, query]) => `/api/auth/${action}${query}`),
  },
  {
    name: "POST /api/auth/*",
    method: "POST",
    kind: "next-auth",
    authenticated: false,
    path: () =>
      fc
        .oneof(fc.constantFrom("signout", "signin/credentials", "session", "callback/other"), weirdSegment)
        .map((action) => `/api/auth/${action}`),
    body: (f) => ({
      csrfToken: str(fc.oneof(fc.constant(f.credentialsCsrf.token), weirdString)),
      callbackUrl: str(fc.oneof(fc.constant("https://evil.example"), weirdString)),
    }),
    headers: (f) => fc.constant({ cookie: f.credentialsCsrf.cookie }),
  },
  {
    name: "POST /locale",
    method: "POST",
    kind: "api",
    authenticated: false,
    path: fixed("/locale"),
    body: () => ({ locale: str(fc.oneof(fc.constantFrom("en", "ru"), weirdString)) }),
    headers: () =>
      fc.constantFrom<Record<string, string>>({}, { referer: "https://evil.example/%00" }, { referer: "%%%" }),
  },
  {
    name: "GET pages",
    method: "GET",
    kind: "page",
    authenticated: true,
    path: (f) =>
      fc
        .tuple(
          fc.oneof(
            fc.constantFrom(
              ...PAGES.map((page) => page.replace("<id>", f.leadId).replace("<site key>", f.leadSiteKey)),
            ),
            weirdSegment.map((segment) => `/leads/${segment}`),
            weirdSegment.map((segment) => `/demo/${segment}`),
          ),
          fc.oneof(anyQuery, leadListQuery),
        )
        .map(([page, query]) => `${page}${query}`),
  },
  // Last of the cookie callers: should signing out ever end the session, the others ran first.
  {
    name: "POST /sign-out",
    method: "POST",
    kind: "page",
    authenticated: true,
    path: fixed("/sign-out"),
    body: () => ({ csrfToken: str(weirdString) }),
  },
];

/** Run after all others: they take the bot away. */
const LAST_ROUTES: Route[] = ["/api/v1/telegram/integration/webhook", "/api/v1/telegram/integration"].map((path) => ({
  name: `DELETE ${path}`,
  method: "DELETE",
  kind: "api",
  authenticated: true,
  path: fixed(path),
}));

// ---------------------------------------------------------------------------------------
// Sending one generated request and judging the answer.

type Sent = { method: string; path: string; headers: Record<string, string>; body: Body | null };

/** Headers a client controls, now and then odd (fetch sends no NUL, DEL or line break in them). */
const headerText = fc
  .string({
    unit: fc.integer({ min: 0x20, max: 0xfe }).map((code) => String.fromCharCode(code === 0x7f ? 0xff : code)),
    maxLength: 60,
  })
  .map((text) => `v${text}`.trimEnd());
const oddHeaders = fc.oneof(
  { weight: 4, arbitrary: fc.constant({}) },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        authorization: fc.oneof(
          fc.constantFrom(
            "Bearer",
            "Bearer ",
            "Bearer lg_",
            `Bearer lg_${"A".repeat(4_000)}`,
            "Basic Zm9vOmJhcg==",
            "bearer  x y",
          ),
          headerText,
        ),
        cookie: fc.oneof(
          fc.constantFrom(
            "authjs.session-token=forged",
            `authjs.session-token=${"e".repeat(4_000)}`,
            "leadgram_locale=xx",
            "leadgram_locale=%FF",
            "=;;=",
            "authjs.session-token.0=a; authjs.session-token.1=b",
          ),
          headerText,
        ),
        "accept-language": fc.oneof(fc.constantFrom("*;q=abc", "en-US;q=1e400", "zz-ZZ-x-private", ",,,"), headerText),
        origin: fc.oneof(fc.constantFrom("null", "file://", "http://[::1", "https://evil.example"), headerText),
        referer: headerText,
        accept: fc.constantFrom("text/html", "*/*", "application/json;q=0", "text/x-component"),
      },
      { requiredKeys: [] },
    ),
  },
);

function requestArbitrary(route: Route, f: Fixtures): fc.Arbitrary<Sent> {
  const callers: fc.Arbitrary<Caller> = route.authenticated
    ? fc.oneof(
        { arbitrary: fc.constant<Caller>("bearer"), weight: 6 },
        { arbitrary: fc.constant<Caller>("cookie"), weight: 3 },
        { arbitrary: fc.constant<Caller>("anonymous"), weight: 1 },
      )
    : fc.constant<Caller>("anonymous");
  const origin = fc.constantFrom<string | null>(null, new URL(inject("appUrl")).origin, "https://evil.example");
  const body = route.body ? wireBody(route.body(f)).map((value): Body | null => value) : fc.constant(null);
  return fc
    .tuple(route.path(f), callers, origin, route.headers?.(f) ?? fc.constant({}), oddHeaders, body)
    .map(([path, caller, callerOrigin, extraHeaders, odd, sentBody]) => {
      const headers: Record<string, string> = { ...odd, ...extraHeaders };
      if (caller === "bearer")
        headers.authorization = `Bearer ${route.caller === "spare" ? f.spare.token : f.owner.token}`;
      if (caller === "cookie") {
        headers.cookie = route.caller === "spare" ? f.spare.cookie : f.cookie;
        if (callerOrigin) headers.origin = callerOrigin;
      }
      if (sentBody?.contentType) headers["content-type"] = sentBody.contentType;
      return { method: route.method, path, headers, body: sentBody };
    });
}

type Answer = { status: number; contentType: string; text: string; headers: Headers };

async function send(request: Sent): Promise<Answer> {
  const response = await fetch(`${inject("appUrl")}${request.path}`, {
    method: request.method,
    // Each request claims its own client address (the server trusts loopback proxies), so
    // the per-client throttles let nearly every request reach its handler.
    headers: { "x-forwarded-for": uniqueClientIp(), ...request.headers },
    body: request.body ? new Uint8Array(request.body.bytes) : undefined,
    redirect: "manual",
  });
  return {
    status: response.status,
    contentType: response.headers.get("content-type") ?? "",
    text: await response.text(),
    headers: response.headers,
  };
}

function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function checkAnswer(route: Route, request: Sent, statuses: number[]): Promise<Answer> {
  const answer = await send(request);
  statuses.push(answer.status);
  const summary = `${route.name} → ${answer.status} ${answer.contentType} ${answer.text.slice(0, 300)}`;
  expect(answer.status, summary).toBeLessThan(500);
  if (answer.status < 400 || route.kind === "page" || route.kind === "next-auth") return answer;
  // `/api/v1/%2e%2e/x` is `/api/x`, no API route: it gets the site's HTML 404 page.
  const resolvedOutsideApi =
    request.path.startsWith("/api/v1/") && !new URL(request.path, inject("appUrl")).pathname.startsWith("/api/v1/");
  if (resolvedOutsideApi) return answer;
  if (route.kind === "lead-intake" && answer.contentType.startsWith("text/html")) return answer;
  expect(answer.contentType, summary).toMatch(/^application\/json/);
  // `{"detail": ..., "code": ...}`, the code one of the shared enum's: what clients branch on.
  expect(apiErrorSchema.safeParse(jsonOf(answer.text)).success, summary).toBe(true);
  return answer;
}

/**
 * After the spare user's password changed or their sessions ended, the next requests
 * carry the new password's session, so they reach the handler instead of a 401.
 */
async function keepSpareSignedIn(f: Fixtures, request: Sent, answer: Answer): Promise<void> {
  if (answer.status >= 300) return;
  if (request.path === "/api/v1/auth/password") {
    const sent = JSON.parse(new TextDecoder().decode(new Uint8Array(request.body?.bytes ?? []))) as {
      new_password: string;
    };
    f.spare.password = sent.new_password;
  }
  f.spare.cookie = await sessionFor(f.spare);
}

// ---------------------------------------------------------------------------------------
// The routes and pages app/ defines, read from the file system.

const APP_DIR = path.resolve(import.meta.dirname, "../../app");
const HANDLER_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

type AppRoute = { path: string; methods: string[] };

function filesNamed(name: string, dir = APP_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesNamed(name, full) : entry.name === name ? [full] : [];
  });
}

/** `app/(app)/leads/[leadId]/page.tsx` → `/leads/[leadId]`: route groups leave the URL. */
function urlPathOf(file: string): string {
  const segments = path
    .relative(APP_DIR, path.dirname(file))
    .split(path.sep)
    .filter((segment) => segment !== "" && !/^\(.*\)$/.test(segment));
  return `/${segments.join("/")}`;
}

/** The methods a route module defines itself (`export const GET`, `export async function GET`, `export { x as GET }`), not those otherMethodsRefused answers. */
function definedMethods(source: string): string[] {
  const declared = [...source.matchAll(/^export (?:const|async function|function) ([A-Z]+)\b/gm)].map(
    (match) => match[1] as string,
  );
  const reexported = [...source.matchAll(/^export \{([^}]*)\}/gm)].flatMap((match) =>
    [...(match[1] as string).matchAll(/as ([A-Z]+)\b/g)].map((as) => as[1] as string),
  );
  return [...declared, ...reexported].filter((name) => HANDLER_METHODS.includes(name));
}

const appRoutes = (): AppRoute[] =>
  filesNamed("route.ts").map((file) => ({
    path: urlPathOf(file),
    methods: definedMethods(readFileSync(file, "utf8")),
  }));
const appPages = (): string[] => filesNamed("page.tsx").map(urlPathOf);

/** `/leads/[leadId]`, `/leads/<id>` and `/api/auth/*` alike become `/leads/*`, `/api/auth/*`. */
const anySegment = (text: string) => text.replace(/\[+[^\]]+\]+|<[^>]+>|\*/g, "*");

// ---------------------------------------------------------------------------------------
// What the routes need to get past their first checks: accounts, a lead, a bot, a webhook.

async function credentialsCsrf(): Promise<Fixtures["credentialsCsrf"]> {
  const response = await fetch(`${inject("appUrl")}/api/auth/csrf`);
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return {
    token: csrfToken,
    cookie: response.headers
      .getSetCookie()
      .map((line) => line.split(";")[0])
      .join("; "),
  };
}

async function ok<T>(response: Promise<{ status: number; body: T }>, expected: number): Promise<T> {
  const { status, body } = await response;
  if (status !== expected) throw new Error(`set-up request answered ${status}: ${JSON.stringify(body)}`);
  return body;
}

async function prepare(): Promise<Fixtures> {
  const owner = await registerOwner("Fuzz site");
  const leadSite = await registerOwner("Fuzz lead site");
  const { bot, client } = await newBotWithChat("fuzz");
  await ok(api("POST", "/api/v1/telegram/integration", { token: owner.token, body: { bot_token: bot.token } }), 201);
  await ok(api("POST", "/api/v1/telegram/integration/webhook", { token: owner.token, body: {} }), 200);
  const webhook = (await client.getBot(bot.id)).webhook;
  if (!webhook) throw new Error("webhook not registered at the sandbox");
  const lead = await ok(
    api<{ id: string }>("POST", `/api/v1/public/leads/${owner.siteKey}`, {
      body: { name: "Fuzz", email: "fuzz@example.com" },
    }),
    201,
  );
  const spareToken = await ok(
    api<{ id: string }>("POST", "/api/v1/tokens", { token: owner.token, body: { name: "spare" } }),
    201,
  );
  const link = await ok(
    api<{ id: string }>("POST", "/api/v1/telegram/integration/connect-link", { token: owner.token }),
    201,
  );
  const spare = await addMember(owner, "member");
  return {
    owner,
    cookie: await sessionFor(owner),
    memberId: (await addMember(owner, "member")).userId,
    spare: { ...spare, cookie: await sessionFor(spare) },
    leadId: lead.id,
    tokenId: spareToken.id,
    linkId: link.id,
    leadSiteKey: leadSite.siteKey,
    bot,
    webhook: { pathId: webhook.url.split("/").pop() ?? "", secret: webhook.secret_token },
    credentialsCsrf: await credentialsCsrf(),
  };
}

// ---------------------------------------------------------------------------------------

describe("no 5xx from anything a client sends", () => {
  let fixtures: Fixtures;
  beforeAll(async () => {
    fixtures = await prepare();
  }, TIMEOUT_MS);

  for (const route of ROUTES) {
    it(
      `${route.name} answers 2xx/3xx/4xx to generated requests`,
      async () => {
        const statuses: number[] = [];
        await fc.assert(
          fc.asyncProperty(requestArbitrary(route, fixtures), async (request) => {
            const answer = await checkAnswer(route, request, statuses);
            if (route.caller === "spare") await keepSpareSignedIn(fixtures, request, answer);
          }),
          { seed: SEED, numRuns: RUNS },
        );
        // A throttle that refused most requests would hide what the handlers do with them.
        expect(statuses.filter((status) => status === 429).length, `429s among ${statuses.length}`).toBeLessThan(
          statuses.length / 10,
        );
      },
      TIMEOUT_MS,
    );
  }

  it(
    "server actions answer 2xx/3xx/4xx to generated requests",
    async () => {
      // The build's manifest names each action and a page that serves it (none today: the
      // forms post to route handlers); unknown action ids go to the home page.
      const manifest = JSON.parse(
        readFileSync(path.resolve(import.meta.dirname, "../../.next/server/server-reference-manifest.json"), "utf8"),
      ) as {
        node: Record<string, { workers: Record<string, unknown> }>;
      };
      const actions = Object.entries(manifest.node).map(([id, { workers }]) => {
        const page = Object.keys(workers).find((worker) => !worker.includes("_not-found")) ?? "app/page";
        return {
          id,
          path:
            page
              .replace(/^app/, "")
              .replace(/\/page$/, "")
              .replace(/\/\([^)]*\)/g, "") || "/",
        };
      });
      const cookie = await sessionFor(fixtures.owner);
      const actionRequest = fc
        .tuple(
          actions.length > 0
            ? fc.oneof(
                fc.constantFrom(...actions),
                weirdSegment.map((id) => ({ id, path: "/" })),
              )
            : weirdSegment.map((id) => ({ id, path: "/" })),
          wireBody({ locale: str(fc.oneof(fc.constantFrom("en", "ru"), weirdString)), 0: str(weirdString) }),
          fc.boolean(),
        )
        .map(([action, body, withCookie]): Sent => ({
          method: "POST",
          path: action.path,
          headers: {
            "next-action": action.id,
            accept: "text/x-component",
            ...(withCookie ? { cookie, origin: new URL(inject("appUrl")).origin } : {}),
            ...(body.contentType ? { "content-type": body.contentType } : {}),
          },
          body,
        }));
      const route: Route = {
        name: "server action",
        method: "POST",
        kind: "page",
        authenticated: false,
        path: fixed("/"),
      };
      await fc.assert(
        fc.asyncProperty(actionRequest, async (request) => void (await checkAnswer(route, request, []))),
        { seed: SEED, numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'an /api/v1 route\'s method it does not define answers 405 {"detail"} with Allow',
    async () => {
      const routes = appRoutes()
        .filter((route) => route.path.startsWith("/api/v1/") && !route.path.includes("[..."))
        // OPTIONS is never refused: without a handler of its own it answers 204 with Allow.
        .flatMap((route) =>
          HANDLER_METHODS.filter((method) => method !== "OPTIONS" && !route.methods.includes(method)).map((method) => ({
            ...route,
            method,
          })),
        );
      // Small: a route's body cap (413) comes before its method is looked at.
      const smallBody = fc.oneof(
        fc.constant<Body | null>(null),
        fc.constantFrom<Body>(
          { contentType: "application/json", bytes: utf8('{"a":"\\u0000"}') },
          { contentType: "text/plain", bytes: utf8("{") },
          { contentType: "application/x-www-form-urlencoded", bytes: utf8("a=%00&b=%ED%A0%80") },
        ),
      );
      const realId = (f: Fixtures): Record<string, string> => ({
        leadId: f.leadId,
        tokenId: f.tokenId,
        userId: f.memberId,
        linkId: f.linkId,
        pathId: f.webhook.pathId,
        siteKey: f.leadSiteKey,
      });
      const request = fc
        .tuple(fc.constantFrom(...routes), fc.boolean(), smallBody, oddHeaders)
        .map(([route, realIds, body, odd]): { sent: Sent; allowed: string[] } => {
          const urlPath = route.path.replace(/\[([^\]]+)\]/g, (_, name: string) =>
            realIds ? (realId(fixtures)[name] ?? "x") : "x",
          );
          const headers: Record<string, string> = { ...odd, authorization: `Bearer ${fixtures.owner.token}` };
          if (body?.contentType && route.method !== "GET") headers["content-type"] = body.contentType;
          return {
            sent: { method: route.method, path: urlPath, headers, body: route.method === "GET" ? null : body },
            allowed: route.methods,
          };
        });
      const route: Route = { name: "405", method: "", kind: "api", authenticated: false, path: fixed("/") };
      await fc.assert(
        fc.asyncProperty(request, async ({ sent, allowed }) => {
          const answer = await checkAnswer({ ...route, name: `${sent.method} ${sent.path}` }, sent, []);
          expect(answer.status, `${sent.method} ${sent.path}`).toBe(405);
          const expectedAllow = [...allowed, "OPTIONS", ...(allowed.includes("GET") ? ["HEAD"] : [])];
          expect(answer.headers.get("allow")?.split(", ").sort(), `${sent.method} ${sent.path}`).toEqual(
            [...new Set(expectedAllow)].sort(),
          );
        }),
        { seed: SEED, numRuns: RUNS },
      );
    },
    TIMEOUT_MS,
  );

  it("covers every route and page of app/ (a new one must join ROUTES or PAGES)", () => {
    const covered = new Set([...ROUTES, ...LAST_ROUTES].map((route) => anySegment(route.name)));
    const missing = appRoutes().flatMap((route) =>
      route.methods.map((method) => `${method} ${route.path}`).filter((name) => !covered.has(anySegment(name))),
    );
    expect(missing, "routes missing from ROUTES").toEqual([]);
    const pages = new Set(PAGES.map(anySegment));
    expect(
      appPages().filter((page) => !pages.has(anySegment(page))),
      "pages missing from PAGES",
    ).toEqual([]);
  });

  it(
    "DELETE /api/v1/telegram/integration and /webhook answer 2xx/4xx however often they are called",
    async () => {
      // Last: they take the bot away from the routes above.
      for (const route of LAST_ROUTES) {
        await fc.assert(
          fc.asyncProperty(
            requestArbitrary(route, fixtures),
            async (request) => void (await checkAnswer(route, request, [])),
          ),
          { seed: SEED, numRuns: Math.min(RUNS, 10) },
        );
      }
    },
    TIMEOUT_MS,
  );
});
