/*
 * test_token.c - core/token: the key file is made once (mode 0600) and read
 * back the same; an issued token is TOKEN_LEN hex digits, good on the day it
 * was issued and the TOKEN_VALID_DAYS after, refused before and later; a
 * changed digit, a short or long token, non-hex and another key's token are
 * refused; the id recorded is the token's hex nonce.  A token is bound to
 * the survey it was issued for: another survey's id refuses it, and so
 * does a token made the way servers before the binding made them.  Servers
 * starting together on one folder all take the one key written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sodium.h>

#include "../../core/files.h"
#include "../../core/token.h"
#include "check.h"

static char dir[64];

#define WM "what-matters"  /* the survey the tokens below are issued for */

static int all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

/* token_check on a copy, so that a token without a NUL after n is fine. */
static enum sv_err check_n(const struct token_key *key, const char *survey, const char *token,
			   size_t n, long today, char id[TOKEN_ID_LEN + 1])
{
	char copy[TOKEN_LEN * 2 + 1];

	if (n > sizeof copy)
		return SV_ERR_TOOBIG;
	memcpy(copy, token, n);
	return token_check(key, survey, copy, n, today, id);
}

static void test_key(struct token_key *key)
{
	char path[256];
	struct stat st;
	struct token_key again, zero;

	snprintf(path, sizeof path, "%s/%s", dir, TOKEN_FILE);
	CHECK(!files_exist(path));
	memset(key, 0, sizeof *key);
	memset(&zero, 0, sizeof zero);
	CHECK(token_key_load(dir, key) == SV_OK);
	CHECK(files_exist(path));
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	CHECK(memcmp(key, &zero, sizeof zero) != 0); /* a key was made */

	memset(&again, 0xaa, sizeof again);
	CHECK(token_key_load(dir, &again) == SV_OK);
	CHECK(memcmp(key, &again, sizeof again) == 0);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);

	/* A damaged key file is refused, not replaced. */
	char bad[128];
	snprintf(bad, sizeof bad, "%s/bad", dir);
	CHECK(mkdir(bad, 0700) == 0);
	snprintf(path, sizeof path, "%s/%s", bad, TOKEN_FILE);
	CHECK(files_write_atomic(path, "not a key\n", 10, 0600) == SV_OK);
	CHECK(token_key_load(bad, &again) == SV_ERR_INVALID);
	CHECK(files_write_atomic(path, "abcd\n", 5, 0600) == SV_OK); /* hex, too short */
	CHECK(token_key_load(bad, &again) == SV_ERR_INVALID);
	unlink(path);
	rmdir(bad);
}

/* Servers sharing a data folder and starting together (issue 17) all take
 * one key: 8 processes load a key from a fresh folder at once, each
 * writes what it got to a pipe, and every one must hold the file's key. */
static void test_key_race(void)
{
	enum { PROCS = 8, ROUNDS = 5 };
	for (int round = 0; round < ROUNDS; round++) {
		char race[128], path[192];
		int go[2], out[2];
		pid_t kids[PROCS];
		snprintf(race, sizeof race, "%s/race%d", dir, round);
		CHECK(mkdir(race, 0700) == 0);
		CHECK(pipe(go) == 0 && pipe(out) == 0);
		for (int i = 0; i < PROCS; i++) {
			kids[i] = fork();
			if (kids[i] == 0) {
				struct token_key k;
				char c;
				close(go[1]);
				if (read(go[0], &c, 1) < 0)   /* all start when the pipe closes */
					_exit(2);
				if (token_key_load(race, &k) != SV_OK)
					_exit(1);
				_exit(write(out[1], k.k, sizeof k.k) == (ssize_t)sizeof k.k ? 0 : 1);
			}
		}
		close(go[0]);
		close(go[1]);   /* go */
		close(out[1]);
		int ok = 1;
		for (int i = 0; i < PROCS; i++) {
			int status = 0;
			ok &= waitpid(kids[i], &status, 0) == kids[i] && WIFEXITED(status) &&
			      WEXITSTATUS(status) == 0;
		}
		CHECK(ok);
		struct token_key file, got;
		CHECK(token_key_load(race, &file) == SV_OK);
		int same = 0;
		while (read(out[0], got.k, sizeof got.k) == (ssize_t)sizeof got.k)
			same += memcmp(got.k, file.k, sizeof got.k) == 0;
		CHECK(same == PROCS);
		close(out[0]);
		snprintf(path, sizeof path, "%s/%s", race, TOKEN_FILE);
		CHECK(unlink(path) == 0);
		CHECK(rmdir(race) == 0);   /* no temporary file left beside it */
	}
}

static void test_tokens(const struct token_key *key)
{
	long today = token_today();
	char tok[TOKEN_LEN + 1], other[TOKEN_LEN + 1], bad[TOKEN_LEN + 2];
	char id[TOKEN_ID_LEN + 1];

	CHECK(today > 19000); /* after 2022 */
	memset(tok, 'x', sizeof tok);
	token_issue(key, WM, today, tok);
	CHECK(strlen(tok) == TOKEN_LEN);
	CHECK(all_hex(tok, TOKEN_LEN));

	/* Good today and the next TOKEN_VALID_DAYS days. */
	memset(id, 'x', sizeof id);
	CHECK(token_check(key, WM, tok, TOKEN_LEN, today, id) == SV_OK);
	CHECK(strlen(id) == TOKEN_ID_LEN);
	CHECK(all_hex(id, TOKEN_ID_LEN));
	CHECK(strncmp(id, tok, TOKEN_ID_LEN) == 0);
	CHECK(token_check(key, WM, tok, TOKEN_LEN, today + 1, id) == SV_OK);
	CHECK(token_check(key, WM, tok, TOKEN_LEN, today + 2, id) == SV_OK);
	CHECK(TOKEN_VALID_DAYS == 2);
	CHECK(token_check(key, WM, tok, TOKEN_LEN, today + 3, id) == SV_ERR_INVALID);
	CHECK(token_check(key, WM, tok, TOKEN_LEN, today + 400, id) == SV_ERR_INVALID);
	/* Not before the day it was issued. */
	CHECK(token_check(key, WM, tok, TOKEN_LEN, today - 1, id) == SV_ERR_INVALID);
	/* Still good after those refusals. */
	CHECK(token_check(key, WM, tok, TOKEN_LEN, today, id) == SV_OK);

	/* One hex digit changed, in the nonce, the day and the MAC. */
	size_t where[] = { 0, TOKEN_ID_LEN - 1, TOKEN_ID_LEN, TOKEN_ID_LEN + 7, TOKEN_LEN - 1 };
	for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
		memcpy(bad, tok, sizeof tok);
		bad[where[i]] = bad[where[i]] == '0' ? '1' : '0';
		CHECK(token_check(key, WM, bad, TOKEN_LEN, today, id) == SV_ERR_INVALID);
	}
	/* Short, long, empty. */
	CHECK(check_n(key, WM, tok, TOKEN_LEN - 1, today, id) == SV_ERR_INVALID);
	CHECK(check_n(key, WM, tok, TOKEN_LEN - 2, today, id) == SV_ERR_INVALID);
	CHECK(check_n(key, WM, tok, TOKEN_ID_LEN, today, id) == SV_ERR_INVALID);
	CHECK(token_check(key, WM, "", 0, today, id) == SV_ERR_INVALID);
	memcpy(bad, tok, TOKEN_LEN);
	bad[TOKEN_LEN] = '0';
	bad[TOKEN_LEN + 1] = '\0';
	CHECK(check_n(key, WM, bad, TOKEN_LEN + 1, today, id) == SV_ERR_INVALID);
	memcpy(bad, tok, TOKEN_LEN);
	memcpy(bad + TOKEN_LEN, "00", 2);
	CHECK(check_n(key, WM, bad, TOKEN_LEN + 2, today, id) == SV_ERR_INVALID);
	/* Not hex: a letter past f, a space, a NUL inside. */
	const char notx[] = { 'g', ' ', '\0', ':' };
	for (size_t i = 0; i < sizeof notx; i++) {
		memcpy(bad, tok, sizeof tok);
		bad[5] = notx[i];
		CHECK(check_n(key, WM, bad, TOKEN_LEN, today, id) == SV_ERR_INVALID);
	}
	memset(bad, 'z', TOKEN_LEN);
	CHECK(check_n(key, WM, bad, TOKEN_LEN, today, id) == SV_ERR_INVALID);

	/* Made with another key. */
	struct token_key key2;
	crypto_auth_keygen(key2.k);
	CHECK(memcmp(&key2, key, sizeof key2) != 0);
	token_issue(&key2, WM, today, other);
	CHECK(strlen(other) == TOKEN_LEN);
	CHECK(token_check(key, WM, other, TOKEN_LEN, today, id) == SV_ERR_INVALID);
	CHECK(token_check(&key2, WM, other, TOKEN_LEN, today, id) == SV_OK);
	CHECK(token_check(&key2, WM, tok, TOKEN_LEN, today, id) == SV_ERR_INVALID);

	/* Two tokens differ, and so do their ids. */
	char id2[TOKEN_ID_LEN + 1];
	token_issue(key, WM, today, other);
	CHECK(strcmp(tok, other) != 0);
	CHECK(token_check(key, WM, tok, TOKEN_LEN, today, id) == SV_OK);
	CHECK(token_check(key, WM, other, TOKEN_LEN, today, id2) == SV_OK);
	CHECK(strcmp(id, id2) != 0);
	CHECK(strncmp(id2, other, TOKEN_ID_LEN) == 0);

	/* Bound to its survey: good only where it was issued, even on a survey
	 * whose id starts the same or is empty. */
	token_issue(key, "your-area", today, other);
	CHECK(token_check(key, "your-area", other, TOKEN_LEN, today, id) == SV_OK);
	CHECK(token_check(key, WM, other, TOKEN_LEN, today, id) == SV_ERR_INVALID);
	CHECK(token_check(key, "your-are", other, TOKEN_LEN, today, id) == SV_ERR_INVALID);
	CHECK(token_check(key, "your-area2", other, TOKEN_LEN, today, id) == SV_ERR_INVALID);
	CHECK(token_check(key, "", other, TOKEN_LEN, today, id) == SV_ERR_INVALID);
	CHECK(token_check(key, "your-area", tok, TOKEN_LEN, today, id) == SV_ERR_INVALID);

	/* A token from a server before the binding (MAC over nonce and day
	 * alone, crypto_auth) is refused: the respondent sends again. */
	unsigned char raw[TOKEN_LEN / 2], full[crypto_auth_BYTES];
	randombytes_buf(raw, TOKEN_ID_LEN / 2);
	for (int i = 0; i < 4; i++)
		raw[TOKEN_ID_LEN / 2 + i] = (unsigned char)((unsigned long)today >> (8 * (3 - i)));
	crypto_auth(full, raw, TOKEN_ID_LEN / 2 + 4, key->k);
	memcpy(raw + TOKEN_ID_LEN / 2 + 4, full, sizeof raw - TOKEN_ID_LEN / 2 - 4);
	sodium_bin2hex(other, sizeof other, raw, sizeof raw);
	CHECK(strlen(other) == TOKEN_LEN);
	CHECK(token_check(key, WM, other, TOKEN_LEN, today, id) == SV_ERR_INVALID);
	CHECK(token_check(key, "", other, TOKEN_LEN, today, id) == SV_ERR_INVALID);

	/* A token issued on an earlier day: good until its own day + 2. */
	token_issue(key, WM, today - 2, other);
	CHECK(token_check(key, WM, other, TOKEN_LEN, today, id) == SV_OK);
	CHECK(token_check(key, WM, other, TOKEN_LEN, today + 1, id) == SV_ERR_INVALID);
	CHECK(token_check(key, WM, other, TOKEN_LEN, today - 3, id) == SV_ERR_INVALID);
}

int main(void)
{
	struct token_key key;
	char tmpl[] = "/tmp/yv-token-XXXXXX";
	char path[256];

	CHECK(sodium_init() >= 0);
	if (!mkdtemp(tmpl)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(dir, sizeof dir, "%s", tmpl);

	test_key(&key);
	test_key_race();
	test_tokens(&key);
	sodium_memzero(&key, sizeof key);

	snprintf(path, sizeof path, "%s/%s", dir, TOKEN_FILE);
	unlink(path);
	CHECK(rmdir(dir) == 0);
	CHECK(!files_exist(dir));
	return CHECK_DONE();
}
