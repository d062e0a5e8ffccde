import { describe, expect, it } from "vitest";

import { maskBotToken, redactBotTokens } from "./mask-bot-token";

// Fake tokens in Telegram's shape.
const TOKEN = "7311594201:AAHk3vQx9ZbT1mN0pLrS8uWyXcE5fGhDg0o";
const SECRET = "AAHk3vQx9ZbT1mN0pLrS8uWyXcE5fGhDg0o";
const MASKED = "7311594201:••••••••Dg0o";
const OTHER = "123456789:AAE-_9zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzXy_1";
const OTHER_MASKED = "123456789:••••••••Xy_1";
const BULLETS = "••••••••";

function expectNoSecret(output: string, secret: string): void {
  // Nothing beyond the 4 revealed characters: no 5-character window of the secret survives.
  for (let i = 0; i + 5 <= secret.length; i++) {
    expect(output, `leaks "${secret.slice(i, i + 5)}"`).not.toContain(secret.slice(i, i + 5));
  }
}

describe("maskBotToken", () => {
  it("keeps the bot id and the last 4 characters of the secret", () => {
    expect(maskBotToken(TOKEN)).toBe(MASKED);
    expect(maskBotToken(OTHER)).toBe(OTHER_MASKED);
    expectNoSecret(maskBotToken(TOKEN), SECRET);
  });

  it("always uses 8 bullets, so the secret's length is not revealed", () => {
    const short = `7311594201:${"a".repeat(26)}wxyz`;
    const long = `7311594201:${"a".repeat(200)}wxyz`;
    expect(maskBotToken(short)).toBe("7311594201:••••••••wxyz");
    expect(maskBotToken(long)).toBe("7311594201:••••••••wxyz");
  });

  it("ignores surrounding whitespace from a paste", () => {
    expect(maskBotToken(`  ${TOKEN}\n`)).toBe(MASKED);
  });

  it.each([
    ["empty", ""],
    ["no colon", SECRET],
    ["only the id", "7311594201:"],
    ["only the secret", `:${SECRET}`],
    ["non-digit id", `bot7311594201:${SECRET}`],
    ["letters in the id", `73115a4201:${SECRET}`],
    ["id too short", `1234:${SECRET}`],
    ["id too long", `${"9".repeat(21)}:${SECRET}`],
    ["secret too short", "7311594201:AAHk3vQx9ZbT1mN0pLrS8uWyXcE5f"],
    ["secret with illegal characters", "7311594201:AAHk3vQx9ZbT1mN0pL+S8uWyXcE5fGhDg0o"],
    ["space inside", "7311594201: AAHk3vQx9ZbT1mN0pLrS8uWyXcE5fGhDg0o"],
    ["two tokens", `${TOKEN}${TOKEN}`],
    ["a URL containing a token", `https://api.telegram.org/bot${TOKEN}/getMe`],
    ["a password", "hunter2-correct-horse-battery"],
  ])("reveals nothing of a malformed value (%s)", (_name, value) => {
    expect(maskBotToken(value)).toBe(BULLETS);
  });
});

describe("redactBotTokens", () => {
  it("masks a token in a Bot API URL", () => {
    const url = `https://api.telegram.org/bot${TOKEN}/sendMessage`;
    expect(redactBotTokens(url)).toBe(`https://api.telegram.org/bot${MASKED}/sendMessage`);
  });

  it("masks a token in a file URL and with a query string", () => {
    expect(redactBotTokens(`https://api.telegram.org/file/bot${TOKEN}/photos/file_1.jpg`)).toBe(
      `https://api.telegram.org/file/bot${MASKED}/photos/file_1.jpg`,
    );
    expect(redactBotTokens(`/bot${TOKEN}?offset=5`)).toBe(`/bot${MASKED}?offset=5`);
  });

  it("masks a token whose colon is percent-encoded", () => {
    for (const colon of ["%3A", "%3a"]) {
      const out = redactBotTokens(`GET https://example.test/?token=7311594201${colon}${SECRET}&x=1`);
      expect(out).toBe(`GET https://example.test/?token=${MASKED}&x=1`);
    }
  });

  it("masks every token in an error message, JSON or multi-line text", () => {
    const text = [
      `Error: request to https://api.telegram.org/bot${TOKEN}/getUpdates failed`,
      JSON.stringify({ token: OTHER, nested: { url: `bot${TOKEN}` } }),
      `"${TOKEN}",'${OTHER}' (${TOKEN})`,
    ].join("\n");
    const out = redactBotTokens(text);
    expect(out).toBe(
      [
        `Error: request to https://api.telegram.org/bot${MASKED}/getUpdates failed`,
        JSON.stringify({ token: OTHER_MASKED, nested: { url: `bot${MASKED}` } }),
        `"${MASKED}",'${OTHER_MASKED}' (${MASKED})`,
      ].join("\n"),
    );
    expectNoSecret(out, SECRET);
    expectNoSecret(out, OTHER.split(":")[1] ?? "");
  });

  it("masks adjacent tokens separated only by punctuation", () => {
    expect(redactBotTokens(`${TOKEN},${OTHER};${TOKEN}`)).toBe(`${MASKED},${OTHER_MASKED};${MASKED}`);
  });

  it("masks a token glued to longer digit runs and word characters", () => {
    const out = redactBotTokens(`x${"1".repeat(30)}:${SECRET}tail`);
    expectNoSecret(out, SECRET);
    expect(out).toMatch(/:••••••••tail$/);
  });

  it("is idempotent", () => {
    const once = redactBotTokens(`see bot${TOKEN} and ${OTHER}`);
    expect(redactBotTokens(once)).toBe(once);
  });

  it("leaves ordinary text alone", () => {
    const text = [
      "plain log line, nothing to see",
      "2024-01-01T12:34:56.789Z took 12345ms",
      "user 7311594201 said: hello",
      "7311594201:short_secret_only",
      "https://api.telegram.org/bot<token>/sendMessage",
      "ports 12345:54321",
      "",
    ].join("\n");
    expect(redactBotTokens(text)).toBe(text);
  });

  it("agrees with maskBotToken on a bare token", () => {
    expect(redactBotTokens(TOKEN)).toBe(maskBotToken(TOKEN));
  });

  it("stays fast on adversarial input", () => {
    const inputs = [
      "1".repeat(200_000),
      `${"1".repeat(100_000)}:${"a".repeat(29)}`,
      "12345:".repeat(40_000),
      `12345:${"a".repeat(29)}!`.repeat(5_000),
    ];
    const started = performance.now();
    for (const input of inputs) expect(redactBotTokens(input)).toBe(input);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
