import "server-only";

import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Fernet (https://github.com/fernet/spec), byte-compatible with Python's
 * `cryptography.fernet` so secrets can be written or read by Python tooling with the same
 * ENCRYPTION_KEY. Compatibility is pinned by fixtures in ./__fixtures__.
 *
 * Deliberate differences from Python, all on the lenient/strict edge and never in the bytes produced:
 * - tokens and keys are accepted with or without `=` padding (Python requires it; we always emit it);
 * - characters outside the URL-safe alphabet and non-canonical encodings are rejected (Python
 *   silently discards or ignores them), so one key or token has exactly one spelling.
 */

const VERSION = 0x80;
const HEADER_LEN = 1 + 8 + 16; // version, timestamp, IV
const HMAC_LEN = 32;
const BLOCK = 16;
const MIN_TOKEN_LEN = HEADER_LEN + BLOCK + HMAC_LEN; // empty plaintext still pads to one block
// Python only enforces the future-timestamp bound when a ttl is given; we mirror that.
const MAX_CLOCK_SKEW_SECONDS = 60n;

export type InvalidFernetTokenReason =
  | "malformed" // not base64, wrong version byte or impossible length
  | "signature" // HMAC mismatch: wrong key or tampered token
  | "expired" // authentic, but older than ttlSeconds
  | "future" // authentic, but timestamped beyond the allowed clock skew
  | "decryption"; // authentic, but the ciphertext does not decrypt (a bug in whoever signed it)

const TOKEN_MESSAGES: Record<InvalidFernetTokenReason, string> = {
  malformed: "Fernet token is malformed",
  signature: "Fernet token signature does not match (wrong key or tampered token)",
  expired: "Fernet token has expired",
  future: "Fernet token timestamp is too far in the future",
  decryption: "Fernet token could not be decrypted",
};

/** Messages are fixed strings: a token may be attacker-supplied and plaintext is secret. */
export class InvalidFernetToken extends Error {
  override readonly name = "InvalidFernetToken";
  constructor(readonly reason: InvalidFernetTokenReason) {
    super(TOKEN_MESSAGES[reason]);
  }
}

/** Raised for unusable keys. Never carries the key, not even a fragment of it. */
export class InvalidFernetKey extends Error {
  override readonly name = "InvalidFernetKey";
}

const KEY_FORMAT = "expected 32 bytes encoded as URL-safe base64, as made by Fernet.generate_key()";

export function generateFernetKey(): string {
  return toPaddedBase64Url(randomBytes(32));
}

/**
 * Splits a comma-separated key list (e.g. ENCRYPTION_KEY="new,old") in rotation order: the first
 * key encrypts, every key decrypts. `name` only labels error messages.
 */
export function parseKeyList(envValue: string, name = "ENCRYPTION_KEY"): string[] {
  const keys = envValue
    .split(",")
    .map((k) => k.trim())
    .filter((k) => k !== "");
  if (keys.length === 0) {
    throw new InvalidFernetKey(`${name} contains no keys (${KEY_FORMAT})`);
  }
  keys.forEach((key, i) => {
    if (decodeKey(key) === null) {
      throw new InvalidFernetKey(`${name}: key ${i + 1} of ${keys.length} is invalid (${KEY_FORMAT})`);
    }
  });
  return keys;
}

export interface EncryptOptions {
  /** Token timestamp in Unix seconds; defaults to the current time. */
  now?: number;
  /** 16-byte IV; only for reproducible tests. A repeated IV under one key leaks plaintext equality. */
  iv?: Uint8Array;
}

export interface DecryptOptions {
  /** Reject tokens older than this many seconds (Python's `ttl`). */
  ttlSeconds?: number;
  /** "Current" time in Unix seconds for the ttl check; defaults to the clock. */
  now?: number;
}

export interface RotateOptions {
  /** 16-byte IV for the new token; only for reproducible tests. */
  iv?: Uint8Array;
}

export class Fernet {
  readonly #key: KeyPair;

  constructor(key: string) {
    this.#key = decodeKeyOrThrow(key, "Invalid Fernet key");
  }

  encrypt(plaintext: string | Uint8Array, opts: EncryptOptions = {}): string {
    return encryptWith(this.#key, plaintext, opts);
  }

  decrypt(token: string, opts: DecryptOptions = {}): Buffer {
    return decryptWith([this.#key], token, opts);
  }
}

export class MultiFernet {
  readonly #keys: readonly [KeyPair, ...KeyPair[]];

  /** keys[0] encrypts; all keys are tried, in order, to decrypt. */
  constructor(keys: readonly string[]) {
    const pairs = keys.map((key, i) => decodeKeyOrThrow(key, `Fernet key ${i + 1} of ${keys.length} is invalid`));
    const [first, ...rest] = pairs;
    if (first === undefined) throw new InvalidFernetKey("MultiFernet needs at least one key");
    this.#keys = [first, ...rest];
  }

  encrypt(plaintext: string | Uint8Array, opts: EncryptOptions = {}): string {
    return encryptWith(this.#keys[0], plaintext, opts);
  }

  decrypt(token: string, opts: DecryptOptions = {}): Buffer {
    return decryptWith(this.#keys, token, opts);
  }

  /**
   * Re-encrypts under the first key, keeping the original timestamp so a ttl still measures
   * the age of the secret rather than of the rotation (same as Python's MultiFernet.rotate).
   */
  rotate(token: string, opts: RotateOptions = {}): string {
    const parsed = parseToken(token);
    return this.#keys[0].seal(openWith(this.#keys, parsed), parsed.timestamp, checkIv(opts.iv));
  }
}

/** One decoded key. #private so key bytes never show up in console.log, util.inspect or JSON. */
class KeyPair {
  readonly #signingKey: Buffer;
  readonly #encryptionKey: Buffer;

  constructor(raw: Buffer) {
    this.#signingKey = raw.subarray(0, 16);
    this.#encryptionKey = raw.subarray(16);
  }

  seal(data: Uint8Array, timestamp: bigint, iv: Buffer): string {
    const cipher = createCipheriv("aes-128-cbc", this.#encryptionKey, iv); // PKCS7 is Node's default
    const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
    const header = Buffer.alloc(9);
    header[0] = VERSION;
    header.writeBigUInt64BE(timestamp, 1);
    const signed = Buffer.concat([header, iv, ciphertext]);
    return toPaddedBase64Url(Buffer.concat([signed, this.#sign(signed)]));
  }

  /** null when the HMAC does not verify, so the caller can try the next key. */
  open({ bytes }: ParsedToken): Buffer | null {
    const signed = bytes.subarray(0, bytes.length - HMAC_LEN);
    if (!timingSafeEqual(this.#sign(signed), bytes.subarray(bytes.length - HMAC_LEN))) return null;
    try {
      const decipher = createDecipheriv("aes-128-cbc", this.#encryptionKey, bytes.subarray(9, HEADER_LEN));
      return Buffer.concat([decipher.update(signed.subarray(HEADER_LEN)), decipher.final()]);
    } catch {
      // No `cause`: OpenSSL's error adds nothing actionable, and errors stay free of crypto detail.
      throw new InvalidFernetToken("decryption");
    }
  }

  #sign(data: Buffer): Buffer {
    return createHmac("sha256", this.#signingKey).update(data).digest();
  }
}

function encryptWith(key: KeyPair, plaintext: string | Uint8Array, opts: EncryptOptions): string {
  const data = typeof plaintext === "string" ? Buffer.from(plaintext, "utf8") : plaintext;
  const now = checkSeconds(opts.now, "now") ?? currentSeconds();
  return key.seal(data, BigInt(now), checkIv(opts.iv));
}

function decryptWith(keys: readonly KeyPair[], token: string, opts: DecryptOptions): Buffer {
  const parsed = parseToken(token);
  const plaintext = openWith(keys, parsed);
  // After the HMAC check, so "expired"/"future" are only ever reported for authentic tokens.
  checkTtl(parsed.timestamp, opts);
  return plaintext;
}

function openWith(keys: readonly KeyPair[], parsed: ParsedToken): Buffer {
  for (const key of keys) {
    const plaintext = key.open(parsed);
    if (plaintext !== null) return plaintext;
  }
  throw new InvalidFernetToken("signature");
}

interface ParsedToken {
  readonly bytes: Buffer;
  readonly timestamp: bigint;
}

function parseToken(token: string): ParsedToken {
  const bytes = typeof token === "string" ? decodeBase64Url(token) : null;
  if (
    bytes === null ||
    bytes.length < MIN_TOKEN_LEN ||
    (bytes.length - HEADER_LEN - HMAC_LEN) % BLOCK !== 0 ||
    bytes[0] !== VERSION
  ) {
    throw new InvalidFernetToken("malformed");
  }
  return { bytes, timestamp: bytes.readBigUInt64BE(1) };
}

function checkTtl(timestamp: bigint, opts: DecryptOptions): void {
  const ttl = checkSeconds(opts.ttlSeconds, "ttlSeconds");
  if (ttl === undefined) return;
  const now = BigInt(checkSeconds(opts.now, "now") ?? currentSeconds());
  if (timestamp + BigInt(ttl) < now) throw new InvalidFernetToken("expired");
  if (now + MAX_CLOCK_SKEW_SECONDS < timestamp) throw new InvalidFernetToken("future");
}

function decodeKey(key: string): Buffer | null {
  const raw = typeof key === "string" ? decodeBase64Url(key) : null;
  return raw !== null && raw.length === 32 ? raw : null;
}

function decodeKeyOrThrow(key: string, message: string): KeyPair {
  const raw = decodeKey(key);
  if (raw === null) throw new InvalidFernetKey(`${message} (${KEY_FORMAT})`);
  return new KeyPair(raw);
}

/**
 * Strict, canonical URL-safe base64 with optional padding. Node's own decoder skips junk
 * characters and ignores stray trailing bits, which would let different strings decode to the
 * same key or token; reject those instead.
 */
function decodeBase64Url(input: string): Buffer | null {
  const match = /^([A-Za-z0-9_-]*)(={0,2})$/.exec(input);
  const body = match?.[1];
  const padding = match?.[2];
  if (body === undefined || padding === undefined) return null;
  const rem = body.length % 4;
  if (rem === 1) return null;
  if (padding !== "" && padding.length !== (4 - rem) % 4) return null;
  const bytes = Buffer.from(body, "base64url");
  return bytes.toString("base64url") === body ? bytes : null;
}

// Python's urlsafe_b64decode insists on padding, and Node's base64url omits it.
function toPaddedBase64Url(bytes: Buffer): string {
  const unpadded = bytes.toString("base64url");
  return unpadded + "=".repeat((4 - (unpadded.length % 4)) % 4);
}

function currentSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function checkSeconds(value: number | undefined, name: string): number | undefined {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
    throw new RangeError(`${name} must be a non-negative integer number of seconds`);
  }
  return value;
}

function checkIv(iv: Uint8Array | undefined): Buffer {
  if (iv === undefined) return randomBytes(16);
  if (iv.length !== 16) throw new RangeError("iv must be exactly 16 bytes");
  return Buffer.from(iv);
}
