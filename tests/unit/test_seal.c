/*
 * test_seal.c - core/seal: creating a key (fast KDF), loading the active
 * public key, sealing and opening (round trip, padding to whole blocks), a
 * wrong passphrase and an altered box failing, what the key files hold, and
 * key rotation (a new active key while old secrets still open old boxes),
 * and custody: a new passphrase, the secret from its bytes, the list, two
 * changes at once (one wins, the other is refused); a key per consultation
 * (made beside the server's without touching it, found by consultation,
 * opening only its own boxes, rotated, listed with whom it serves, and a
 * pointer to any key not made for the consultation, or to no key at all,
 * refused rather than read as "no key of its own").
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../core/files.h"
#include "../../core/seal.h"
#include "check.h"

#define PASS "correct horse battery staple"

static char keydir[64];

/* Reads keydir/ID + suffix; malloc'd text or NULL. */
static char *key_file(const char *id, const char *suffix)
{
	char path[256];
	char *text = NULL;
	size_t len;

	snprintf(path, sizeof path, "%s/%s%s", keydir, id, suffix);
	if (files_read_all(path, 8192, &text, &len) != SV_OK)
		return NULL;
	return text;
}

/* 1 if some line of text starts with prefix. */
static int has_line(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *line = text; line; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (strncmp(line, prefix, n) == 0)
			return 1;
	}
	return 0;
}

/* Seals msg to key and opens it with sec; 1 if the same bytes come back. */
static int round_trip(const struct seal_public *key, const struct seal_secret *sec,
		      const char *msg)
{
	unsigned char *box = NULL;
	size_t boxlen = 0, len = 0;
	char *plain = NULL;
	int ok = 0;

	if (seal_box(key, msg, strlen(msg), &box, &boxlen) != SV_OK)
		return 0;
	if (seal_open(sec, box, boxlen, &plain, &len) == SV_OK)
		ok = len == strlen(msg) && memcmp(plain, msg, len) == 0 && plain[len] == '\0';
	seal_plain_free(plain);
	free(box);
	return ok;
}

static void test_create_and_load(struct seal_public *first)
{
	struct seal_public pub, loaded;
	struct stat st;

	memset(&pub, 0, sizeof pub);
	/* No key yet. */
	CHECK(seal_public_load_active(keydir, &loaded) == SV_ERR_NOTFOUND);

	CHECK(seal_key_create(keydir, PASS, strlen(PASS), SEAL_KDF_INTERACTIVE, &pub) == SV_OK);
	CHECK(strlen(pub.id) == SEAL_KEY_ID_LEN);
	CHECK(strspn(pub.id, "0123456789abcdef") == SEAL_KEY_ID_LEN);
	*first = pub;

	memset(&loaded, 0, sizeof loaded);
	CHECK(seal_public_load_active(keydir, &loaded) == SV_OK);
	CHECK_STR(loaded.id, pub.id);
	CHECK(memcmp(loaded.pk, pub.pk, sizeof pub.pk) == 0);

	char *active = key_file("active", "");
	CHECK(active && strncmp(active, pub.id, SEAL_KEY_ID_LEN) == 0);
	free(active);

	/* The secret file is readable by its owner only. */
	char path[256];
	snprintf(path, sizeof path, "%s/%s.secret", keydir, pub.id);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 077) == 0);
}

static void test_files(const struct seal_public *pub)
{
	char pk_hex[crypto_box_PUBLICKEYBYTES * 2 + 1];
	char line[sizeof pk_hex + 16];
	char *secret = key_file(pub->id, ".secret");
	char *public = key_file(pub->id, ".public");

	sodium_bin2hex(pk_hex, sizeof pk_hex, pub->pk, sizeof pub->pk);
	snprintf(line, sizeof line, "public %s\n", pk_hex);
	CHECK(public != NULL);
	CHECK(secret != NULL);
	if (public) {
		CHECK(strncmp(public, "youthvoice-public-key 1\n", 24) == 0);
		CHECK(strstr(public, line) != NULL);
	}
	if (secret) {
		CHECK(strncmp(secret, "youthvoice-secret-key 1\n", 24) == 0);
		CHECK(has_line(secret, "kdf argon2id13\n"));
		CHECK(has_line(secret, "salt "));
		CHECK(has_line(secret, "box "));
		CHECK(!has_line(secret, "secret"));
		CHECK(!has_line(secret, "public"));
		/* The box must not simply be the public key either. */
		CHECK(strstr(secret, pk_hex) == NULL);
	}
	free(public);
	free(secret);
}

static void test_seal_open(const struct seal_public *pub)
{
	struct seal_secret *sec = NULL;
	unsigned char *box = NULL;
	size_t boxlen = 0;
	char *plain = NULL;
	size_t len = 0;
	const char *msg = "{\"v\":1,\"answers\":{\"tell-us\":\"caf\xc3\xa9 \\\"quoted\\\"\"}}";

	CHECK(seal_secret_load(keydir, pub->id, PASS, strlen(PASS), &sec) == SV_OK);
	if (!sec)
		return;
	CHECK_STR(seal_secret_id(sec), pub->id);

	CHECK(seal_box(pub, msg, strlen(msg), &box, &boxlen) == SV_OK);
	CHECK(boxlen > crypto_box_SEALBYTES);
	CHECK((boxlen - crypto_box_SEALBYTES) % SEAL_PAD_BLOCK == 0);
	/* The plaintext does not appear in the box. */
	CHECK(box && memmem(box, boxlen, "quoted", 6) == NULL);
	CHECK(seal_open(sec, box, boxlen, &plain, &len) == SV_OK);
	CHECK(len == strlen(msg));
	CHECK_STR(plain, msg);
	seal_plain_free(plain);
	plain = NULL;

	/* One flipped byte anywhere makes it fail. */
	size_t spots[] = { 0, crypto_box_PUBLICKEYBYTES, boxlen / 2, boxlen - 1 };
	for (size_t i = 0; box && i < sizeof spots / sizeof spots[0]; i++) {
		box[spots[i]] ^= 0x01;
		len = 99;
		CHECK(seal_open(sec, box, boxlen, &plain, &len) == SV_ERR_CRYPTO);
		CHECK(plain == NULL && len == 0);
		box[spots[i]] ^= 0x01;
	}
	/* A cut box fails too. */
	CHECK(box && seal_open(sec, box, boxlen - 1, &plain, &len) == SV_ERR_CRYPTO);
	free(box);

	/* Lengths 3 and 900 both seal to one block; 1024 needs two. */
	unsigned char *b3 = NULL, *b900 = NULL, *b1024 = NULL;
	size_t n3 = 0, n900 = 0, n1024 = 0;
	char text[1024];
	memset(text, 'x', sizeof text);
	CHECK(seal_box(pub, text, 3, &b3, &n3) == SV_OK);
	CHECK(seal_box(pub, text, 900, &b900, &n900) == SV_OK);
	CHECK(seal_box(pub, text, 1024, &b1024, &n1024) == SV_OK);
	CHECK(n3 == n900);
	CHECK(n3 == SEAL_PAD_BLOCK + crypto_box_SEALBYTES);
	CHECK(n1024 == 2 * SEAL_PAD_BLOCK + crypto_box_SEALBYTES);
	/* Two seals of the same text differ (fresh ephemeral key each time). */
	unsigned char *b3b = NULL;
	size_t n3b = 0;
	CHECK(seal_box(pub, text, 3, &b3b, &n3b) == SV_OK);
	CHECK(b3 && b3b && n3b == n3 && memcmp(b3, b3b, n3) != 0);
	CHECK(seal_open(sec, b900, n900, &plain, &len) == SV_OK && len == 900);
	seal_plain_free(plain);
	plain = NULL;
	/* An empty message round-trips too. */
	CHECK(round_trip(pub, sec, ""));
	free(b3);
	free(b3b);
	free(b900);
	free(b1024);

	/* Over the limit is refused. */
	unsigned char *big = calloc(1, SEAL_MAX_PLAINTEXT + 1);
	CHECK(big && seal_box(pub, big, SEAL_MAX_PLAINTEXT + 1, &box, &boxlen) == SV_ERR_TOOBIG);
	CHECK(box == NULL);
	free(big);
	seal_secret_free(sec);
}

static void test_wrong_passphrase(const struct seal_public *pub)
{
	struct seal_secret *sec = (struct seal_secret *)&sec;

	CHECK(seal_secret_load(keydir, pub->id, "wrong", 5, &sec) == SV_ERR_CRYPTO);
	CHECK(sec == NULL);
	/* A prefix of the right one is still wrong. */
	CHECK(seal_secret_load(keydir, pub->id, PASS, strlen(PASS) - 1, &sec) == SV_ERR_CRYPTO);
	CHECK(seal_secret_load(keydir, "0123456789abcdef", PASS, strlen(PASS), &sec) == SV_ERR_NOTFOUND);
	CHECK(seal_secret_load(keydir, "../etc/passwd", PASS, strlen(PASS), &sec) == SV_ERR_NOTFOUND);
}

static void test_rotation(const struct seal_public *first)
{
	struct seal_public second, active;
	struct seal_secret *s1 = NULL, *s2 = NULL;

	CHECK(seal_key_create(keydir, "another passphrase", 18, SEAL_KDF_INTERACTIVE, &second) == SV_OK);
	CHECK(strcmp(second.id, first->id) != 0);
	CHECK(memcmp(second.pk, first->pk, sizeof first->pk) != 0);
	CHECK(seal_public_load_active(keydir, &active) == SV_OK);
	CHECK_STR(active.id, second.id);
	CHECK(memcmp(active.pk, second.pk, sizeof second.pk) == 0);

	CHECK(seal_secret_load(keydir, first->id, PASS, strlen(PASS), &s1) == SV_OK);
	CHECK(seal_secret_load(keydir, second.id, "another passphrase", 18, &s2) == SV_OK);
	if (s1 && s2) {
		CHECK(round_trip(first, s1, "sealed to the old key"));
		CHECK(round_trip(&second, s2, "sealed to the new key"));
		/* Each secret opens only its own boxes. */
		CHECK(!round_trip(first, s2, "old key, new secret"));
		CHECK(!round_trip(&second, s1, "new key, old secret"));
	}
	seal_secret_free(s1);
	seal_secret_free(s2);
	/* The first key's passphrase does not open the second. */
	s2 = NULL;
	CHECK(seal_secret_load(keydir, second.id, PASS, strlen(PASS), &s2) == SV_ERR_CRYPTO);
	seal_secret_free(s2);
}

static void test_passphrase_generate(void)
{
	char a[SEAL_PASSPHRASE_WORDS * 5], b[SEAL_PASSPHRASE_WORDS * 5];

	seal_passphrase_generate(a);
	seal_passphrase_generate(b);
	CHECK(strlen(a) == SEAL_PASSPHRASE_WORDS * 5 - 1);
	CHECK(a[4] == '-' && a[9] == '-');
	CHECK(strspn(a, "abcdefghjkmnpqrstuvwxyz23456789-") == strlen(a));
	CHECK(strcmp(a, b) != 0);
}

/* seal_box_padded: every payload of a survey the same size, and it opens. */
static void test_padded(const struct seal_public *pub)
{
	struct seal_secret *sec = NULL;
	static char text[5000];
	unsigned char *a = NULL, *b = NULL, *c = NULL;
	size_t na = 0, nb = 0, nc = 0, len = 0;
	char *plain = NULL;

	memset(text, 'y', sizeof text);
	CHECK(seal_secret_load(keydir, pub->id, PASS, strlen(PASS), &sec) == SV_OK);
	CHECK(seal_box_padded(pub, text, 3, 4 * SEAL_PAD_BLOCK, &a, &na) == SV_OK);
	CHECK(seal_box_padded(pub, text, 3000, 4 * SEAL_PAD_BLOCK, &b, &nb) == SV_OK);
	CHECK(na == 4 * SEAL_PAD_BLOCK + crypto_box_SEALBYTES);
	CHECK(na == nb); /* 3 bytes and 3000 bytes look the same */
	/* Longer than the survey's size: whole blocks beyond it, still opens. */
	CHECK(seal_box_padded(pub, text, 4500, 4 * SEAL_PAD_BLOCK, &c, &nc) == SV_OK);
	CHECK(nc == 5 * SEAL_PAD_BLOCK + crypto_box_SEALBYTES);
	if (sec && a && b && c) {
		CHECK(seal_open(sec, a, na, &plain, &len) == SV_OK && len == 3);
		seal_plain_free(plain);
		plain = NULL;
		CHECK(seal_open(sec, b, nb, &plain, &len) == SV_OK && len == 3000 &&
		      memcmp(plain, text, 3000) == 0);
		seal_plain_free(plain);
		plain = NULL;
		CHECK(seal_open(sec, c, nc, &plain, &len) == SV_OK && len == 4500);
		seal_plain_free(plain);
	}
	/* A size that is not whole blocks is refused. */
	unsigned char *d = NULL;
	size_t nd = 0;
	CHECK(seal_box_padded(pub, text, 3, SEAL_PAD_BLOCK + 1, &d, &nd) == SV_ERR_TOOBIG && !d);
	free(a);
	free(b);
	free(c);

	/* seal_box_fixed: exactly the size asked for, from 0 bytes to size - 1
	 * (room for the padding byte), never longer: one byte more is refused. */
	size_t lens[] = { 0, 1, 3000, 4 * SEAL_PAD_BLOCK - 1 };
	for (size_t i = 0; i < sizeof lens / sizeof *lens; i++) {
		CHECK(seal_box_fixed(pub, text, lens[i], 4 * SEAL_PAD_BLOCK, &d, &nd) == SV_OK);
		CHECK(nd == 4 * SEAL_PAD_BLOCK + crypto_box_SEALBYTES);
		if (sec && d) {
			CHECK(seal_open(sec, d, nd, &plain, &len) == SV_OK && len == lens[i] &&
			      memcmp(plain, text, len) == 0);
			seal_plain_free(plain);
			plain = NULL;
		}
		free(d);
		d = NULL;
	}
	nd = 1;
	CHECK(seal_box_fixed(pub, text, 4 * SEAL_PAD_BLOCK, 4 * SEAL_PAD_BLOCK, &d, &nd) == SV_ERR_TOOBIG &&
	      !d && nd == 0);
	CHECK(seal_box_fixed(pub, text, 4500, 4 * SEAL_PAD_BLOCK, &d, &nd) == SV_ERR_TOOBIG && !d);
	CHECK(seal_box_fixed(pub, text, 0, 0, &d, &nd) == SV_ERR_TOOBIG && !d);
	CHECK(seal_box_fixed(pub, text, 3, SEAL_PAD_BLOCK + 1, &d, &nd) == SV_ERR_TOOBIG && !d);
	seal_secret_free(sec);
}

/*
 * Custody: a new passphrase re-seals the secret and nothing else (the same
 * public key, the same boxes open, the old passphrase refused, no temporary
 * file left); a wrong old passphrase changes nothing; the raw secret back
 * from bytes opens only when it is that key's; the folder's keys listed.
 */
static void test_custody(const struct seal_public *first)
{
	struct seal_secret *s = NULL, *again = NULL;
	struct seal_public pub;
	unsigned char *box = NULL;
	size_t boxlen = 0, len = 0;
	char *plain = NULL, *before = key_file(first->id, ".secret");

	CHECK(seal_box(first, "kept through a new passphrase", 29, &box, &boxlen) == SV_OK);
	CHECK(seal_secret_repass(keydir, first->id, "wrong", 5, "a new passphrase 2", 18,
				 SEAL_KDF_INTERACTIVE) == SV_ERR_CRYPTO);
	char *unchanged = key_file(first->id, ".secret");
	CHECK(before && unchanged && strcmp(before, unchanged) == 0);
	free(unchanged);
	CHECK(seal_secret_repass(keydir, first->id, PASS, strlen(PASS), "a new passphrase 2", 18,
				 SEAL_KDF_INTERACTIVE) == SV_OK);
	char *after = key_file(first->id, ".secret");
	CHECK(after && before && strcmp(before, after) != 0);
	CHECK(after && has_line(after, "id ") && !has_line(after, "a new passphrase"));
	free(after);
	free(before);
	CHECK(!key_file(first->id, ".secret.tmp"));
	CHECK(seal_secret_load(keydir, first->id, PASS, strlen(PASS), &s) == SV_ERR_CRYPTO);
	CHECK(seal_secret_load(keydir, first->id, "a new passphrase 2", 18, &s) == SV_OK);
	CHECK(seal_public_load(keydir, first->id, &pub) == SV_OK);
	CHECK(memcmp(pub.pk, first->pk, sizeof pub.pk) == 0);
	if (s) {
		CHECK(seal_open(s, box, boxlen, &plain, &len) == SV_OK && len == 29);
		seal_plain_free(plain);
		/* From its bytes: the same key; one bit off, refused. */
		unsigned char sk[SEAL_SECRET_BYTES];
		memcpy(sk, seal_secret_bytes(s), sizeof sk);
		CHECK(seal_secret_from_bytes(keydir, first->id, sk, &again) == SV_OK);
		CHECK(again && seal_open(again, box, boxlen, &plain, &len) == SV_OK);
		seal_plain_free(plain);
		seal_secret_free(again);
		again = NULL;
		sk[5] ^= 1;
		CHECK(seal_secret_from_bytes(keydir, first->id, sk, &again) == SV_ERR_CRYPTO && !again);
		CHECK(seal_secret_from_bytes(keydir, "0123456789abcdef", sk, &again) == SV_ERR_NOTFOUND);
		sodium_memzero(sk, sizeof sk);
		/* Saved under yet another passphrase: that one opens it now. */
		CHECK(seal_secret_save(keydir, s, PASS, strlen(PASS), SEAL_KDF_INTERACTIVE) == SV_OK);
		seal_secret_free(s);
		s = NULL;
		CHECK(seal_secret_load(keydir, first->id, PASS, strlen(PASS), &s) == SV_OK);
	}
	seal_secret_free(s);
	free(box);

	struct seal_key_info keys[SEAL_MAX_KEYS];
	int n = 0, active = 0, mine = 0;
	CHECK(seal_key_list(keydir, keys, SEAL_MAX_KEYS, &n) == SV_OK && n == 2);
	for (int i = 0; i < n; i++) {
		active += keys[i].active;
		mine += strcmp(keys[i].id, first->id) == 0 && !keys[i].active && keys[i].has_secret &&
			strlen(keys[i].created) == 10;
	}
	CHECK(active == 1 && mine == 1);
	CHECK(seal_key_list(keydir, keys, 1, &n) == SV_ERR_TOOBIG);
	CHECK(seal_key_list("/nonexistent-yv", keys, SEAL_MAX_KEYS, &n) == SV_ERR_NOTFOUND && n == 0);
}

/* Two changes at once from the same old passphrase (the staff page and the
 * command line, say): they run one after the other under the folder's
 * lock, so exactly one wins and the other finds the old passphrase no
 * longer opens the key; the file opens with the winner's. */
struct repass_arg {
	const char *id, *from, *to;
	enum sv_err rc;
};

static void *repass_thread(void *p)
{
	struct repass_arg *a = p;

	a->rc = seal_secret_repass(keydir, a->id, a->from, strlen(a->from), a->to, strlen(a->to),
				   SEAL_KDF_INTERACTIVE);
	return NULL;
}

static void test_concurrent_change(const struct seal_public *first)
{
	struct repass_arg a = { first->id, PASS, "the first new passphrase", SV_ERR_IO };
	struct repass_arg b = { first->id, PASS, "the other new passphrase", SV_ERR_IO };
	struct seal_secret *s = NULL;
	pthread_t ta, tb;

	CHECK(pthread_create(&ta, NULL, repass_thread, &a) == 0);
	CHECK(pthread_create(&tb, NULL, repass_thread, &b) == 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	CHECK((a.rc == SV_OK && b.rc == SV_ERR_CRYPTO) || (a.rc == SV_ERR_CRYPTO && b.rc == SV_OK));
	const char *won = a.rc == SV_OK ? a.to : b.to;
	CHECK(seal_secret_load(keydir, first->id, won, strlen(won), &s) == SV_OK);
	seal_secret_free(s);
}

/* Writes text as keydir/name (a hand-made or tampered file). */
static void put_file(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", keydir, name);
	CHECK(files_write_atomic(path, text, strlen(text), 0644) == SV_OK);
}

static void test_consultation_keys(void)
{
	struct seal_public server, a1, a2, b, got;
	struct seal_secret *sa = NULL, *sb = NULL;
	unsigned char *box = NULL;
	size_t boxlen = 0, len = 0;
	char *plain = NULL, serves[SEAL_CONSULTATION_MAX + 1];
	const char *pa = "the passphrase of consultation a", *pb = "the passphrase of consultation b";

	CHECK(seal_public_load_active(keydir, &server) == SV_OK);
	CHECK(seal_public_load_for(keydir, "cyp-a", &got) == SV_ERR_NOTFOUND);
	/* Ids that are no consultation's: nothing made. */
	const char *bad[] = { "", "../x", "Cyp", "a/b", "a b",
		"a-consultation-id-longer-than-forty-eight-bytes-x" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK(!seal_consultation_ok(bad[i]));
		CHECK(seal_key_create_for(keydir, bad[i], pa, strlen(pa), SEAL_KDF_INTERACTIVE, &got) ==
		      SV_ERR_INVALID);
		CHECK(seal_public_load_for(keydir, bad[i], &got) == SV_ERR_INVALID);
	}
	CHECK(seal_consultation_ok("cyp-plan-2027"));

	/* Made beside the server's key, which stays active. */
	CHECK(seal_key_create_for(keydir, "cyp-a", pa, strlen(pa), SEAL_KDF_INTERACTIVE, &a1) == SV_OK);
	CHECK(seal_key_create_for(keydir, "cyp-b", pb, strlen(pb), SEAL_KDF_INTERACTIVE, &b) == SV_OK);
	CHECK(seal_public_load_active(keydir, &got) == SV_OK && strcmp(got.id, server.id) == 0);
	CHECK(seal_public_load_for(keydir, "cyp-a", &got) == SV_OK && strcmp(got.id, a1.id) == 0 &&
	      memcmp(got.pk, a1.pk, sizeof got.pk) == 0);
	CHECK(seal_public_load_for(keydir, "cyp-b", &got) == SV_OK && strcmp(got.id, b.id) == 0);
	char *pub = key_file(a1.id, ".public"), *ptr = key_file("consultation-", "cyp-a");
	CHECK(pub && has_line(pub, "consultation cyp-a"));
	CHECK(ptr && strncmp(ptr, a1.id, SEAL_KEY_ID_LEN) == 0);
	free(pub);
	free(ptr);
	CHECK(seal_key_consultation(keydir, a1.id, serves) == SV_OK && strcmp(serves, "cyp-a") == 0);
	CHECK(seal_key_consultation(keydir, server.id, serves) == SV_OK && serves[0] == '\0');

	/* A box sealed to a's key opens with a's secret only. */
	CHECK(seal_box(&a1, "only for consultation a", 23, &box, &boxlen) == SV_OK);
	CHECK(seal_secret_load(keydir, a1.id, pa, strlen(pa), &sa) == SV_OK);
	CHECK(seal_secret_load(keydir, a1.id, pb, strlen(pb), &sb) == SV_ERR_CRYPTO && !sb);
	CHECK(seal_secret_load(keydir, b.id, pb, strlen(pb), &sb) == SV_OK);
	CHECK(sa && seal_open(sa, box, boxlen, &plain, &len) == SV_OK && len == 23);
	seal_plain_free(plain);
	CHECK(sb && seal_open(sb, box, boxlen, &plain, &len) == SV_ERR_CRYPTO && !plain);

	/* Rotated: a new current key for a; the old one still opens its box. */
	CHECK(seal_key_create_for(keydir, "cyp-a", pa, strlen(pa), SEAL_KDF_INTERACTIVE, &a2) == SV_OK);
	CHECK(strcmp(a1.id, a2.id) != 0);
	CHECK(seal_public_load_for(keydir, "cyp-a", &got) == SV_OK && strcmp(got.id, a2.id) == 0);
	seal_secret_free(sa);
	sa = NULL;
	CHECK(seal_secret_load(keydir, a1.id, pa, strlen(pa), &sa) == SV_OK);
	CHECK(sa && seal_open(sa, box, boxlen, &plain, &len) == SV_OK);
	seal_plain_free(plain);

	/* The list: whom each serves, one active per consultation and one
	 * for the server. */
	struct seal_key_info keys[SEAL_MAX_KEYS];
	int n = 0, active_server = 0, a_keys = 0, a_active = 0, b_active = 0;
	CHECK(seal_key_list(keydir, keys, SEAL_MAX_KEYS, &n) == SV_OK && n == 5);
	for (int i = 0; i < n; i++) {
		if (!keys[i].consultation[0])
			active_server += keys[i].active;
		if (strcmp(keys[i].consultation, "cyp-a") == 0) {
			a_keys++;
			a_active += keys[i].active && strcmp(keys[i].id, a2.id) == 0;
		}
		b_active += strcmp(keys[i].consultation, "cyp-b") == 0 && keys[i].active;
	}
	CHECK(active_server == 1 && a_keys == 2 && a_active == 1 && b_active == 1);

	/* A pointer to a key not made for the consultation is refused, not
	 * followed: another consultation's key, or the server's. */
	char text[40];
	snprintf(text, sizeof text, "%s\n", a2.id);
	put_file("consultation-cyp-b", text);
	CHECK(seal_public_load_for(keydir, "cyp-b", &got) == SV_ERR_INVALID);
	snprintf(text, sizeof text, "%s\n", server.id);
	put_file("consultation-cyp-b", text);
	CHECK(seal_public_load_for(keydir, "cyp-b", &got) == SV_ERR_INVALID);
	put_file("consultation-cyp-b", "0123456789abcdef\n");   /* a key that is not there */
	CHECK(seal_public_load_for(keydir, "cyp-b", &got) == SV_ERR_INVALID);
	snprintf(text, sizeof text, "%s\n", b.id);
	put_file("consultation-cyp-b", text);
	CHECK(seal_public_load_for(keydir, "cyp-b", &got) == SV_OK && strcmp(got.id, b.id) == 0);

	seal_secret_free(sa);
	seal_secret_free(sb);
	free(box);
}

int main(void)
{
	struct seal_public first;

	if (sodium_init() < 0) {
		fprintf(stderr, "sodium_init failed\n");
		return 1;
	}
	char tmpl[] = "/tmp/yv-seal-XXXXXX";
	if (!mkdtemp(tmpl)) {
		perror("mkdtemp");
		return 1;
	}
	/* A folder inside the temp one, so seal_key_create has to make it. */
	snprintf(keydir, sizeof keydir, "%s/keys", tmpl);

	memset(&first, 0, sizeof first);
	test_create_and_load(&first);
	test_files(&first);
	test_seal_open(&first);
	test_padded(&first);
	test_wrong_passphrase(&first);
	test_rotation(&first);
	test_passphrase_generate();
	test_custody(&first);
	test_concurrent_change(&first);
	test_consultation_keys();

	check_remove_dir(keydir);
	check_remove_dir(tmpl);
	CHECK(!files_exist(tmpl));
	return CHECK_DONE();
}
