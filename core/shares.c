/*
 * shares.c - recovery shares over libgfshare (see shares.h).
 *
 * libgfshare does the arithmetic: an encoder is given the secret and the
 * shares' numbers (the x of each point), picks the random coefficients
 * itself through gfshare_fill_rand, which we point at libsodium's
 * randombytes_buf (it is NULL until set, and the library's own fallback is
 * random(3)); a decoder is given k points and interpolates at x = 0.  Its
 * contexts overwrite their buffers with random bytes when freed.  What is
 * ours: the checks before, so that a wrong set fails with a reason instead
 * of yielding a wrong key, and the text with its checksum.
 */
#include <stdio.h>
#include <string.h>

#include <libgfshare.h>
#include <sodium.h>

#include "parse.h"
#include "shares.h"

#define SHARE_VERSION 1
#define SHARE_BYTES (1 + 8 + 4 + 3 + SHARES_SECRET_LEN + 4)  /* 52 */
#define SHARE_SUM 4                                           /* checksum bytes */

static void fill_random(unsigned char *buf, unsigned int n)
{
	randombytes_buf(buf, n);
}

enum sv_err shares_split(const unsigned char secret[SHARES_SECRET_LEN], const char *key_id,
			 int n, int k, struct share *out)
{
	unsigned char numbers[SHARES_MAX_N], set[4], id[8];
	unsigned char *copy;
	size_t got = 0;

	if (k < SHARES_MIN_K || n < k || n > SHARES_MAX_N || strlen(key_id) != 16 ||
	    sodium_hex2bin(id, sizeof id, key_id, 16, NULL, &got, NULL) != 0 || got != sizeof id)
		return SV_ERR_INVALID;
	/* The library reads the secret from a buffer it may not keep const. */
	copy = sodium_malloc(SHARES_SECRET_LEN);
	if (!copy)
		return SV_ERR_NOMEM;
	gfshare_fill_rand = fill_random;
	for (int i = 0; i < n; i++)
		numbers[i] = (unsigned char)(i + 1);   /* x = 0 would be the secret itself */
	gfshare_ctx *g = gfshare_ctx_init_enc(numbers, (unsigned)n, (unsigned char)k, SHARES_SECRET_LEN);
	if (!g) {
		sodium_free(copy);
		return SV_ERR_NOMEM;
	}
	memcpy(copy, secret, SHARES_SECRET_LEN);
	gfshare_ctx_enc_setsecret(g, copy);
	randombytes_buf(set, sizeof set);
	for (int i = 0; i < n; i++) {
		memcpy(out[i].key_id, id, sizeof id);
		memcpy(out[i].set, set, sizeof set);
		out[i].k = (unsigned char)k;
		out[i].n = (unsigned char)n;
		out[i].x = numbers[i];
		gfshare_ctx_enc_getshare(g, (unsigned char)i, out[i].y);
	}
	gfshare_ctx_free(g);
	sodium_free(copy);
	return SV_OK;
}

enum sv_err shares_combine(const struct share *in, int count, unsigned char secret[SHARES_SECRET_LEN],
			   const char **why)
{
	unsigned char numbers[SHARES_MAX_N], y[SHARES_SECRET_LEN];

	*why = NULL;
	if (count < 1) {
		*why = "no share given";
		return SV_ERR_INVALID;
	}
	for (int i = 1; i < count; i++) {
		if (memcmp(in[i].key_id, in[0].key_id, sizeof in[0].key_id) != 0) {
			*why = "the shares belong to different keys";
			return SV_ERR_INVALID;
		}
		if (memcmp(in[i].set, in[0].set, sizeof in[0].set) != 0 || in[i].k != in[0].k ||
		    in[i].n != in[0].n) {
			*why = "the shares come from different splits of the key (each split is a new set)";
			return SV_ERR_INVALID;
		}
		for (int j = 0; j < i; j++)
			if (in[j].x == in[i].x) {
				*why = "the same share was given twice";
				return SV_ERR_INVALID;
			}
	}
	int k = in[0].k;
	if (k < SHARES_MIN_K || k > SHARES_MAX_N) {
		*why = "the shares are not of a known kind";
		return SV_ERR_INVALID;
	}
	if (count < k) {
		*why = "too few shares for this set";
		return SV_ERR_INVALID;
	}
	/* Exactly k points: more add nothing to a polynomial of degree k-1. */
	for (int i = 0; i < k; i++)
		numbers[i] = in[i].x;
	gfshare_fill_rand = fill_random;   /* what the decoder wipes with */
	gfshare_ctx *g = gfshare_ctx_init_dec(numbers, (unsigned)k, SHARES_SECRET_LEN);
	if (!g)
		return SV_ERR_NOMEM;
	for (int i = 0; i < k; i++) {
		memcpy(y, in[i].y, sizeof y);   /* the library takes a non-const buffer */
		gfshare_ctx_dec_giveshare(g, (unsigned char)i, y);
	}
	sodium_memzero(y, sizeof y);
	gfshare_ctx_dec_extract(g, secret);
	gfshare_ctx_free(g);
	return SV_OK;
}

/* The share as its bytes, checksum last. */
static void share_bytes(const struct share *s, unsigned char b[SHARE_BYTES])
{
	unsigned char sum[crypto_generichash_BYTES_MIN];

	b[0] = SHARE_VERSION;
	memcpy(b + 1, s->key_id, 8);
	memcpy(b + 9, s->set, 4);
	b[13] = s->k;
	b[14] = s->n;
	b[15] = s->x;
	memcpy(b + 16, s->y, SHARES_SECRET_LEN);
	crypto_generichash(sum, sizeof sum, b, SHARE_BYTES - SHARE_SUM, NULL, 0);
	memcpy(b + SHARE_BYTES - SHARE_SUM, sum, SHARE_SUM);
}

void share_key_id(const struct share *s, char out[17])
{
	sodium_bin2hex(out, 17, s->key_id, sizeof s->key_id);
}

void share_format(const struct share *s, char *out, size_t cap)
{
	unsigned char b[SHARE_BYTES];
	char id[17];
	size_t at;

	share_key_id(s, id);
	share_bytes(s, b);
	int n = snprintf(out, cap, "youthvoice key share %d of %d for key %s (any %d recover it)\n",
			 s->x, s->n, id, s->k);
	at = n < 0 ? cap : (size_t)n;
	/* 26 groups of 4 hex digits, 13 to a line. */
	for (int i = 0; i < SHARE_BYTES && at + 6 < cap; i += 2) {
		static const char hex[] = "0123456789abcdef";
		out[at++] = hex[b[i] >> 4];
		out[at++] = hex[b[i] & 15];
		out[at++] = hex[b[i + 1] >> 4];
		out[at++] = hex[b[i + 1] & 15];
		out[at++] = (i / 2) % 13 == 12 ? '\n' : ' ';
	}
	if (at < cap)
		out[at] = '\0';
	else if (cap)
		out[cap - 1] = '\0';
	sodium_memzero(b, sizeof b);
}

enum sv_err share_parse(const char *text, size_t len, struct share *out)
{
	unsigned char b[SHARE_BYTES], sum[crypto_generichash_BYTES_MIN];
	size_t digits = 0, i = 0;
	enum sv_err rc = SV_ERR_INVALID;

	memset(b, 0, sizeof b);
	while (i < len) {
		size_t end = i;
		while (end < len && text[end] != '\n')
			end++;
		int skip = (end - i >= 10 && strncmp(text + i, "youthvoice", 10) == 0) ||
			   (end > i && text[i] == '#');
		for (size_t j = i; j < end && !skip; j++) {
			int v = parse_hex_digit((unsigned char)text[j]);
			if (v < 0 && !strchr(" \t\r-", text[j]))
				goto out;   /* not a share's text */
			if (v < 0)
				continue;
			if (digits >= 2 * SHARE_BYTES)
				goto out;   /* too long */
			b[digits / 2] = (unsigned char)(b[digits / 2] | (digits % 2 ? v : v << 4));
			digits++;
		}
		i = end + 1;
	}
	if (digits != 2 * SHARE_BYTES || b[0] != SHARE_VERSION)
		goto out;
	crypto_generichash(sum, sizeof sum, b, SHARE_BYTES - SHARE_SUM, NULL, 0);
	if (sodium_memcmp(sum, b + SHARE_BYTES - SHARE_SUM, SHARE_SUM) != 0) {
		rc = SV_ERR_CRYPTO;  /* a digit mistyped, or two swapped */
		goto out;
	}
	if (b[13] < SHARES_MIN_K || b[14] < b[13] || b[14] > SHARES_MAX_N || b[15] < 1 || b[15] > b[14])
		goto out;
	memcpy(out->key_id, b + 1, 8);
	memcpy(out->set, b + 9, 4);
	out->k = b[13];
	out->n = b[14];
	out->x = b[15];
	memcpy(out->y, b + 16, SHARES_SECRET_LEN);
	rc = SV_OK;
out:
	sodium_memzero(b, sizeof b);
	return rc;
}

void shares_wipe(struct share *s, int count)
{
	if (s && count > 0)
		sodium_memzero(s, sizeof *s * (size_t)count);
}
