/*
 * totp.c - TOTP codes with liboath, the sealed secret and recovery codes
 * (see totp.h).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <liboath/oath.h>

#include "totp.h"

#define TOTP_KDF_ID 1               /* subkey number under the form-token key */
#define TOTP_KDF_CONTEXT "accounts" /* crypto_kdf context: 8 bytes */
#define TOTP_WINDOW 1               /* steps accepted either side of now */

static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";

int totp_init(void)
{
	return oath_init() == OATH_OK ? 0 : -1;
}

void totp_done(void)
{
	oath_done();
}

void totp_key_derive(const struct token_key *from, struct totp_key *out)
{
	_Static_assert(sizeof from->k == crypto_kdf_KEYBYTES, "the form-token key is a KDF key");
	crypto_kdf_derive_from_key(out->k, sizeof out->k, TOTP_KDF_ID, TOTP_KDF_CONTEXT, from->k);
}

void totp_secret_new(unsigned char secret[TOTP_SECRET_BYTES])
{
	randombytes_buf(secret, TOTP_SECRET_BYTES);
}

/* RFC 4648 base32 of n bytes (n a multiple of 5), upper case, NUL-ended. */
static void base32(const unsigned char *in, size_t n, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i + 5 <= n; i += 5) {
		unsigned long long v = 0;
		for (int j = 0; j < 5; j++)
			v = v << 8 | in[i + (size_t)j];
		for (int j = 7; j >= 0; j--)
			out[o++] = (char)toupper((unsigned char)alphabet[(v >> (5 * j)) & 31]);
	}
	out[o] = '\0';
}

void totp_base32(const unsigned char secret[TOTP_SECRET_BYTES], char out[TOTP_BASE32_LEN + 1])
{
	_Static_assert(TOTP_SECRET_BYTES % 5 == 0 && TOTP_SECRET_BYTES / 5 * 8 == TOTP_BASE32_LEN,
		       "a secret is whole base32 groups");
	base32(secret, TOTP_SECRET_BYTES, out);
}

void totp_seal(const struct totp_key *key, const unsigned char secret[TOTP_SECRET_BYTES],
	       unsigned char out[TOTP_SEALED])
{
	randombytes_buf(out, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, secret, TOTP_SECRET_BYTES, out, key->k);
}

enum sv_err totp_open(const struct totp_key *key, const unsigned char *sealed, size_t n,
		      unsigned char secret[TOTP_SECRET_BYTES])
{
	if (n != TOTP_SEALED ||
	    crypto_secretbox_open_easy(secret, sealed + crypto_secretbox_NONCEBYTES,
				       n - crypto_secretbox_NONCEBYTES, sealed, key->k) != 0)
		return SV_ERR_CRYPTO;
	return SV_OK;
}

enum sv_err totp_check(const unsigned char secret[TOTP_SECRET_BYTES], const char *code, size_t n,
		       long long now, long long *step)
{
	char digits[TOTP_DIGITS + 1];
	size_t d = 0;
	uint64_t counter = 0;
	int pos = 0;

	*step = 0;
	for (size_t i = 0; i < n; i++) {
		if (code[i] == ' ')
			continue;
		if (code[i] < '0' || code[i] > '9' || d >= TOTP_DIGITS)
			return SV_ERR_INVALID;
		digits[d++] = code[i];
	}
	if (d != TOTP_DIGITS)
		return SV_ERR_INVALID;
	digits[d] = '\0';
	int r = oath_totp_validate3((const char *)secret, TOTP_SECRET_BYTES, (time_t)now, TOTP_STEP, 0,
				    TOTP_WINDOW, &pos, &counter, digits);
	if (r < 0)
		return SV_ERR_INVALID;
	*step = (long long)counter;
	return SV_OK;
}

void totp_recovery_new(char out[TOTP_RECOVERY_LEN + 1])
{
	for (int i = 0, o = 0; i < 10; i++) {
		if (i == 5)
			out[o++] = '-';
		out[o++] = alphabet[randombytes_uniform(32)];
		out[o] = '\0';
	}
}

enum sv_err totp_recovery_hash(const struct totp_key *key, const char *code, size_t n, char out[65])
{
	char plain[10];
	size_t d = 0;
	unsigned char h[32];

	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char c = (char)tolower((unsigned char)code[i]);
		if (c == ' ' || c == '-')
			continue;
		if (d >= sizeof plain || !c || !strchr(alphabet, c))
			return SV_ERR_INVALID;
		plain[d++] = c;
	}
	if (d != sizeof plain)
		return SV_ERR_INVALID;
	crypto_generichash(h, sizeof h, (const unsigned char *)plain, sizeof plain, key->k, sizeof key->k);
	sodium_bin2hex(out, 65, h, sizeof h);
	sodium_memzero(plain, sizeof plain);
	return SV_OK;
}

/* Percent-encodes s for a URI path or query. */
static void add_uri_text(struct sbuf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || c == '-' || c == '.' || c == '_')
			sbuf_add(b, s, 1);
		else
			sbuf_addf(b, "%%%02X", c);
	}
}

void totp_uri(struct sbuf *b, const char *name, const char secret32[TOTP_BASE32_LEN + 1])
{
	sbuf_adds(b, "otpauth://totp/Your%20voice:");
	add_uri_text(b, name);
	sbuf_adds(b, "?secret=");
	sbuf_adds(b, secret32);
	sbuf_adds(b, "&issuer=Your%20voice&digits=6&period=30");
}
