/*
 * fuzz_share.c - libFuzzer target for a recovery share's text (share_parse,
 * as survey-server key check and key recover read a share file): any bytes
 * are read without a crash; what is accepted has numbers in range, and
 * written out again (share_format) reads back to the same share.  Two
 * accepted shares combined are either refused with a reason or give 32
 * bytes, never more.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../../core/shares.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct share s[2], again;
	char text[SHARES_TEXT_MAX];
	unsigned char secret[SHARES_SECRET_LEN + 1];
	const char *why = NULL;

	if (sodium_init() < 0)
		abort();
	if (share_parse((const char *)data, size, &s[0]) != SV_OK)
		return 0;
	if (s[0].k < SHARES_MIN_K || s[0].n < s[0].k || s[0].n > SHARES_MAX_N || s[0].x < 1 || s[0].x > s[0].n)
		abort();
	share_format(&s[0], text, sizeof text);
	if (strlen(text) >= sizeof text - 1 || share_parse(text, strlen(text), &again) != SV_OK ||
	    memcmp(&again, &s[0], sizeof again) != 0)
		abort();
	s[1] = s[0];
	s[1].x = (unsigned char)(s[0].x % s[0].n + 1);
	secret[SHARES_SECRET_LEN] = 0xa5;
	enum sv_err rc = shares_combine(s, 2, secret, &why);
	if ((rc == SV_OK) == (why != NULL) || secret[SHARES_SECRET_LEN] != 0xa5)
		abort();
	return 0;
}
