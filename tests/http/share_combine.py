#!/usr/bin/env python3
"""share_combine.py - rebuilds a secret from youthvoice key shares without the
server's code, for tests/http/test_keys.sh: reads share files (a label line
and 26 groups of 4 hex digits), interpolates each byte at x = 0 in GF(2^8)
(the field libgfshare uses, reduced by x^8 + x^4 + x^3 + x^2 + 1) and prints
the secret in hex.  With one share it prints that share's own bytes, which
is what interpolation through a single point gives.

Usage: share_combine.py SHARE_FILE...
"""
import sys


def mul(a, b):
    r = 0
    while b:
        if b & 1:
            r ^= a
        a <<= 1
        if a & 0x100:
            a ^= 0x11d
        b >>= 1
    return r


def inv(a):
    # a^254 = a^-1 in GF(2^8)
    r, e = 1, 254
    while e:
        if e & 1:
            r = mul(r, a)
        a = mul(a, a)
        e >>= 1
    return r


def read(path):
    digits = ''
    for line in open(path, encoding='ascii'):
        if line.startswith('youthvoice') or line.startswith('#'):
            continue
        digits += ''.join(c for c in line if c in '0123456789abcdefABCDEF')
    b = bytes.fromhex(digits)
    return b[15], b[16:48]          # its number (x) and the share (y)


points = [read(p) for p in sys.argv[1:]]
secret = bytearray(32)
for i, (xi, yi) in enumerate(points):
    # Lagrange basis at 0: prod over j != i of xj / (xj - xi); minus is xor.
    li = 1
    for j, (xj, _) in enumerate(points):
        if j != i:
            li = mul(li, mul(xj, inv(xj ^ xi)))
    for k in range(32):
        secret[k] ^= mul(li, yi[k])
print(secret.hex())
