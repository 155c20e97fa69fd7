/*
 * token.c - one-time form tokens (see token.h).
 *
 * The MAC (HMAC-SHA-512-256, cut to 16 bytes) covers a fixed label, the
 * survey id with its NUL, then the nonce and the day.  The label keeps these
 * MACs apart from anything else signed with the same key (staff cookies), and
 * its version number changed when the survey id joined: tokens from an older
 * server fail like forged ones, and the respondent is asked to send again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "files.h"
#include "token.h"

#define TOKEN_BODY (TOKEN_NONCE + 4)
#define TOKEN_MAC 16
#define TOKEN_LABEL "youthvoice form token 2"  /* with its NUL */

_Static_assert(crypto_auth_KEYBYTES == crypto_auth_hmacsha512256_KEYBYTES,
	       "crypto_auth is HMAC-SHA-512-256");

static void mac(const struct token_key *key, const char *survey,
		const unsigned char body[TOKEN_BODY], unsigned char out[TOKEN_MAC])
{
	crypto_auth_hmacsha512256_state st;
	unsigned char full[crypto_auth_hmacsha512256_BYTES];

	crypto_auth_hmacsha512256_init(&st, key->k, sizeof key->k);
	crypto_auth_hmacsha512256_update(&st, (const unsigned char *)TOKEN_LABEL,
					 sizeof TOKEN_LABEL);
	crypto_auth_hmacsha512256_update(&st, (const unsigned char *)survey, strlen(survey) + 1);
	crypto_auth_hmacsha512256_update(&st, body, TOKEN_BODY);
	crypto_auth_hmacsha512256_final(&st, full);
	memcpy(out, full, TOKEN_MAC);
	sodium_memzero(&st, sizeof st);
}

enum sv_err token_key_load(const char *data_dir, struct token_key *out)
{
	char path[4096];
	char *text = NULL;
	size_t len;

	if ((size_t)snprintf(path, sizeof path, "%s/%s", data_dir, TOKEN_FILE) >= sizeof path)
		return SV_ERR_TOOBIG;
	enum sv_err rc = files_read_all(path, 256, &text, &len);
	if (rc == SV_ERR_NOTFOUND) {
		/* Several servers may share the data folder and start together:
		 * the first key written is everyone's (files_write_new never
		 * replaces), so the others read it below. */
		char hex[sizeof out->k * 2 + 2];
		crypto_auth_keygen(out->k);
		sodium_bin2hex(hex, sizeof hex - 1, out->k, sizeof out->k);
		size_t hexlen = strlen(hex);
		hex[hexlen++] = '\n';
		rc = files_write_new(path, hex, hexlen, 0600);
		sodium_memzero(hex, sizeof hex);
		if (rc != SV_ERR_EXISTS)
			return rc;
		rc = files_read_all(path, 256, &text, &len);
	}
	if (rc)
		return rc;
	size_t got = 0;
	if (sodium_hex2bin(out->k, sizeof out->k, text, len, "\n", &got, NULL) != 0 ||
	    got != sizeof out->k)
		rc = SV_ERR_INVALID;
	sodium_memzero(text, len);
	free(text);
	return rc;
}

long token_today(void)
{
	return (long)(time(NULL) / 86400);
}

void token_issue(const struct token_key *key, const char *survey, long today,
		 char out[TOKEN_LEN + 1])
{
	unsigned char raw[TOKEN_BODY + TOKEN_MAC];
	unsigned long day = (unsigned long)today;

	randombytes_buf(raw, TOKEN_NONCE);
	for (int i = 0; i < 4; i++)
		raw[TOKEN_NONCE + i] = (unsigned char)(day >> (8 * (3 - i)));
	mac(key, survey, raw, raw + TOKEN_BODY);
	sodium_bin2hex(out, TOKEN_LEN + 1, raw, sizeof raw);
}

enum sv_err token_check(const struct token_key *key, const char *survey,
			const char *token, size_t n, long today,
			char id[TOKEN_ID_LEN + 1])
{
	unsigned char raw[TOKEN_BODY + TOKEN_MAC], want[TOKEN_MAC];
	size_t got = 0;

	if (n != TOKEN_LEN ||
	    sodium_hex2bin(raw, sizeof raw, token, n, NULL, &got, NULL) != 0 || got != sizeof raw)
		return SV_ERR_INVALID;
	mac(key, survey, raw, want);
	if (sodium_memcmp(want, raw + TOKEN_BODY, TOKEN_MAC) != 0)
		return SV_ERR_INVALID;
	long day = 0;
	for (int i = 0; i < 4; i++)
		day = (day << 8) | raw[TOKEN_NONCE + i];
	if (day > today || today - day > TOKEN_VALID_DAYS)
		return SV_ERR_INVALID;
	sodium_bin2hex(id, TOKEN_ID_LEN + 1, raw, TOKEN_NONCE);
	return SV_OK;
}
