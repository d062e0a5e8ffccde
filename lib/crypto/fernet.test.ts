import { inspect } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";

import {
  Fernet,
  InvalidFernetKey,
  InvalidFernetToken,
  MultiFernet,
  generateFernetKey,
  parseKeyList,
  type InvalidFernetTokenReason,
} from "./fernet";
import vectors from "./__fixtures__/fernet-vectors.json";

// Regenerate with: python3 lib/crypto/__fixtures__/make-fernet-vectors.py > lib/crypto/__fixtures__/fernet-vectors.json

const KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="; // bytes 0..31, as in the fixtures
const OTHER_KEY = "P8i0dOVMYDm6gPC89hJeCHdJtDI88zEC86YzgzIYc9E=";
const BOT_TOKEN = "7311594201:AAHk3vQx9ZbT1mN0pLrS8uWyXcE5fGhDg0o";
const T0 = 1_700_000_000;
const IV = Buffer.alloc(16, 7);

function tokenBytes(token: string): Buffer {
  return Buffer.from(token, "base64url");
}

function toToken(bytes: Buffer): string {
  const s = bytes.toString("base64url");
  return s + "=".repeat((4 - (s.length % 4)) % 4);
}

function withByteFlipped(token: string, index: number): string {
  const bytes = tokenBytes(token);
  bytes[index] = (bytes[index] ?? 0) ^ 0x01;
  return toToken(bytes);
}

function tokenTimestamp(token: string): bigint {
  return tokenBytes(token).readBigUInt64BE(1);
}

function rejection(run: () => unknown): InvalidFernetToken {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidFernetToken);
    return err as InvalidFernetToken;
  }
  throw new Error("expected InvalidFernetToken, but nothing was thrown");
}

function expectRejected(run: () => unknown, reason: InvalidFernetTokenReason): void {
  expect(rejection(run).reason).toBe(reason);
}

function keyError(run: () => unknown): InvalidFernetKey {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidFernetKey);
    return err as InvalidFernetKey;
  }
  throw new Error("expected InvalidFernetKey, but nothing was thrown");
}

afterEach(() => {
  vi.useRealTimers();
});

describe("Python cryptography.fernet compatibility (fixtures)", () => {
  it("fixtures come from the expected generator", () => {
    expect(vectors.cryptography_version).toBe("48.0.0");
    expect(vectors.encrypt.length).toBeGreaterThanOrEqual(10);
  });

  it.each(vectors.encrypt)("encrypts '$name' byte for byte like Python", (v) => {
    const token = new Fernet(v.key).encrypt(Buffer.from(v.plaintext_hex, "hex"), {
      now: v.timestamp,
      iv: Buffer.from(v.iv_hex, "hex"),
    });
    expect(token).toBe(v.token);
  });

  it.each(vectors.encrypt.filter((v) => v.plaintext_utf8 !== null))(
    "encrypts '$name' from a JS string like Python",
    (v) => {
      const token = new Fernet(v.key).encrypt(v.plaintext_utf8 ?? "", {
        now: v.timestamp,
        iv: Buffer.from(v.iv_hex, "hex"),
      });
      expect(token).toBe(v.token);
    },
  );

  it.each(vectors.encrypt)("decrypts Python's token for '$name'", (v) => {
    const plaintext = new Fernet(v.key).decrypt(v.token);
    expect(plaintext.toString("hex")).toBe(v.plaintext_hex);
    if (v.plaintext_utf8 !== null) expect(plaintext.toString("utf8")).toBe(v.plaintext_utf8);
  });

  it("decrypts the Telegram bot token made by Python", () => {
    const v = vectors.encrypt.find((e) => e.name === "telegram bot token");
    expect(v).toBeDefined();
    expect(new Fernet(v?.key ?? "").decrypt(v?.token ?? "").toString("utf8")).toBe(BOT_TOKEN);
  });

  it("fixtures include tokens with and without base64 padding", () => {
    expect(vectors.encrypt.some((v) => v.token.endsWith("=="))).toBe(true);
    expect(vectors.encrypt.some((v) => !v.token.endsWith("="))).toBe(true);
  });

  it("rotates byte for byte like Python's MultiFernet.rotate", () => {
    const r = vectors.rotate;
    const rotated = new MultiFernet(r.keys).rotate(r.token, { iv: Buffer.from(r.iv_hex, "hex") });
    expect(rotated).toBe(r.rotated);
    expect(tokenTimestamp(rotated)).toBe(BigInt(r.timestamp));
  });

  it.each(vectors.invalid)("rejects what Python rejects: $name", (v) => {
    rejection(() => new MultiFernet(v.keys).decrypt(v.token));
    if (v.keys.length === 1) rejection(() => new Fernet(v.keys[0] ?? "").decrypt(v.token));
  });

  it.each(vectors.ttl.cases)("applies ttl like Python: $name", (c) => {
    const f = new Fernet(vectors.ttl.key);
    const run = () => f.decrypt(vectors.ttl.token, { ttlSeconds: c.ttl, now: c.now });
    if (c.valid) expect(run().toString("utf8")).toBe(vectors.ttl.plaintext_utf8);
    else rejection(run);
  });
});

describe("Fernet round trip", () => {
  const f = new Fernet(KEY);

  it.each([
    ["ascii", "hello"],
    ["empty", ""],
    ["bot token", BOT_TOKEN],
    ["unicode", "Привет 👋 日本語 café"],
    ["one block", "0123456789abcdef"],
    ["long", "x".repeat(100_000)],
  ])("round-trips a %s string", (_name, text) => {
    expect(f.decrypt(f.encrypt(text)).toString("utf8")).toBe(text);
  });

  it("round-trips arbitrary bytes", () => {
    const data = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect(f.decrypt(f.encrypt(data)).equals(data)).toBe(true);
    expect(f.decrypt(f.encrypt(new Uint8Array([0, 255, 1]))).equals(Buffer.from([0, 255, 1]))).toBe(true);
  });

  it("emits padded URL-safe base64 with the right layout", () => {
    for (let len = 0; len < 40; len++) {
      const token = f.encrypt("a".repeat(len), { now: T0 });
      expect(token).toMatch(/^[A-Za-z0-9_-]+={0,2}$/);
      expect(token.length % 4).toBe(0);
      const bytes = tokenBytes(token);
      expect(bytes[0]).toBe(0x80);
      expect(bytes.readBigUInt64BE(1)).toBe(BigInt(T0));
      expect(bytes.length).toBe(1 + 8 + 16 + 16 * (Math.floor(len / 16) + 1) + 32);
    }
  });

  it("uses a fresh random IV each time", () => {
    const a = f.encrypt("same", { now: T0 });
    const b = f.encrypt("same", { now: T0 });
    expect(a).not.toBe(b);
    expect(tokenBytes(a).subarray(9, 25).equals(tokenBytes(b).subarray(9, 25))).toBe(false);
  });

  it("stamps the current time by default", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date(T0 * 1000 + 999));
    expect(tokenTimestamp(f.encrypt("x"))).toBe(BigInt(T0));
  });

  it("is deterministic given now and iv", () => {
    expect(f.encrypt("x", { now: T0, iv: IV })).toBe(f.encrypt("x", { now: T0, iv: IV }));
  });

  it("accepts tokens without padding", () => {
    const token = f.encrypt("", { now: T0 });
    expect(token.endsWith("==")).toBe(true);
    expect(f.decrypt(token.replace(/=+$/, "")).toString()).toBe("");
  });

  it("validates encrypt options", () => {
    expect(() => f.encrypt("x", { iv: Buffer.alloc(15) })).toThrow(RangeError);
    expect(() => f.encrypt("x", { now: -1 })).toThrow(RangeError);
    expect(() => f.encrypt("x", { now: 1.5 })).toThrow(RangeError);
    expect(() => f.encrypt("x", { now: Number.NaN })).toThrow(RangeError);
    expect(() => f.decrypt(f.encrypt("x"), { ttlSeconds: -1 })).toThrow(RangeError);
  });
});

describe("Fernet rejects tampered and malformed tokens", () => {
  const f = new Fernet(KEY);
  const token = f.encrypt(BOT_TOKEN, { now: T0, iv: IV });
  const length = tokenBytes(token).length;
  const padded = f.encrypt("", { now: T0, iv: IV });

  it("uses tokens of both padding shapes", () => {
    expect(token).not.toContain("=");
    expect(padded).toMatch(/[^=]==$/);
  });

  it("rejects a flipped bit in every single byte", () => {
    for (let i = 0; i < length; i++) {
      expect(() => f.decrypt(withByteFlipped(token, i)), `byte ${i}`).toThrow(InvalidFernetToken);
    }
  });

  it.each([
    ["version", 0, "malformed"],
    ["timestamp", 4, "signature"],
    ["iv", 15, "signature"],
    ["ciphertext (first block)", 30, "signature"],
    ["ciphertext (last block)", length - 33, "signature"],
    ["hmac", length - 1, "signature"],
  ] as const)("reports a tampered %s", (_region, index, reason) => {
    expectRejected(() => f.decrypt(withByteFlipped(token, index)), reason);
  });

  it("rejects a token signed with another key as a signature error", () => {
    expectRejected(() => new Fernet(OTHER_KEY).decrypt(token), "signature");
  });

  it("rejects truncation, extension and splicing", () => {
    const bytes = tokenBytes(token);
    expectRejected(() => f.decrypt(toToken(bytes.subarray(0, -1))), "malformed");
    expectRejected(() => f.decrypt(toToken(bytes.subarray(0, -16))), "signature");
    expectRejected(() => f.decrypt(toToken(Buffer.concat([bytes, Buffer.alloc(16)]))), "signature");
    expectRejected(() => f.decrypt(toToken(bytes.subarray(0, 9))), "malformed");
    const other = tokenBytes(f.encrypt("another secret", { now: T0 }));
    const spliced = Buffer.concat([bytes.subarray(0, 25), other.subarray(25)]);
    expectRejected(() => f.decrypt(toToken(spliced)), "signature");
  });

  it.each([
    ["empty", ""],
    ["garbage", "not a token"],
    ["whitespace around", ` ${token} `],
    ["newline inside", token.slice(0, 10) + "\n" + token.slice(10)],
    ["standard base64 alphabet", tokenBytes(token).toString("base64")],
    ["padding where none belongs", token + "="],
    ["half the padding", padded.slice(0, -1)],
    ["too much padding", padded + "="],
    ["impossible length", token + "A"],
    ["non-string", 42 as unknown as string],
  ])("rejects a malformed token (%s)", (_name, bad) => {
    expectRejected(() => f.decrypt(bad), "malformed");
  });

  it("rejects a non-canonical base64 spelling of a valid token", () => {
    const empty = f.encrypt("", { now: T0, iv: IV }); // ends in "==", so the last char has 4 spare bits
    const body = empty.replace(/=+$/, "");
    const last = body.at(-1) ?? "";
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const tweaked = body.slice(0, -1) + alphabet[alphabet.indexOf(last) + 1];
    expect(Buffer.from(tweaked, "base64url").equals(tokenBytes(empty))).toBe(true); // Node alone would accept it
    expectRejected(() => f.decrypt(tweaked), "malformed");
  });

  it("reports an authentic token whose ciphertext does not decrypt", () => {
    const bad = vectors.invalid.find((v) => v.name === "signed but bad PKCS7 padding");
    expectRejected(() => new Fernet(bad?.keys[0] ?? "").decrypt(bad?.token ?? ""), "decryption");
  });
});

describe("Fernet ttl", () => {
  const f = new Fernet(KEY);
  const token = f.encrypt("secret", { now: T0 });

  it("ignores age without a ttl, even for ancient or future tokens", () => {
    expect(f.decrypt(f.encrypt("old", { now: 0 })).toString()).toBe("old");
    expect(f.decrypt(f.encrypt("future", { now: T0 * 10 })).toString()).toBe("future");
  });

  it("accepts up to and including ttl seconds of age", () => {
    expect(f.decrypt(token, { ttlSeconds: 100, now: T0 + 100 }).toString()).toBe("secret");
    expectRejected(() => f.decrypt(token, { ttlSeconds: 100, now: T0 + 101 }), "expired");
  });

  it("allows 60 seconds of clock skew into the future", () => {
    expect(f.decrypt(token, { ttlSeconds: 100, now: T0 - 60 }).toString()).toBe("secret");
    expectRejected(() => f.decrypt(token, { ttlSeconds: 100, now: T0 - 61 }), "future");
  });

  it("uses the clock when now is not given", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date((T0 + 30) * 1000));
    expect(f.decrypt(token, { ttlSeconds: 30 }).toString()).toBe("secret");
    vi.setSystemTime(new Date((T0 + 31) * 1000));
    expectRejected(() => f.decrypt(token, { ttlSeconds: 30 }), "expired");
  });

  it("checks the signature before the age, so forged tokens never read as merely expired", () => {
    expectRejected(() => new Fernet(OTHER_KEY).decrypt(token, { ttlSeconds: 1, now: T0 + 1000 }), "signature");
  });

  it("handles extreme timestamps without overflow", () => {
    const r = vectors.encrypt.find((v) => v.name === "timestamp 2^53-1");
    const huge = toToken(Buffer.concat([Buffer.from([0x80, 0xff]), Buffer.alloc(7, 0xff), Buffer.alloc(64)]));
    expectRejected(() => f.decrypt(huge, { ttlSeconds: 10, now: T0 }), "signature");
    expectRejected(() => new Fernet(r?.key ?? "").decrypt(r?.token ?? "", { ttlSeconds: 10, now: T0 }), "future");
  });
});

describe("keys", () => {
  it("generates padded 32-byte URL-safe keys that work", () => {
    const key = generateFernetKey();
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    expect(Buffer.from(key, "base64url")).toHaveLength(32);
    expect(generateFernetKey()).not.toBe(key);
    const f = new Fernet(key);
    expect(f.decrypt(f.encrypt("x")).toString()).toBe("x");
  });

  it("accepts a key without padding as the same key", () => {
    const token = new Fernet(KEY).encrypt("x", { now: T0, iv: IV });
    expect(new Fernet(KEY.replace(/=$/, "")).encrypt("x", { now: T0, iv: IV })).toBe(token);
  });

  it.each([
    ["empty", ""],
    ["too short (31 bytes)", Buffer.alloc(31, 1).toString("base64url")],
    ["too long (33 bytes)", Buffer.alloc(33, 1).toString("base64url")],
    ["standard alphabet", "+/" + KEY.slice(2)],
    ["surrounding whitespace", ` ${KEY}`],
    ["hex instead of base64", "00".repeat(32)],
    ["non-string", undefined as unknown as string],
  ])("rejects an invalid key (%s) without echoing it", (_name, bad) => {
    const err = keyError(() => new Fernet(bad));
    expect(err.name).toBe("InvalidFernetKey");
    expect(err.message).toMatch(/32 bytes/);
    if (typeof bad === "string" && bad.length > 4) expect(err.message).not.toContain(bad.trim().slice(0, 6));
    expect(err.cause).toBeUndefined();
  });

  it("keeps key material out of inspect and JSON output", () => {
    const f = new Fernet(KEY);
    const m = new MultiFernet([KEY, OTHER_KEY]);
    const raw = Buffer.from(KEY, "base64url");
    for (const shown of [
      inspect(f, { showHidden: true, depth: 10 }),
      JSON.stringify(f),
      inspect(m),
      JSON.stringify(m),
    ]) {
      expect(shown).not.toContain(raw.subarray(0, 16).toString("hex").slice(0, 8));
      expect(shown).not.toMatch(/<Buffer|00 01 02/);
      expect(shown).not.toContain(KEY.slice(0, 10));
    }
  });
});

describe("parseKeyList", () => {
  it("splits, trims and drops empty entries, keeping order", () => {
    expect(parseKeyList(` ${KEY} ,, ${OTHER_KEY},\n`)).toEqual([KEY, OTHER_KEY]);
    expect(parseKeyList(KEY)).toEqual([KEY]);
  });

  it("names the offending position without echoing any key", () => {
    const secretLooking = "c2VjcmV0LWJ1dC10b28tc2hvcnQ";
    const err = keyError(() => parseKeyList(`${KEY},${secretLooking},${OTHER_KEY}`));
    expect(err.message).toContain("ENCRYPTION_KEY");
    expect(err.message).toContain("key 2 of 3");
    expect(err.message).not.toContain(secretLooking);
    expect(err.message).not.toContain(KEY);
    expect(err.message).not.toContain(OTHER_KEY);
  });

  it("uses the given variable name in messages", () => {
    expect(keyError(() => parseKeyList("nope", "OLD_KEYS")).message).toContain("OLD_KEYS: key 1 of 1");
  });

  it("rejects an empty list", () => {
    expect(keyError(() => parseKeyList("")).message).toContain("no keys");
    expect(keyError(() => parseKeyList(" , ,")).message).toContain("no keys");
  });
});

describe("MultiFernet", () => {
  const oldF = new Fernet(OTHER_KEY);
  const multi = new MultiFernet([KEY, OTHER_KEY]);

  it("encrypts with the first key", () => {
    const token = multi.encrypt(BOT_TOKEN, { now: T0, iv: IV });
    expect(token).toBe(new Fernet(KEY).encrypt(BOT_TOKEN, { now: T0, iv: IV }));
    expect(new Fernet(KEY).decrypt(multi.encrypt("x")).toString()).toBe("x");
  });

  it("decrypts tokens made with any of its keys", () => {
    expect(multi.decrypt(oldF.encrypt("old")).toString()).toBe("old");
    expect(multi.decrypt(new Fernet(KEY).encrypt("new")).toString()).toBe("new");
  });

  it("rejects tokens made with a key it does not hold", () => {
    expectRejected(() => multi.decrypt(new Fernet(generateFernetKey()).encrypt("x")), "signature");
    expectRejected(() => multi.decrypt("garbage"), "malformed");
  });

  it("applies ttl", () => {
    const token = oldF.encrypt("x", { now: T0 });
    expect(multi.decrypt(token, { ttlSeconds: 10, now: T0 + 10 }).toString()).toBe("x");
    expectRejected(() => multi.decrypt(token, { ttlSeconds: 10, now: T0 + 11 }), "expired");
  });

  it("rotates an old token to the first key, keeping its timestamp", () => {
    const old = oldF.encrypt(BOT_TOKEN, { now: T0 });
    const rotated = multi.rotate(old);
    expect(rotated).not.toBe(old);
    expect(tokenTimestamp(rotated)).toBe(BigInt(T0));
    expect(new Fernet(KEY).decrypt(rotated).toString()).toBe(BOT_TOKEN);
    expectRejected(() => oldF.decrypt(rotated), "signature");
  });

  it("rotates a token already under the first key too", () => {
    const current = new Fernet(KEY).encrypt("x", { now: T0 });
    const rotated = multi.rotate(current);
    expect(new Fernet(KEY).decrypt(rotated).toString()).toBe("x");
    expect(tokenTimestamp(rotated)).toBe(BigInt(T0));
  });

  it("refuses to rotate tokens it cannot decrypt", () => {
    expectRejected(() => multi.rotate(new Fernet(generateFernetKey()).encrypt("x")), "signature");
    expectRejected(() => multi.rotate(""), "malformed");
  });

  it("needs at least one valid key and names a bad one by position", () => {
    expect(keyError(() => new MultiFernet([])).message).toContain("at least one key");
    const err = keyError(() => new MultiFernet([KEY, "short"]));
    expect(err.message).toContain("key 2 of 2");
    expect(err.message).not.toContain("short");
  });
});

describe("errors never carry secrets", () => {
  it("gives a fixed, clear message for a wrong key", () => {
    const token = new Fernet(KEY).encrypt(BOT_TOKEN);
    const err = rejection(() => new Fernet(OTHER_KEY).decrypt(token));
    expect(err.name).toBe("InvalidFernetToken");
    expect(err.message).toBe("Fernet token signature does not match (wrong key or tampered token)");
    expect(err.cause).toBeUndefined();
    expect(err).toBeInstanceOf(Error);
  });

  it("never mentions the plaintext, the token or the key", () => {
    const token = new Fernet(KEY).encrypt(BOT_TOKEN, { now: T0 });
    const errors = [
      rejection(() => new Fernet(OTHER_KEY).decrypt(token)),
      rejection(() => new Fernet(KEY).decrypt(token, { ttlSeconds: 1, now: T0 + 5 })),
      rejection(() => new Fernet(KEY).decrypt(withByteFlipped(token, 40))),
      rejection(() => new Fernet(KEY).decrypt(token + "!")),
    ];
    for (const err of errors) {
      const shown = `${err.message} ${String(err.stack)} ${inspect(err)}`;
      for (const secret of [BOT_TOKEN, "AAHk3vQx", token.slice(0, 20), KEY, OTHER_KEY]) {
        expect(shown).not.toContain(secret);
      }
      expect(err.cause).toBeUndefined();
    }
  });
});
