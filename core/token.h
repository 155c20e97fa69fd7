/*
 * token.h - one-time form tokens, so that a double tap, a refresh or a
 * back-and-resubmit stores one response, not two.
 *
 * A token is issued with each blank form: a random nonce and the day it was
 * issued, signed with a key kept in the data folder together with the id of
 * the survey it was issued for, so a token taken from one survey's form is
 * refused by every other survey (the id is signed, not carried: the URL
 * names the survey).  The server keeps no
 * record of issued tokens; it records a token's nonce only when a response
 * using it is stored (core/store), and a second use is a replay.  A token is
 * good for TOKEN_VALID_DAYS after the day it was issued, so the record of
 * used nonces can be pruned.  Tokens say nothing about who holds them.
 */
#ifndef SV_TOKEN_H
#define SV_TOKEN_H

#include <stddef.h>

#include <sodium.h>

#include "err.h"

#define TOKEN_FILE "form-token.key"  /* in the data folder */
#define TOKEN_NONCE 16               /* random bytes */
#define TOKEN_LEN ((TOKEN_NONCE + 4 + 16) * 2) /* hex: nonce, day, MAC */
#define TOKEN_ID_LEN (TOKEN_NONCE * 2)  /* hex nonce, what gets recorded */
#define TOKEN_VALID_DAYS 2

struct token_key {
	unsigned char k[crypto_auth_KEYBYTES];
};

/* Loads DATA/form-token.key, making it on first use. */
enum sv_err token_key_load(const char *data_dir, struct token_key *out /* OUT */);

/* Days since 1970-01-01 (UTC) for today. */
long token_today(void);

/* Writes a fresh token for the survey with this id (NUL-ended), NUL-ended. */
void token_issue(const struct token_key *key, const char *survey, long today,
		 char out[TOKEN_LEN + 1]);

/*
 * Checks a token sent back (n bytes, untrusted) to the survey with this id.
 * On success id receives the hex nonce to record.  SV_ERR_INVALID if
 * malformed, forged, expired or issued for another survey (or by a server
 * from before tokens named their survey).
 */
enum sv_err token_check(const struct token_key *key, const char *survey,
			const char *token, size_t n, long today,
			char id[TOKEN_ID_LEN + 1] /* OUT */);

#endif
