/*
 * shares.h - recovery shares: a secret key split k of n (Shamir's scheme
 * over GF(2^8), libgfshare), and the text a share is handed over as.
 *
 * Any k shares of a set rebuild the secret; fewer tell nothing about it
 * (each byte of a share is a point on a random polynomial whose constant
 * term is the secret's byte: k-1 points fit every constant equally).
 * A share's text carries what recovery needs besides the k points: the
 * key it belongs to, the set it came from (a new split makes a new set,
 * which does not mix with an old one), k, n and its own number, and a
 * checksum, so that a typo is caught before any arithmetic:
 *
 *   youthvoice key share 2 of 3 for key 3f2a9c0d11223344 (any 2 recover it)
 *   0102 3f2a 9c0d 1122 3344 8e41 07aa 0203 0291 ...   (26 groups of 4 hex)
 *
 * Bytes: version 1, key id (8), set (4), k, n, number, the share (32),
 * then the first 4 bytes of BLAKE2b of all before.  Reading ignores case,
 * spaces and dashes, and lines starting with "youthvoice" or "#".
 *
 * This module is pure: no files, no terminal.  Where a share goes (a
 * terminal, a file outside the data folder) is the caller's.
 */
#ifndef SV_SHARES_H
#define SV_SHARES_H

#include <stddef.h>

#include "err.h"

#define SHARES_SECRET_LEN 32     /* bytes of the secret split (an X25519 secret key) */
#define SHARES_MIN_K 2           /* k of 1 would make each share the secret */
#define SHARES_MAX_N 9           /* shares in one set, at most */
#define SHARES_TEXT_MAX 512      /* the text of one share, with its label line */

struct share {
	unsigned char key_id[8];               /* the key's id, as bytes */
	unsigned char set[4];                  /* random, the same for a set's shares */
	unsigned char k, n, x;                 /* needed, made, this one's number 1..n */
	unsigned char y[SHARES_SECRET_LEN];    /* the share proper */
};

/*
 * Splits secret into n shares of which any k rebuild it, for the key whose
 * hex id is key_id, into out[0..n-1] (numbered 1..n, one new set).
 * SV_ERR_INVALID unless SHARES_MIN_K <= k <= n <= SHARES_MAX_N and key_id
 * is 16 hex digits.  Wipe out with shares_wipe when done.
 */
enum sv_err shares_split(const unsigned char secret[SHARES_SECRET_LEN], const char *key_id,
			 int n, int k, struct share *out /* OUT: n of them */);

/*
 * Rebuilds the secret from count shares.  SV_ERR_INVALID, with *why saying
 * what is wrong in a few words (static text), when they are of different
 * keys or sets, repeat a number, or are fewer than their k; then nothing
 * is written to secret.
 */
enum sv_err shares_combine(const struct share *in, int count,
			   unsigned char secret[SHARES_SECRET_LEN] /* OUT */,
			   const char **why /* OUT */);

/* The share's text (label line, then two lines of hex groups), NUL-ended,
 * into out of cap bytes (SHARES_TEXT_MAX is enough). */
void share_format(const struct share *s, char *out, size_t cap);

/* Reads a share's text (len bytes, NUL not needed).  SV_ERR_INVALID when
 * it is not a share's text (other characters, too few or many digits, an
 * unknown version, numbers out of range); SV_ERR_CRYPTO when its checksum
 * does not match (a typo). */
enum sv_err share_parse(const char *text, size_t len, struct share *out /* OUT */);

/* The hex id of the key a share belongs to. */
void share_key_id(const struct share *s, char out[17] /* OUT */);

/* Wipes count shares. */
void shares_wipe(struct share *s, int count);

#endif
