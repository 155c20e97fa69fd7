#!/usr/bin/env python3
"""TOTP (RFC 6238, HMAC-SHA1) for the tests, written from the RFC alone.

  totp.py SECRET_BASE32 [STEPS]  the 6-digit code for now + STEPS * 30 s
  totp.py --selftest             checks RFC 6238's published SHA-1 vectors
                                 (appendix B); exits 1 if any differs
"""
import base64
import hashlib
import hmac
import struct
import sys
import time


def hotp(key, counter, digits):
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10 ** digits).zfill(digits)


def totp(key, now, digits=6, step=30):
    return hotp(key, int(now) // step, digits)


def selftest():
    key = b"12345678901234567890"
    vectors = [(59, "94287082"), (1111111109, "07081804"), (1111111111, "14050471"),
               (1234567890, "89005924"), (2000000000, "69279037"), (20000000000, "65353130")]
    bad = [(t, want, totp(key, t, 8)) for t, want in vectors if totp(key, t, 8) != want]
    for t, want, got in bad:
        print(f"T={t}: got {got}, want {want}")
    return 1 if bad else 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--selftest"]:
        sys.exit(selftest())
    secret = sys.argv[1].upper()
    secret += "=" * (-len(secret) % 8)
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    print(totp(base64.b32decode(secret), time.time() + steps * 30))
