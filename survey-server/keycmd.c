/*
 * keycmd.c - key custody from the command line (see keycmd.h and
 * docs/keys.md).
 *
 *   key list        the keys of the data folder, which is active, and which
 *                   consultation each serves (or the server: every one
 *                   without a key of its own)
 *   key check       does this passphrase (or this set of shares) open the key?
 *                   one line, exit 0 or 1; nothing is exported
 *   key passphrase  the secret re-sealed under a new passphrase; no answer moves
 *   key split       the secret into n shares, any k of which rebuild it
 *   key recover     the secret rebuilt from k shares, sealed under a new passphrase
 *
 * Each command works on --key ID, or --consultation ID's current key, or
 * the server's active key; a consultation's key is split, recovered, checked
 * and re-sealed exactly as the server's is.
 *
 * What this file guarantees: a passphrase is read from a file's first line
 * or typed at the terminal unechoed, never from the command line; a share is
 * written only to a file the operator names outside the data folder (never
 * over an existing file) or shown on the terminal one at a time, never on
 * standard output or standard error, which may be logs; every event goes to
 * the audit log with the key's id and never a secret.  The arithmetic is
 * core/shares.c's, the key files core/seal.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "../core/files.h"
#include "../core/parse.h"
#include "../core/store.h"
#include "keycmd.h"

#define EXIT_USAGE 2
#define WHO "(command line)"        /* the audit log's "who" for these commands */
#define SHARE_FILE_MAX 4096         /* bytes in a share file, at most */
#define CLEAR_SCREEN "\033[H\033[2J\033[3J"   /* and its scrollback, where the terminal can */

static void key_dir(char *out, size_t cap, const char *data)
{
	snprintf(out, cap, "%s/keys", data);
}

int key_operator_terminal(void)
{
	if (!isatty(STDIN_FILENO))
		return -1;
	int fd = open("/dev/tty", O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd >= 0 && !isatty(fd)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* 0 if an operator's terminal is there (key_operator_terminal), else -1. */
static int key_operator_terminal_check(void)
{
	int tty = key_operator_terminal();

	if (tty < 0)
		return -1;
	close(tty);
	return 0;
}

int key_write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int key_consultation_known(const char *data, const char *db, const char *consultation)
{
	struct store *st = NULL;
	char path[4096];
	int status = 0, known = 0;

	if (!seal_consultation_ok(consultation)) {
		fprintf(stderr, "survey-server: --consultation takes a consultation's id (a-z, 0-9 and -)\n");
		return EXIT_USAGE;
	}
	snprintf(path, sizeof path, "%s/%s", data, STORE_FILE);
	if ((db || files_exist(path)) && store_open_url(data, db, &st) == SV_OK) {
		int s = 0;
		enum sv_err rc = store_consultation_status(st, consultation, 0, &s);
		known = rc == SV_OK;
		if (rc && rc != SV_ERR_NOTFOUND) {
			fprintf(stderr, "survey-server: cannot read the consultations in %s\n", data);
			status = 1;
		}
	}
	store_close(st);
	if (!status && !known) {
		fprintf(stderr, "survey-server: there is no consultation %s in %s (start the server once with "
			"its forms, then make its key)\n", consultation, data);
		status = 1;
	}
	return status;
}

void key_audit(const char *data, const char *db, const char *action, const char *detail)
{
	struct store *st = NULL;

	if (store_open_url(data, db, &st) || store_audit(st, WHO, action, detail))
		fprintf(stderr, "survey-server: could not write \"%s\" to the audit log in %s\n", action, data);
	store_close(st);
}

/*
 * A passphrase from the first line of file, or typed at the terminal (twice
 * with confirm) when no file is named.  0, or the exit status having said
 * why; option names the file's option in that message.
 */
static int get_passphrase(const char *file, const char *option, const char *prompt, int confirm,
			  char **out, size_t *len)
{
	enum sv_err rc;

	if (!file && !isatty(STDIN_FILENO)) {
		fprintf(stderr, "survey-server: this needs %s FILE (or a terminal to type the passphrase in)\n",
			option);
		return EXIT_USAGE;
	}
	rc = file ? files_read_secret(file, out, len) : files_prompt_secret(prompt, confirm, out, len);
	if (!rc)
		return 0;
	if (file)
		fprintf(stderr, "survey-server: cannot read a passphrase from the first line of %s\n", file);
	else
		fprintf(stderr, "survey-server: no passphrase was typed%s\n", confirm ? " (or the two did not match)" : "");
	return 1;
}

/* A new passphrase (--new-passphrase-file, or typed twice), long enough:
 * 0, or the exit status having said why. */
static int get_new_passphrase(const struct key_options *o, char **out, size_t *len)
{
	int status = get_passphrase(o->new_passphrase_file, "--new-passphrase-file", "New passphrase: ", 1,
				    out, len);

	if (status || *len >= SEAL_MIN_PASSPHRASE)
		return status;
	fprintf(stderr, "survey-server: the new passphrase is too short: use at least %d characters\n",
		SEAL_MIN_PASSPHRASE);
	files_secret_free(*out);
	*out = NULL;
	return 1;
}

/* Opens key id with the passphrase (--passphrase-file, or typed): 0 with *s
 * (free with seal_secret_free) and *rc SV_OK; else the exit status, *rc
 * saying what seal_secret_load found (SV_ERR_CRYPTO: a wrong passphrase,
 * not yet reported) or SV_ERR_IO when the passphrase could not be read (it
 * said why). */
static int open_key(const struct key_options *o, const char *keydir, const char *id,
		    struct seal_secret **s, enum sv_err *rc)
{
	char prompt[80], *pass = NULL;
	size_t len = 0;

	*s = NULL;
	*rc = SV_ERR_IO;
	snprintf(prompt, sizeof prompt, "Passphrase of key %s: ", id);
	int status = get_passphrase(o->passphrase_file, "--passphrase-file", prompt, 0, &pass, &len);
	if (status)
		return status;
	*rc = seal_secret_load(keydir, id, pass, len, s);
	files_secret_free(pass);
	if (*rc && *rc != SV_ERR_CRYPTO)
		fprintf(stderr, "survey-server: cannot open key %s: %s\n", id, sv_err_str(*rc));
	return *rc ? 1 : 0;
}

/* 1 if id is a key id as the folder names them: 16 lowercase hex digits. */
static int id_ok(const char *id)
{
	return strlen(id) == SEAL_KEY_ID_LEN && strspn(id, "0123456789abcdef") == SEAL_KEY_ID_LEN;
}

/* 0 if key id serves consultation (--consultation), else 1 having said so. */
static int serves(const char *keydir, const char *id, const char *consultation)
{
	char c[SEAL_CONSULTATION_MAX + 1];

	if (!consultation || seal_key_consultation(keydir, id, c) != SV_OK || strcmp(c, consultation) == 0)
		return 0;
	fprintf(stderr, "survey-server: key %s is not a key of consultation %s (it serves %s%s)\n", id,
		consultation, c[0] ? "consultation " : "", c[0] ? c : "the server");
	return 1;
}

/*
 * The key a command is for: --key, else from_shares (the key the shares
 * name) if given, else --consultation's current key, else the active key;
 * with --consultation, the key must serve it.  0 with its id in id, or the
 * exit status having said why.
 */
static int which_key(const struct key_options *o, const char *keydir, const char *from_shares,
		     char id[SEAL_KEY_ID_LEN + 1])
{
	struct seal_public pub;
	enum sv_err rc;

	if (o->consultation && !seal_consultation_ok(o->consultation)) {
		fprintf(stderr, "survey-server: --consultation takes a consultation's id (a-z, 0-9 and -)\n");
		return EXIT_USAGE;
	}
	if (!files_exist(keydir)) {
		fprintf(stderr, "survey-server: there is no key folder in %s\n", o->data);
		return 1;
	}
	if (o->key && !id_ok(o->key)) {
		fprintf(stderr, "survey-server: --key takes a key's id, 16 hex digits "
			"(survey-server key list --data %s shows them)\n", o->data);
		return EXIT_USAGE;
	}
	if (o->key && from_shares && strcmp(o->key, from_shares) != 0) {
		fprintf(stderr, "survey-server: the shares are of key %s, not %s\n", from_shares, o->key);
		return 1;
	}
	if (o->key || from_shares) {
		snprintf(id, SEAL_KEY_ID_LEN + 1, "%s", o->key ? o->key : from_shares);
		rc = seal_public_load(keydir, id, &pub);
		if (!rc && serves(keydir, id, o->consultation))
			return 1;
	} else if (o->consultation) {
		rc = seal_public_load_for(keydir, o->consultation, &pub);
		snprintf(id, SEAL_KEY_ID_LEN + 1, "%s", rc ? "" : pub.id);
		if (rc == SV_ERR_NOTFOUND) {
			fprintf(stderr, "survey-server: consultation %s has no key of its own (its answers are "
				"sealed to the server's key); survey-server keygen --consultation %s makes one\n",
				o->consultation, o->consultation);
			return 1;
		}
	} else {
		rc = seal_public_load_active(keydir, &pub);
		snprintf(id, SEAL_KEY_ID_LEN + 1, "%s", rc ? "" : pub.id);
	}
	if (rc == SV_ERR_NOTFOUND && (o->key || from_shares))
		fprintf(stderr, "survey-server: there is no key %s in %s\n", id, keydir);
	else if (rc == SV_ERR_NOTFOUND)
		fprintf(stderr, "survey-server: there is no active key in %s; name one with --key\n", keydir);
	else if (rc)
		fprintf(stderr, "survey-server: cannot read key %s in %s: %s\n", id, keydir, sv_err_str(rc));
	return rc ? 1 : 0;
}

/* ---- share files ---- */

/*
 * Where a share file may go: its folder exists, it is not inside the data
 * folder (or the data folder itself), and nothing is there yet.  0 with the
 * resolved path in out, or the exit status having said why.
 */
static int share_path_ok(const char *data, const char *path, char *out, size_t cap)
{
	char data_real[PATH_MAX], parent_real[PATH_MAX], parent[PATH_MAX];
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;

	if (!realpath(data, data_real)) {
		fprintf(stderr, "survey-server: cannot find the data folder %s\n", data);
		return 1;
	}
	size_t plen = slash ? (size_t)(slash - path) : 0;
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0 || plen >= sizeof parent) {
		fprintf(stderr, "survey-server: a share file needs a file name: %s\n", path);
		return EXIT_USAGE;
	}
	memcpy(parent, slash ? (plen ? path : "/") : ".", slash ? (plen ? plen : 1) : 1);
	parent[slash ? (plen ? plen : 1) : 1] = '\0';
	if (!realpath(parent, parent_real)) {
		fprintf(stderr, "survey-server: the folder of the share file %s does not exist\n", path);
		return EXIT_USAGE;
	}
	size_t dlen = strlen(data_real);
	if (strncmp(parent_real, data_real, dlen) == 0 &&
	    (parent_real[dlen] == '\0' || parent_real[dlen] == '/' || data_real[dlen - 1] == '/')) {
		fprintf(stderr, "survey-server: a share file must be outside the data folder: %s is inside %s "
			"(shares are never kept on the server)\n", path, data);
		return EXIT_USAGE;
	}
	int n = snprintf(out, cap, "%s/%s", strcmp(parent_real, "/") == 0 ? "" : parent_real, base);
	if (n < 0 || (size_t)n >= cap) {
		fprintf(stderr, "survey-server: the share file's path is too long: %s\n", path);
		return EXIT_USAGE;
	}
	if (files_exist(out)) {
		fprintf(stderr, "survey-server: %s exists already; a share is never written over a file, "
			"so choose a new name\n", path);
		return 1;
	}
	return 0;
}

/* Writes text to a new file at path (mode 0600, never following a link or
 * replacing a file), synced.  0, or -1. */
static int write_share_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	int bad = key_write_all(fd, text, strlen(text)) || fsync(fd) != 0;
	if (close(fd) != 0)
		bad = 1;
	if (bad)
		unlink(path);
	return bad ? -1 : 0;
}

/* Reads the share in path into out.  0, or 1 having said why. */
static int read_share(const char *path, struct share *out)
{
	char *text = NULL;
	size_t len = 0;
	enum sv_err rc = files_read_all(path, SHARE_FILE_MAX, &text, &len);

	if (rc) {
		fprintf(stderr, "survey-server: cannot read the share file %s\n", path);
		return 1;
	}
	rc = share_parse(text, len, out);
	sodium_memzero(text, len);
	free(text);
	if (rc == SV_ERR_CRYPTO)
		fprintf(stderr, "survey-server: %s: the share's checksum does not match: a digit is mistyped, "
			"or two are swapped\n", path);
	else if (rc)
		fprintf(stderr, "survey-server: %s does not hold a share (a line \"youthvoice key share ...\" "
			"and 26 groups of 4 hex digits)\n", path);
	return rc ? 1 : 0;
}

/* Says on the terminal (not standard error: the session goes on) why a
 * typed line was not taken. */
static void tell_terminal(const char *text)
{
	int tty = key_operator_terminal();

	if (tty >= 0) {
		key_write_all(tty, text, strlen(text));
		close(tty);
	}
}

/*
 * Shares typed at the terminal (--share-file -), unechoed, each on one
 * line, until as many as the first one's set needs; a line that is not a
 * share, or mistyped, is asked for again, three times in all.  0 with *n
 * shares in sh, or the exit status having said why.
 */
static int typed_shares(struct share *sh, int *n)
{
	int want = SHARES_MIN_K, misses = 0;

	*n = 0;
	if (key_operator_terminal_check()) {
		fprintf(stderr, "survey-server: --share-file - needs a terminal to type the shares in\n");
		return EXIT_USAGE;
	}
	while (*n < want) {
		char prompt[120], *line = NULL;
		size_t len = 0;
		snprintf(prompt, sizeof prompt, "Share %d (its 26 groups of 4 digits, on one line): ", *n + 1);
		if (files_prompt_secret(prompt, 0, &line, &len)) {
			fprintf(stderr, "survey-server: no share was typed; nothing was done\n");
			return 1;
		}
		enum sv_err rc = share_parse(line, len, &sh[*n]);
		files_secret_free(line);
		if (rc) {
			if (++misses == 3) {
				fprintf(stderr, "survey-server: three lines were not shares; nothing was done\n");
				return 1;
			}
			tell_terminal(rc == SV_ERR_CRYPTO ? "That share's checksum does not match: a digit is "
				      "mistyped, or two are swapped. Type it again.\n" : "That is not a share "
				      "(26 groups of 4 hex digits). Type it again.\n");
			continue;
		}
		if (*n == 0)
			want = sh[0].k;
		(*n)++;
	}
	return 0;
}

/*
 * The shares named by --share-file (or typed, for "-"), read and combined
 * into the secret of the key (which_key: --key or the shares' own), checked
 * against its public key.  0 with *secret (free with seal_secret_free), its
 * id and *count, the shares used; or the exit status having said why;
 * audit is the action logged on refusal.
 */
static int from_shares(const struct key_options *o, const char *keydir, const char *audit,
		       char id[SEAL_KEY_ID_LEN + 1], struct seal_secret **secret, int *count)
{
	struct share sh[SHARES_MAX_N + 1];
	unsigned char *raw = NULL;
	char named[17], detail[200];
	const char *why = NULL;
	int status = 0, n = o->nshare_files;

	*secret = NULL;
	if (n == 1 && strcmp(o->share_files[0], "-") == 0)
		status = typed_shares(sh, &n);
	else
		for (int i = 0; i < n && !status; i++)
			status = read_share(o->share_files[i], &sh[i]);
	*count = n;
	if (status)
		goto out;
	share_key_id(&sh[0], named);
	status = which_key(o, keydir, named, id);
	if (status)
		goto out;
	raw = sodium_malloc(SEAL_SECRET_BYTES);
	if (!raw) {
		status = 1;
		goto out;
	}
	enum sv_err rc = shares_combine(sh, n, raw, &why);
	if (rc == SV_ERR_INVALID) {
		fprintf(stderr, "survey-server: the shares do not open key %s: %s (this set needs %d of its %d; "
			"%d given)\n", id, why, sh[0].k, sh[0].n, n);
		snprintf(detail, sizeof detail, "%s: %s", id, why);
		key_audit(o->data, o->db, audit, detail);
		status = 1;
		goto out;
	}
	rc = rc ? rc : seal_secret_from_bytes(keydir, id, raw, secret);
	if (rc) {
		fprintf(stderr, "survey-server: the shares do not open key %s%s\n", id,
			rc == SV_ERR_CRYPTO ? ": they rebuild some other secret" : "");
		snprintf(detail, sizeof detail, "%s: the shares rebuild some other secret", id);
		key_audit(o->data, o->db, audit, detail);
		status = 1;
	}
out:
	sodium_free(raw);
	shares_wipe(sh, n);
	return status;
}

/* ---- splitting ---- */

int key_split_options(const struct key_options *o, int *n, int *k)
{
	long long nn = 0, kk = 0;
	char resolved[SHARES_MAX_N][PATH_MAX];

	if (!o->shares || !o->threshold) {
		fprintf(stderr, "survey-server: splitting needs --shares N (how many to make) and --threshold K "
			"(how many recover the key)\n");
		return EXIT_USAGE;
	}
	if (parse_int(o->shares, strlen(o->shares), SHARES_MIN_K, SHARES_MAX_N, &nn) ||
	    parse_int(o->threshold, strlen(o->threshold), SHARES_MIN_K, nn ? nn : SHARES_MAX_N, &kk)) {
		fprintf(stderr, "survey-server: --shares takes %d to %d, and --threshold %d to the number of "
			"shares\n", SHARES_MIN_K, SHARES_MAX_N, SHARES_MIN_K);
		return EXIT_USAGE;
	}
	if (o->too_many_share_files || (o->nshare_files && o->nshare_files != nn)) {
		fprintf(stderr, "survey-server: give --share-file once for each of the %lld shares, or not at all "
			"to show them on the terminal\n", nn);
		return EXIT_USAGE;
	}
	if (!o->nshare_files && key_operator_terminal_check()) {
		fprintf(stderr, "survey-server: there is no terminal to show the shares on (they never go to "
			"standard output or a log): give --share-file FILE for each of the %lld shares\n", nn);
		return EXIT_USAGE;
	}
	for (int i = 0; i < o->nshare_files; i++) {
		int status = share_path_ok(o->data, o->share_files[i], resolved[i], sizeof resolved[i]);
		if (status)
			return status;
		for (int j = 0; j < i; j++)
			if (strcmp(resolved[i], resolved[j]) == 0) {
				fprintf(stderr, "survey-server: each share needs its own file: %s is named twice\n",
					o->share_files[i]);
				return EXIT_USAGE;
			}
	}
	*n = (int)nn;
	*k = (int)kk;
	return 0;
}

/* Waits for Enter on the terminal. */
static void wait_for_enter(void)
{
	FILE *tty = fopen("/dev/tty", "r");
	int ch;

	if (!tty)
		return;
	while ((ch = getc(tty)) != EOF && ch != '\n')
		;
	fclose(tty);
}

/* Shows each share alone on the terminal, clearing it between them: each
 * keeper sees only their own.  0, or -1 if the terminal failed. */
static int shares_on_terminal(const struct share *sh, int n, int k, const char *id)
{
	char text[SHARES_TEXT_MAX + 1024], share[SHARES_TEXT_MAX];
	int tty = key_operator_terminal(), bad = tty < 0;

	for (int i = 0; i < n && !bad; i++) {
		share_format(&sh[i], share, sizeof share);
		int len = snprintf(text, sizeof text, CLEAR_SCREEN
			"Share %d of %d for key %s. Any %d of the %d shares rebuild the secret key; fewer tell\n"
			"nothing about it. It is shown this once, for its keeper only: write it down exactly\n"
			"(or print this screen) and keep it away from the server and from the other shares.\n\n"
			"%s\n"
			"When it is written down, press Enter: the screen is cleared%s.\n",
			i + 1, n, id, k, n, share, i + 1 < n ? " for the next keeper" : "");
		bad = len < 0 || (size_t)len >= sizeof text || key_write_all(tty, text, (size_t)len);
		sodium_memzero(text, sizeof text);
		sodium_memzero(share, sizeof share);
		if (!bad)
			wait_for_enter();
	}
	if (!bad)
		bad = key_write_all(tty, CLEAR_SCREEN, strlen(CLEAR_SCREEN));
	if (tty >= 0)
		close(tty);
	return bad ? -1 : 0;
}

int key_split_hand_out(const struct key_options *o, const struct seal_secret *s, int n, int k)
{
	struct share sh[SHARES_MAX_N];
	char text[SHARES_TEXT_MAX], detail[120];
	const char *id = seal_secret_id(s);
	int written = 0, status = 0;

	if (shares_split(seal_secret_bytes(s), id, n, k, sh)) {
		fprintf(stderr, "survey-server: could not split key %s\n", id);
		return 1;
	}
	if (o->nshare_files) {
		for (; written < n && !status; written++) {
			share_format(&sh[written], text, sizeof text);
			if (write_share_file(o->share_files[written], text)) {
				fprintf(stderr, "survey-server: could not write the share file %s; no share was kept\n",
					o->share_files[written]);
				status = 1;
			}
		}
		sodium_memzero(text, sizeof text);
		/* All or none: a set missing a share is one nobody expects. */
		for (int i = 0; status && i < written - 1; i++)
			unlink(o->share_files[i]);
	} else if (shares_on_terminal(sh, n, k, id)) {
		fprintf(stderr, "survey-server: could not show the shares on the terminal; split the key again\n");
		status = 1;
	}
	shares_wipe(sh, n);
	if (status)
		return status;
	snprintf(detail, sizeof detail, "%s: %d of %d, %s", id, k, n,
		 o->nshare_files ? "to files" : "on the terminal");
	key_audit(o->data, o->db, "split a key", detail);
	printf("split key %s into %d shares, any %d of which recover it; ", id, n, k);
	if (o->nshare_files) {
		printf("written to");
		for (int i = 0; i < n; i++)
			printf("%s %s", i ? (i + 1 < n ? "," : " and") : "", o->share_files[i]);
		printf(": give each to its keeper, then delete it from this machine\n");
	} else {
		printf("each was shown once on the terminal\n");
	}
	return 0;
}

/* ---- the commands ---- */

static int cmd_list(const struct key_options *o, const char *keydir)
{
	struct seal_key_info keys[SEAL_MAX_KEYS];
	int n = 0;
	enum sv_err rc = seal_key_list(keydir, keys, SEAL_MAX_KEYS, &n);

	if (rc == SV_ERR_NOTFOUND || (!rc && n == 0)) {
		fprintf(stderr, "survey-server: there is no key in %s yet (survey-server keygen makes one)\n",
			o->data);
		return 1;
	}
	for (int i = 0; i < n; i++)
		printf("%s  made %s%s%s  serves: %s%s\n", keys[i].id,
		       keys[i].created[0] ? keys[i].created : "(unknown day)",
		       keys[i].active ? "  active: new answers are sealed to it" : "",
		       keys[i].has_secret ? "" : "  NO SECRET FILE: recover it from its shares",
		       keys[i].consultation[0] ? "consultation " : "every consultation without a key of its own",
		       keys[i].consultation);
	if (rc)
		fprintf(stderr, "survey-server: more than %d keys; the first %d are listed\n", SEAL_MAX_KEYS, n);
	return rc ? 1 : 0;
}

static int cmd_check(const struct key_options *o, const char *keydir)
{
	char id[SEAL_KEY_ID_LEN + 1], detail[120];
	struct seal_secret *s = NULL;
	int status;

	if (o->nshare_files && o->passphrase_file) {
		fprintf(stderr, "survey-server: key check takes --passphrase-file or --share-file, not both\n");
		return EXIT_USAGE;
	}
	if (o->too_many_share_files) {
		fprintf(stderr, "survey-server: a set has at most %d shares\n", SHARES_MAX_N);
		return EXIT_USAGE;
	}
	if (o->nshare_files) {
		int count = 0;
		status = from_shares(o, keydir, "checked a key: shares refused", id, &s, &count);
		if (status)
			return status;
		seal_secret_free(s);
		snprintf(detail, sizeof detail, "%s: %d shares open it", id, count);
		key_audit(o->data, o->db, "checked a key", detail);
		printf("ok: the %d shares open key %s\n", count, id);
		return 0;
	}
	enum sv_err rc = SV_ERR_IO;
	status = which_key(o, keydir, NULL, id);
	if (!status)
		status = open_key(o, keydir, id, &s, &rc);
	seal_secret_free(s);
	if (rc == SV_OK || rc == SV_ERR_CRYPTO) {
		snprintf(detail, sizeof detail, "%s: the passphrase %s", id, rc ? "does not open it" : "opens it");
		key_audit(o->data, o->db, rc ? "checked a key: passphrase refused" : "checked a key", detail);
	}
	if (rc == SV_ERR_CRYPTO)
		fprintf(stderr, "survey-server: the passphrase does not open key %s\n", id);
	else if (rc == SV_OK)
		printf("ok: the passphrase opens key %s\n", id);
	return status;
}

static int cmd_passphrase(const struct key_options *o, const char *keydir)
{
	char id[SEAL_KEY_ID_LEN + 1], prompt[80], detail[120];
	char *old = NULL, *new = NULL;
	size_t old_len = 0, new_len = 0;
	int status = which_key(o, keydir, NULL, id);

	if (status)
		return status;
	snprintf(prompt, sizeof prompt, "Current passphrase of key %s: ", id);
	status = get_passphrase(o->passphrase_file, "--passphrase-file", prompt, 0, &old, &old_len);
	if (status)
		return status;
	status = get_new_passphrase(o, &new, &new_len);
	if (status) {
		files_secret_free(old);
		return status;
	}
	if (old_len == new_len && sodium_memcmp(old, new, old_len) == 0) {
		fprintf(stderr, "survey-server: the new passphrase is the same as the current one\n");
		files_secret_free(old);
		files_secret_free(new);
		return 1;
	}
	enum sv_err rc = seal_secret_repass(keydir, id, old, old_len, new, new_len, SEAL_KDF_MODERATE);
	files_secret_free(old);
	files_secret_free(new);
	if (rc == SV_ERR_CRYPTO) {
		snprintf(detail, sizeof detail, "%s: the current passphrase did not open it", id);
		key_audit(o->data, o->db, "key passphrase change refused", detail);
		fprintf(stderr, "survey-server: the current passphrase does not open key %s; nothing changed\n", id);
		return 1;
	}
	if (rc) {
		fprintf(stderr, "survey-server: could not change the passphrase of key %s: %s\n", id, sv_err_str(rc));
		return 1;
	}
	key_audit(o->data, o->db, "changed a key's passphrase", id);
	printf("changed the passphrase of key %s; the old one no longer opens it, and every answer stays "
	       "sealed as it was\n", id);
	return 0;
}

static int cmd_split(const struct key_options *o, const char *keydir)
{
	char id[SEAL_KEY_ID_LEN + 1];
	struct seal_secret *s = NULL;
	enum sv_err rc = SV_ERR_IO;
	int n = 0, k = 0;
	int status = which_key(o, keydir, NULL, id);

	if (!status)
		status = key_split_options(o, &n, &k);
	if (!status)
		status = open_key(o, keydir, id, &s, &rc);
	if (status && rc == SV_ERR_CRYPTO)
		fprintf(stderr, "survey-server: the passphrase does not open key %s; nothing was split\n", id);
	if (!status)
		status = key_split_hand_out(o, s, n, k);
	seal_secret_free(s);
	return status;
}

static int cmd_recover(const struct key_options *o, const char *keydir)
{
	char id[SEAL_KEY_ID_LEN + 1], detail[120];
	struct seal_secret *s = NULL;
	char *pass = NULL;
	size_t len = 0;

	if (!o->nshare_files || o->too_many_share_files) {
		fprintf(stderr, "survey-server: key recover needs --share-file FILE for each share, as many as "
			"the set's threshold (at most %d), or --share-file - to type them\n", SHARES_MAX_N);
		return EXIT_USAGE;
	}
	int count = 0;
	int status = from_shares(o, keydir, "key recovery refused", id, &s, &count);
	if (status)
		return status;
	status = get_new_passphrase(o, &pass, &len);
	if (status) {
		seal_secret_free(s);
		return status;
	}
	enum sv_err rc = seal_secret_save(keydir, s, pass, len, SEAL_KDF_MODERATE);
	files_secret_free(pass);
	seal_secret_free(s);
	if (rc) {
		fprintf(stderr, "survey-server: could not write the secret of key %s: %s\n", id, sv_err_str(rc));
		return 1;
	}
	snprintf(detail, sizeof detail, "%s: from %d shares", id, count);
	key_audit(o->data, o->db, "recovered a key", detail);
	printf("recovered key %s from %d shares; its secret is sealed under the new passphrase, and no "
	       "earlier passphrase opens it\n", id, count);
	return 0;
}

int key_command(const char *verb, const struct key_options *o)
{
	static const struct {
		const char *verb;
		int (*fn)(const struct key_options *, const char *);
	} verbs[] = {
		{ "list", cmd_list }, { "check", cmd_check }, { "passphrase", cmd_passphrase },
		{ "split", cmd_split }, { "recover", cmd_recover },
	};
	char keydir[4096];

	key_dir(keydir, sizeof keydir, o->data);
	for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
		if (strcmp(verb, verbs[i].verb) == 0)
			return verbs[i].fn(o, keydir);
	fprintf(stderr, "survey-server: key takes list, check, passphrase, split or recover\n");
	return EXIT_USAGE;
}
