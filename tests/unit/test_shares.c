/*
 * test_shares.c - core/shares: k-of-n recovery shares.  Every k-subset of
 * a 2-of-3 and a 3-of-5 set (in every order given) rebuilds the secret;
 * fewer than k are refused; a share alone is a uniformly random value
 * whatever the secret; mixed keys, mixed sets and a share given twice are
 * refused with a reason; the text round-trips, ignores case, spaces and
 * dashes, and catches every single mistyped digit and a swap of two.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "../../core/shares.h"
#include "check.h"

#define KEY "3f2a9c0d11223344"

/* Every subset of size k of n shares, each in two orders (as given, and
 * reversed): combine gives the secret back. */
static void all_subsets(int n, int k)
{
	unsigned char secret[SHARES_SECRET_LEN], back[SHARES_SECRET_LEN];
	struct share s[SHARES_MAX_N], pick[SHARES_MAX_N];
	const char *why = NULL;
	int subsets = 0, right = 0;

	randombytes_buf(secret, sizeof secret);
	CHECK(shares_split(secret, KEY, n, k, s) == SV_OK);
	for (unsigned mask = 0; mask < (1u << n); mask++) {
		if (__builtin_popcount(mask) != k)
			continue;
		int m = 0;
		for (int i = 0; i < n; i++)
			if (mask & (1u << i))
				pick[m++] = s[i];
		subsets++;
		memset(back, 0, sizeof back);
		right += shares_combine(pick, m, back, &why) == SV_OK && memcmp(back, secret, sizeof back) == 0;
		for (int i = 0; i < m / 2; i++) {
			struct share t = pick[i];
			pick[i] = pick[m - 1 - i];
			pick[m - 1 - i] = t;
		}
		memset(back, 0, sizeof back);
		right += shares_combine(pick, m, back, &why) == SV_OK && memcmp(back, secret, sizeof back) == 0;
	}
	CHECK(subsets == (n == 3 ? 3 : 10));
	CHECK(right == 2 * subsets);
	/* All n at once work too. */
	CHECK(shares_combine(s, n, back, &why) == SV_OK && memcmp(back, secret, sizeof back) == 0);
	/* Every set of k-1: refused, the secret untouched. */
	for (unsigned mask = 0; mask < (1u << n); mask++) {
		if (__builtin_popcount(mask) != k - 1)
			continue;
		int m = 0;
		for (int i = 0; i < n; i++)
			if (mask & (1u << i))
				pick[m++] = s[i];
		memset(back, 0, sizeof back);
		CHECK(shares_combine(pick, m, back, &why) == SV_ERR_INVALID && why &&
		      strstr(why, "too few"));
		CHECK(sodium_is_zero(back, sizeof back));
	}
	shares_wipe(s, n);
	shares_wipe(pick, n);
}

/*
 * A share alone says nothing of the secret: over many splits of one fixed
 * secret, the first byte of share 1 takes every one of the 256 values (it
 * is the secret's byte plus a random one), for a secret of zeros as for one
 * of 0xff; no share's bytes hold the secret.
 */
static void one_share_reveals_nothing(void)
{
	unsigned char secret[SHARES_SECRET_LEN];
	struct share s[3];
	int seen[2][256] = { { 0 } }, every = 1, holds = 0;

	for (int which = 0; which < 2; which++) {
		memset(secret, which ? 0xff : 0x00, sizeof secret);
		for (int i = 0; i < 8192; i++) {
			if (shares_split(secret, KEY, 3, 2, s) != SV_OK)
				break;
			seen[which][s[0].y[0]]++;
			for (int j = 0; j < 3; j++)
				holds += memcmp(s[j].y, secret, sizeof secret) == 0;
		}
	}
	for (int v = 0; v < 256; v++)
		every &= seen[0][v] > 0 && seen[1][v] > 0;
	CHECK(every);
	CHECK(holds == 0);
	shares_wipe(s, 3);
}

static void refused_mixtures(void)
{
	unsigned char secret[SHARES_SECRET_LEN], back[SHARES_SECRET_LEN];
	struct share a[3], b[3], other[3], pair[2];
	const char *why = NULL;

	randombytes_buf(secret, sizeof secret);
	CHECK(shares_split(secret, KEY, 3, 2, a) == SV_OK);
	CHECK(shares_split(secret, KEY, 3, 2, b) == SV_OK);
	CHECK(shares_split(secret, "aaaaaaaaaaaaaaaa", 3, 2, other) == SV_OK);
	/* Two splits of one secret are two sets: their shares do not mix. */
	pair[0] = a[0];
	pair[1] = b[1];
	CHECK(shares_combine(pair, 2, back, &why) == SV_ERR_INVALID && why && strstr(why, "different splits"));
	pair[1] = other[1];
	CHECK(shares_combine(pair, 2, back, &why) == SV_ERR_INVALID && why && strstr(why, "different keys"));
	pair[1] = a[0];
	CHECK(shares_combine(pair, 2, back, &why) == SV_ERR_INVALID && why && strstr(why, "twice"));
	CHECK(shares_combine(pair, 0, back, &why) == SV_ERR_INVALID);
	/* Bad arguments. */
	CHECK(shares_split(secret, KEY, 3, 1, a) == SV_ERR_INVALID);
	CHECK(shares_split(secret, KEY, 2, 3, a) == SV_ERR_INVALID);
	CHECK(shares_split(secret, KEY, SHARES_MAX_N + 1, 2, a) == SV_ERR_INVALID);
	CHECK(shares_split(secret, "not hex at all!!", 3, 2, a) == SV_ERR_INVALID);
	CHECK(shares_split(secret, "3f2a", 3, 2, a) == SV_ERR_INVALID);
	shares_wipe(a, 3);
	shares_wipe(b, 3);
	shares_wipe(other, 3);
}

static void text(void)
{
	unsigned char secret[SHARES_SECRET_LEN], back[SHARES_SECRET_LEN];
	struct share s[5], read[5];
	char t[SHARES_TEXT_MAX], u[SHARES_TEXT_MAX], id[17];
	const char *why;

	randombytes_buf(secret, sizeof secret);
	CHECK(shares_split(secret, KEY, 5, 3, s) == SV_OK);
	share_format(&s[1], t, sizeof t);
	CHECK(strncmp(t, "youthvoice key share 2 of 5 for key " KEY " (any 3 recover it)\n", 64) == 0);
	CHECK(strlen(t) < SHARES_TEXT_MAX);
	/* Two lines of 13 groups of four digits after the label. */
	const char *hex = strchr(t, '\n') + 1;
	CHECK(strlen(hex) == 2 * (13 * 5));
	CHECK(share_parse(t, strlen(t), &read[0]) == SV_OK);
	CHECK(memcmp(&read[0], &s[1], sizeof read[0]) == 0);
	share_key_id(&read[0], id);
	CHECK_STR(id, KEY);
	/* Upper case, dashes for spaces, no label, a comment: the same share. */
	size_t j = 0;
	j += (size_t)snprintf(u, sizeof u, "# Alex's share, kept in the safe\n");
	for (const char *p = hex; *p; p++)
		u[j++] = *p == ' ' ? '-' : (*p >= 'a' && *p <= 'f') ? (char)(*p - 32) : *p;
	u[j] = '\0';
	CHECK(share_parse(u, strlen(u), &read[1]) == SV_OK && memcmp(&read[1], &s[1], sizeof s[1]) == 0);

	/* Every single digit changed to every other: caught (checksum or range). */
	int caught = 0, tried = 0;
	size_t off = (size_t)(hex - t);
	for (size_t i = off; t[i]; i++) {
		if (t[i] == ' ' || t[i] == '\n')
			continue;
		char was = t[i];
		for (const char *d = "0123456789abcdef"; *d; d++) {
			if (*d == was)
				continue;
			t[i] = *d;
			tried++;
			caught += share_parse(t, strlen(t), &read[2]) != SV_OK;
		}
		t[i] = was;
	}
	CHECK(tried == 104 * 15 && caught == tried);
	/* Two neighbouring different digits swapped: caught. */
	int swaps = 0, swaps_caught = 0;
	for (size_t i = off; t[i] && t[i + 1]; i++) {
		if (t[i] == ' ' || t[i] == '\n' || t[i + 1] == ' ' || t[i + 1] == '\n' || t[i] == t[i + 1])
			continue;
		char c = t[i];
		t[i] = t[i + 1];
		t[i + 1] = c;
		swaps++;
		swaps_caught += share_parse(t, strlen(t), &read[2]) != SV_OK;
		t[i + 1] = t[i];
		t[i] = c;
	}
	CHECK(swaps > 50 && swaps_caught == swaps);
	/* A digit missing, one too many, a stray letter: not a share. */
	char shorter[SHARES_TEXT_MAX];
	snprintf(shorter, sizeof shorter, "%s", hex + 1);
	CHECK(share_parse(shorter, strlen(shorter), &read[2]) == SV_ERR_INVALID);
	snprintf(shorter, sizeof shorter, "0%s", hex);
	CHECK(share_parse(shorter, strlen(shorter), &read[2]) == SV_ERR_INVALID);
	snprintf(shorter, sizeof shorter, "%sz", hex);
	CHECK(share_parse(shorter, strlen(shorter), &read[2]) == SV_ERR_INVALID);
	CHECK(share_parse("", 0, &read[2]) == SV_ERR_INVALID);

	/* Three shares read back from their text recover the secret. */
	for (int i = 0; i < 3; i++) {
		share_format(&s[i + 2], t, sizeof t);
		CHECK(share_parse(t, strlen(t), &read[i]) == SV_OK);
	}
	CHECK(shares_combine(read, 3, back, &why) == SV_OK && memcmp(back, secret, sizeof back) == 0);
	shares_wipe(s, 5);
	shares_wipe(read, 5);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	all_subsets(3, 2);
	all_subsets(5, 3);
	one_share_reveals_nothing();
	refused_mixtures();
	text();
	return CHECK_DONE();
}
