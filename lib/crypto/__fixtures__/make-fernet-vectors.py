#!/usr/bin/env python3
"""Regenerates fernet-vectors.json, the Python-compatibility fixtures for lib/crypto/fernet.ts.

    python3 lib/crypto/__fixtures__/make-fernet-vectors.py > lib/crypto/__fixtures__/fernet-vectors.json

Needs `cryptography` (made with 48.0.0). The output is deterministic (fixed keys, IVs and
timestamps) so a rerun should produce an identical file; a diff means Python changed behaviour.
All keys here are throwaway test keys and the bot token is fake.

The private `Fernet._encrypt_from_parts(data, current_time, iv)` is used because the public
API draws a random IV, and byte-for-byte comparison needs a fixed one.
"""

import base64
import hashlib
import hmac
import json
import sys
from unittest import mock

import cryptography
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

KEY_A = base64.urlsafe_b64encode(bytes(range(32))).decode()
KEY_B = base64.urlsafe_b64encode(hashlib.sha256(b"leadgram fernet test key B").digest()).decode()
KEY_C = base64.urlsafe_b64encode(hashlib.sha256(b"leadgram fernet test key C").digest()).decode()
# From the Fernet spec (github.com/fernet/spec, generate.json / verify.json).
SPEC_KEY = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4="
SPEC_TOKEN = (
    "gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA=="
)
FAKE_BOT_TOKEN = "7311594201:AAHk3vQx9ZbT1mN0pLrS8uWyXcE5fGhDg0o"


def iv_for(name: str) -> bytes:
    return hashlib.sha256(b"iv:" + name.encode()).digest()[:16]


def plaintext_fields(data: bytes) -> dict:
    try:
        utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    return {"plaintext_utf8": utf8, "plaintext_hex": data.hex()}


def expect_invalid(keys: list, token: str, ttl=None, now=None) -> None:
    f = MultiFernet([Fernet(k) for k in keys])
    try:
        if ttl is None:
            f.decrypt(token)
        else:
            f.decrypt_at_time(token, ttl, now)
    except InvalidToken:
        return
    raise AssertionError("Python accepted a token expected to be invalid: " + token)


def raw_token(key: str, body_after_header: bytes, timestamp: int, iv: bytes) -> str:
    """Builds a correctly signed token around an arbitrary ciphertext, to reach the
    checks that run only after the HMAC has verified."""
    k = base64.urlsafe_b64decode(key)
    parts = b"\x80" + timestamp.to_bytes(8, "big") + iv + body_after_header
    return base64.urlsafe_b64encode(parts + hmac.new(k[:16], parts, "sha256").digest()).decode()


def flip(token: str, index: int) -> str:
    data = bytearray(base64.urlsafe_b64decode(token))
    data[index] ^= 0x01
    return base64.urlsafe_b64encode(bytes(data)).decode()


def main() -> None:
    # Spec vector: proves this Python agrees with the independent reference before we trust it.
    spec = Fernet(SPEC_KEY)._encrypt_from_parts(b"hello", 499162800, bytes(range(16))).decode()
    assert spec == SPEC_TOKEN, spec
    assert Fernet(SPEC_KEY).decrypt_at_time(SPEC_TOKEN, 60, 499162801) == b"hello"

    cases = [
        ("telegram bot token", KEY_A, FAKE_BOT_TOKEN.encode(), 1735689600),
        ("empty", KEY_A, b"", 1735689600),
        ("unicode", KEY_B, "Привет, мир! 👋 café — 日本語".encode(), 1700000000),
        ("15 bytes", KEY_A, b"x" * 15, 1700000001),
        ("16 bytes (full padding block)", KEY_A, b"y" * 16, 1700000002),
        ("17 bytes", KEY_B, b"z" * 17, 1700000003),
        ("binary 0..255", KEY_C, bytes(range(256)), 1700000004),
        ("1000 bytes", KEY_C, (b"leadgram " * 112)[:1000], 1700000005),
        ("timestamp zero", KEY_B, b"epoch", 0),
        ("timestamp 2^53-1", KEY_C, b"far future", 2**53 - 1),
    ]
    encrypt = []
    for name, key, data, ts in cases:
        iv = iv_for(name)
        token = Fernet(key)._encrypt_from_parts(data, ts, iv).decode()
        assert Fernet(key).decrypt(token) == data
        encrypt.append({"name": name, "key": key, "timestamp": ts, "iv_hex": iv.hex(),
                        **plaintext_fields(data), "token": token})
    encrypt.append({"name": "fernet spec generate.json", "key": SPEC_KEY, "timestamp": 499162800,
                    "iv_hex": bytes(range(16)).hex(), **plaintext_fields(b"hello"), "token": SPEC_TOKEN})

    # Rotation: Python's MultiFernet.rotate with os.urandom pinned so the result is reproducible.
    old_token = Fernet(KEY_B)._encrypt_from_parts(FAKE_BOT_TOKEN.encode(), 1600000000, iv_for("old")).decode()
    rotate_iv = iv_for("rotate")
    with mock.patch("os.urandom", return_value=rotate_iv):
        rotated = MultiFernet([Fernet(KEY_A), Fernet(KEY_B)]).rotate(old_token).decode()
    assert Fernet(KEY_A).decrypt(rotated) == FAKE_BOT_TOKEN.encode()
    rotate = {"keys": [KEY_A, KEY_B], "token": old_token, "timestamp": 1600000000,
              "iv_hex": rotate_iv.hex(), **plaintext_fields(FAKE_BOT_TOKEN.encode()), "rotated": rotated}

    base = encrypt[0]["token"]  # telegram bot token under KEY_A, 73+ bytes
    n = len(base64.urlsafe_b64decode(base))
    iv = iv_for("raw")
    enc = Cipher(algorithms.AES(base64.urlsafe_b64decode(KEY_A)[16:]), modes.CBC(iv)).encryptor()
    bad_padding_ct = enc.update(b"A" * 16) + enc.finalize()  # decrypts to a block ending in 0x41
    invalid = [
        ("wrong key", [KEY_B], base),
        ("flipped version byte", [KEY_A], flip(base, 0)),
        ("flipped timestamp", [KEY_A], flip(base, 5)),
        ("flipped iv", [KEY_A], flip(base, 12)),
        ("flipped ciphertext", [KEY_A], flip(base, 30)),
        ("flipped hmac", [KEY_A], flip(base, n - 1)),
        ("truncated by one byte",  [KEY_A], base64.urlsafe_b64encode(base64.urlsafe_b64decode(base)[:-1]).decode()),
        ("header only", [KEY_A], base64.urlsafe_b64encode(base64.urlsafe_b64decode(base)[:9]).decode()),
        ("empty string", [KEY_A], ""),
        ("not base64", [KEY_A], "this is not a fernet token!"),
        ("signed but ciphertext not a block multiple", [KEY_A], raw_token(KEY_A, b"\x00" * 15, 1700000000, iv)),
        ("signed but no ciphertext", [KEY_A], raw_token(KEY_A, b"", 1700000000, iv)),
        ("signed but bad PKCS7 padding", [KEY_A], raw_token(KEY_A, bad_padding_ct, 1700000000, iv)),
    ]
    for _, keys, token in invalid:
        expect_invalid(keys, token)

    # TTL, with the spec token (timestamp 499162800) and Python's 60 s clock-skew allowance.
    ttl = [
        {"name": "within ttl", "ttl": 60, "now": 499162801, "valid": True},
        {"name": "exactly at ttl", "ttl": 60, "now": 499162860, "valid": True},
        {"name": "one second past ttl", "ttl": 60, "now": 499162861, "valid": False},
        {"name": "issued 60 s in the future", "ttl": 60, "now": 499162740, "valid": True},
        {"name": "issued 61 s in the future", "ttl": 60, "now": 499162739, "valid": False},
        {"name": "ttl zero, same second", "ttl": 0, "now": 499162800, "valid": True},
    ]
    for case in ttl:
        if case["valid"]:
            assert Fernet(SPEC_KEY).decrypt_at_time(SPEC_TOKEN, case["ttl"], case["now"]) == b"hello"
        else:
            expect_invalid([SPEC_KEY], SPEC_TOKEN, case["ttl"], case["now"])

    out = {
        "_comment": "Generated by make-fernet-vectors.py; do not edit by hand. Test keys only.",
        "cryptography_version": cryptography.__version__,
        "encrypt": encrypt,
        "rotate": rotate,
        "invalid": [{"name": name, "keys": keys, "token": token} for name, keys, token in invalid],
        "ttl": {"key": SPEC_KEY, "token": SPEC_TOKEN, "plaintext_utf8": "hello", "cases": ttl},
    }
    json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
