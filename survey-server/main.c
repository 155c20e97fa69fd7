/*
 * main.c - survey-server's commands: serve, keygen, user and backup.
 *
 *   survey-server serve  [--data DIR] [--listen ADDR:PORT] [--forms DIR]
 *   survey-server keygen [--data DIR] --passphrase-file FILE [--rotate]
 *                        [--consultation ID] [--shares N --threshold K [--share-file FILE...]]
 *   survey-server key list|check|passphrase|split|recover [--data DIR] ...  (keycmd.c)
 *   survey-server user add|disable|enable|reset|role [--data DIR] --name NAME ...
 *   survey-server backup [--data DIR] -o FILE
 *   survey-server ballot import [--data DIR] [--forms DIR] --survey ID --file FILE [--name NAME]
 *
 * Exit status: 0 success, 1 runtime failure, 2 bad usage, each failure with
 * one line on standard error saying what was wrong.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "../core/backup.h"
#include "../core/draft.h"
#include "../core/files.h"
#include "../core/parse.h"
#include "../core/scrub.h"
#include "../core/seal.h"
#include "../core/store.h"
#include "../forms/ballot.h"
#include "../forms/form.h"
#include "http.h"
#include "keycmd.h"
#include "kiosk.h"
#include "server.h"

#define EXIT_USAGE 2
#define MAX_STYLESHEET (64 * 1024)

struct options {
	const char *data;           /* --data */
	const char *db;             /* --db: a postgresql:// URL, or NULL for SQLite in data */
	const char *listen;         /* --listen */
	const char *forms;          /* --forms */
	const char *passphrase_file;/* --passphrase-file */
	const char *rate_limit;     /* --rate-limit: submissions per client per minute */
	const char *proxy;          /* --proxy: the reverse proxy's address */
	const char *public_url;     /* --public-url: the address people reach it at */
	const char *name;           /* user add --name */
	const char *role;           /* user add --role */
	const char *password_file;  /* user add --password-file */
	const char *output;         /* backup -o */
	const char *second_factor;  /* --second-factor required|optional */
	const char *analysis_idle;  /* --analysis-idle SECONDS: an analysis session's idle end */
	const char *model;          /* --model DIR: the sentence model (vendor/model) */
	struct key_options keys;    /* --key, --new-passphrase-file, --shares, --threshold,
	                             * --share-file (keycmd.h) */
	const char *survey;         /* ballot import --survey */
	const char *file;           /* ballot import --file */
	int rotate;                 /* --rotate */
	int help;                   /* --help or -h: the usage, on stdout */
};

/* The usage: on stdout when asked for (--help), on stderr after a mistake. */
static void usage(FILE *to)
{
	fprintf(to,
		"usage: survey-server serve  [--data DIR] [--listen ADDR:PORT] [--forms DIR]\n"
		"                            [--rate-limit PER_MINUTE] [--proxy ADDR]\n"
		"                            [--public-url https://HOST[:PORT][/PATH]]\n"
		"                            [--second-factor required|optional]\n"
		"                            [--analysis-idle SECONDS] [--model DIR]\n"
		"       survey-server keygen [--data DIR] [--passphrase-file FILE] [--rotate]\n"
		"                            [--consultation CID]\n"
		"                            [--shares N --threshold K [--share-file FILE]...]\n"
		"       survey-server key list [--data DIR]\n"
		"       survey-server key check [--data DIR] [--key ID | --consultation CID]\n"
		"                               [--passphrase-file FILE | --share-file FILE...]\n"
		"       survey-server key passphrase [--data DIR] [--key ID | --consultation CID]\n"
		"                                    [--passphrase-file OLD] [--new-passphrase-file NEW]\n"
		"       survey-server key split [--data DIR] [--key ID | --consultation CID]\n"
		"                               [--passphrase-file FILE]\n"
		"                               --shares N --threshold K [--share-file FILE]...\n"
		"       survey-server key recover [--data DIR] [--key ID | --consultation CID]\n"
		"                                 --share-file FILE... [--new-passphrase-file FILE]\n"
		"       survey-server user add [--data DIR] --name NAME --role ROLE --password-file FILE\n"
		"       survey-server user disable|enable|reset [--data DIR] --name NAME\n"
		"       survey-server user role [--data DIR] --name NAME --role ROLE\n"
		"       survey-server backup [--data DIR] -o FILE\n"
		"       survey-server ballot import [--data DIR] [--forms DIR] --survey ID --file FILE.csv\n"
		"                            [--name NAME]\n"
		"         Every command also takes --db URL: postgresql://user@host:port/database\n"
		"         instead of SQLite in the data folder (docs/postgresql.md).\n"
		"         ROLE: youth-worker, commissioner or admin\n"
		"         ID: a key's id (key list shows them); the active key when left out\n"
		"         CID: a consultation's id: keygen makes a key of its own for it (its\n"
		"         answers are sealed to it from then on; --rotate for a new one), and\n"
		"         the key commands work on its current key\n"
		"         Without a FILE, a passphrase is typed at the terminal; shares without\n"
		"         --share-file are shown there one at a time, and --share-file - reads\n"
		"         shares typed there.  A share file must be outside the data folder:\n"
		"         shares are never kept on the server.\n");
}

/* Reads "--name value" pairs; returns 0 or prints what was wrong. */
static int parse_options(int argc, char **argv, int first, struct options *o)
{
	for (int i = first; i < argc; i++) {
		const char *name = argv[i];
		const char **slot = NULL;
		if (strcmp(name, "--data") == 0) slot = &o->data;
		else if (strcmp(name, "--db") == 0) slot = &o->db;
		else if (strcmp(name, "--listen") == 0) slot = &o->listen;
		else if (strcmp(name, "--forms") == 0) slot = &o->forms;
		else if (strcmp(name, "--passphrase-file") == 0) slot = &o->passphrase_file;
		else if (strcmp(name, "--rate-limit") == 0) slot = &o->rate_limit;
		else if (strcmp(name, "--proxy") == 0) slot = &o->proxy;
		else if (strcmp(name, "--public-url") == 0) slot = &o->public_url;
		else if (strcmp(name, "--name") == 0) slot = &o->name;
		else if (strcmp(name, "--role") == 0) slot = &o->role;
		else if (strcmp(name, "--password-file") == 0) slot = &o->password_file;
		else if (strcmp(name, "-o") == 0) slot = &o->output;
		else if (strcmp(name, "--second-factor") == 0) slot = &o->second_factor;
		else if (strcmp(name, "--analysis-idle") == 0) slot = &o->analysis_idle;
		else if (strcmp(name, "--model") == 0) slot = &o->model;
		else if (strcmp(name, "--key") == 0) slot = &o->keys.key;
		else if (strcmp(name, "--consultation") == 0) slot = &o->keys.consultation;
		else if (strcmp(name, "--new-passphrase-file") == 0) slot = &o->keys.new_passphrase_file;
		else if (strcmp(name, "--shares") == 0) slot = &o->keys.shares;
		else if (strcmp(name, "--threshold") == 0) slot = &o->keys.threshold;
		else if (strcmp(name, "--share-file") == 0) {
			if (o->keys.nshare_files < SHARES_MAX_N) {
				slot = &o->keys.share_files[o->keys.nshare_files++];
			} else {
				slot = &o->keys.share_files[SHARES_MAX_N];   /* the command refuses it */
				o->keys.too_many_share_files = 1;
			}
		}
		else if (strcmp(name, "--survey") == 0) slot = &o->survey;
		else if (strcmp(name, "--file") == 0) slot = &o->file;
		else if (strcmp(name, "--rotate") == 0) { o->rotate = 1; continue; }
		else if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) { o->help = 1; continue; }
		else {
			fprintf(stderr, "survey-server: unknown option \"%s\"\n", name);
			return -1;
		}
		if (i + 1 >= argc || argv[i + 1][0] == '\0') {
			fprintf(stderr, "survey-server: %s needs a value\n", name);
			return -1;
		}
		*slot = argv[++i];
	}
	return 0;
}

/* What to say when the store does not open (its own line above says why). */
static void say_no_database(const struct options *o)
{
	if (o->db)
		fprintf(stderr, "survey-server: the PostgreSQL database given by --db holds no youthvoice data "
			"or could not be opened\n");
	else
		fprintf(stderr, "survey-server: cannot open the database in %s\n", o->data);
}

static void key_dir(char *out, size_t cap, const char *data)
{
	snprintf(out, cap, "%s/keys", data);
}

/*
 * First start with no key: make a key pair sealed under a random passphrase
 * and show the passphrase once, on the operator's terminal only.  With no
 * terminal (a service, a container, CI, output sent to a file) no key is
 * made: its passphrase could only be revealed through a log kept beside
 * keys/ID.secret.  The server then starts without one and takes answers
 * once an operator has run keygen (serverkey.c).  Returns 0 with a key, 1
 * with none (having said what to do), or -1 on a failure it has reported.
 */
static int first_key(const char *data, const char *keydir, struct seal_public *key)
{
	char passphrase[SEAL_PASSPHRASE_WORDS * 5], text[1536];
	int tty = key_operator_terminal();
	enum sv_err rc;

	if (tty < 0) {
		fprintf(stderr, "survey-server: there is no key in %s yet, and no terminal to show a new "
			"passphrase on (it must never go to a log): surveys take no answers (503, answers "
			"kept) until an operator runs \"survey-server keygen --data %s\", which is taken "
			"up without a restart\n", keydir, data);
		return 1;
	}
	seal_passphrase_generate(passphrase);
	rc = seal_key_create(keydir, passphrase, strlen(passphrase), SEAL_KDF_MODERATE, key);
	int n = rc ? -1 : snprintf(text, sizeof text,
		"\nsurvey-server: made a new key pair (id %s).\n"
		"  The secret key is in %s/%s.secret, locked with this passphrase:\n\n"
		"      %s\n\n"
		"  It is shown only this once, on this terminal, never in a log. Write it down\n"
		"  and keep it away from the server: without it nobody can read the responses.\n"
		"  To choose your own passphrase instead, stop the server and run:\n"
		"  survey-server keygen --data %s --rotate --passphrase-file FILE\n\n",
		key->id, keydir, key->id, passphrase, data);
	sodium_memzero(passphrase, sizeof passphrase);
	if (!rc && (n < 0 || (size_t)n >= sizeof text || key_write_all(tty, text, (size_t)n)))
		rc = SV_ERR_IO; /* the key exists but nobody saw its passphrase */
	sodium_memzero(text, sizeof text);
	close(tty);
	if (rc) {
		fprintf(stderr, "survey-server: could not make a key pair in %s and show its passphrase: %s\n",
			keydir, sv_err_str(rc));
		return -1;
	}
	/* What the log may keep: where the key is, never its passphrase. */
	fprintf(stderr, "survey-server: made a new key pair (id %s); the public key is in %s/%s.public, "
		"the secret key in %s/%s.secret; its passphrase was shown on the terminal only\n",
		key->id, keydir, key->id, keydir, key->id);
	return 0;
}

/* A consultation as the database keeps it. */
struct kept {
	char id[PARSE_MAX_ID + 1];
	char *title, *taxonomy;
	int status, edited;
};

struct kept_list {
	struct kept items[FORM_MAX_CONSULTATIONS * 2];
	int n;
};

static void keep_row(void *arg, const char *id, const char *title, const char *taxonomy,
		     int status, int edited)
{
	struct kept_list *l = arg;

	if (l->n >= (int)(sizeof l->items / sizeof *l->items))
		return;
	struct kept *k = &l->items[l->n++];
	snprintf(k->id, sizeof k->id, "%s", id);
	k->title = strdup(title);
	k->taxonomy = strdup(taxonomy);
	k->status = status;
	k->edited = edited;
}

/*
 * Brings forms/ and the database together at start: each consultation of
 * forms/ is stored, with any theme list commissioners refined merged over
 * it; consultations commissioners started in the staff pages join the
 * catalogue; each keeps the lifecycle commissioners last gave it.
 */
static int sync_consultations(struct server *srv)
{
	struct kept_list *l = calloc(1, sizeof *l);
	struct form_catalog *cat = srv->catalog;
	char err[600];
	int failed = 0;

	if (!l || store_consultation_each_full(srv->store, keep_row, l)) {
		free(l);
		return -1;
	}
	int from_files = cat->nconsultations;
	for (int i = 0; i < from_files && !failed; i++) {
		struct form_consultation *c = &cat->consultations[i];
		struct kept *k = NULL;
		char *merged = NULL;
		for (int j = 0; j < l->n; j++)
			if (strcmp(l->items[j].id, c->id) == 0)
				k = &l->items[j];
		const char *json = c->taxonomy_json;
		if (k && k->edited && k->taxonomy) {
			if (form_taxonomy_merge(c->taxonomy_json, k->taxonomy, &merged) ||
			    form_consultation_refine(cat, c, merged, err, sizeof err)) {
				fprintf(stderr, "survey-server: consultation %s: the theme list refined in the "
					"staff pages no longer fits forms/ (%s); keeping forms/'s\n", c->id,
					merged ? err : "cannot merge");
			} else {
				json = merged;
			}
		}
		failed = store_consultation_put(srv->store, c->id, c->title, json) != SV_OK ||
			store_round_set(srv->store, c->id, c->plan, c->round) != SV_OK;
		c->status = k ? k->status : FORM_OPEN;
		free(merged);
	}
	for (int j = 0; j < l->n && !failed; j++) {
		struct kept *k = &l->items[j];
		if (form_catalog_consultation(cat, k->id) || !k->title || !k->taxonomy)
			continue;
		if (form_catalog_add(cat, k->id, k->title, k->taxonomy, k->status, err, sizeof err))
			fprintf(stderr, "survey-server: consultation %s cannot be offered: %s\n", k->id, err);
	}
	for (int j = 0; j < l->n; j++) {
		free(l->items[j].title);
		free(l->items[j].taxonomy);
	}
	free(l);
	if (failed)
		fprintf(stderr, "survey-server: cannot save the consultations\n");
	return failed ? -1 : 0;
}

/* A survey a commissioner attached elsewhere goes back there at start. */
static void reattach(void *arg, const char *id, const char *consultation)
{
	struct server *srv = arg;
	struct form_survey *s = NULL;
	char err[300];

	for (int i = 0; i < srv->catalog->nsurveys; i++)
		if (strcmp(srv->catalog->surveys[i]->id, id) == 0)
			s = srv->catalog->surveys[i];
	const struct form_consultation *to = form_catalog_consultation(srv->catalog, consultation);
	if (!s || !to)
		return; /* the survey or consultation is no longer offered */
	if (form_survey_move(s, to, err, sizeof err))
		fprintf(stderr, "survey-server: survey %s stays in %s: %s\n", id, s->consultation->id, err);
}

#define MAX_PUBLIC_URL 200

/* 1 if url is a plain http(s) address for links: scheme, host, optional
 * port and path, no spaces, quotes, query or fragment, no trailing '/'. */
static int public_url_ok(const char *url)
{
	size_t n = strlen(url);
	size_t scheme = strncmp(url, "https://", 8) == 0 ? 8 : strncmp(url, "http://", 7) == 0 ? 7 : 0;

	return scheme && n > scheme && n <= MAX_PUBLIC_URL && url[n - 1] != '/' &&
	       strspn(url, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:/_~") == n;
}

/* forms/static/NAME into memory, to be served from there; says why not. */
static int read_static(const char *forms, const char *name, char **out, size_t *len)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/static/%s", forms, name);
	enum sv_err rc = files_read_all(path, MAX_STYLESHEET, out, len);
	if (rc)
		fprintf(stderr, "survey-server: %s: cannot read: %s\n", path, sv_err_str(rc));
	return rc != SV_OK;
}

static int cmd_serve(const struct options *o)
{
	struct server srv;
	char keydir[4096], err[600];
	enum sv_err rc;
	int status = 1;

	memset(&srv, 0, sizeof srv);
	long long per_minute = RATE_DEFAULT_PER_MINUTE;
	if (o->rate_limit && parse_int(o->rate_limit, strlen(o->rate_limit), 0, 1000000, &per_minute)) {
		fprintf(stderr, "survey-server: --rate-limit takes a whole number of submissions "
			"per client per minute (0 for no limit)\n");
		return EXIT_USAGE;
	}
	srv.trusted_proxy = o->proxy;
	if (o->public_url && !public_url_ok(o->public_url)) {
		fprintf(stderr, "survey-server: --public-url takes the address people reach the service at, "
			"such as https://voice.example.org (no trailing /, up to %d characters)\n",
			MAX_PUBLIC_URL);
		return EXIT_USAGE;
	}
	srv.public_url = o->public_url;
	if (o->second_factor && strcmp(o->second_factor, "required") != 0 &&
	    strcmp(o->second_factor, "optional") != 0) {
		fprintf(stderr, "survey-server: --second-factor takes required (the default) or optional\n");
		return EXIT_USAGE;
	}
	srv.second_factor_optional = o->second_factor && strcmp(o->second_factor, "optional") == 0;
	long long analysis_idle = 30 * 60;
	if (o->analysis_idle && parse_int(o->analysis_idle, strlen(o->analysis_idle), 1, 24 * 60 * 60,
					  &analysis_idle)) {
		fprintf(stderr, "survey-server: --analysis-idle takes the seconds an analysis session may "
			"stay idle before it ends (1 to 86400; 1800 unless set)\n");
		return EXIT_USAGE;
	}
	srv.limiter = rate_new((unsigned)per_minute);
	srv.conns = conn_limit_new(CONN_DEFAULT_PER_CLIENT);
	if (!srv.limiter || !srv.conns) {
		rate_free(srv.limiter);
		conn_limit_free(srv.conns);
		return 1;
	}
	rc = files_ensure_dir(o->data);
	if (rc) {
		fprintf(stderr, "survey-server: cannot use the data folder %s\n", o->data);
		return 1;
	}
	rc = scrub_init();
	if (rc) {
		fprintf(stderr, "survey-server: the free-text scrubber could not start: %s\n",
			sv_err_str(rc));
		goto out;
	}
	rc = form_catalog_load(o->forms, &srv.catalog, err, sizeof err);
	if (rc) {
		fprintf(stderr, "survey-server: %s\n", err);
		goto out;
	}
	if (read_static(o->forms, "style.css", &srv.stylesheet, &srv.stylesheet_len) ||
	    read_static(o->forms, "staff.css", &srv.staff_stylesheet, &srv.staff_stylesheet_len) ||
	    read_static(o->forms, "tally.js", &srv.tally_script, &srv.tally_script_len) ||
	    read_static(o->forms, "respond.js", &srv.respond_script, &srv.respond_script_len) ||
	    read_static(o->forms, "results.js", &srv.results_script, &srv.results_script_len)) {
		rc = SV_ERR_IO;
		goto out;
	}
	srv.drafts = drafts_new();
	if (!srv.drafts) {
		rc = SV_ERR_NOMEM;
		goto out;
	}
	rc = store_open_url(o->data, o->db, &srv.store);
	if (rc) {
		say_no_database(o);
		goto out;
	}
	/* Limits on tries whose time passed while the server was down go now
	 * (core/store_attempts.c): no time of a try is kept longer than needed. */
	if (sync_consultations(&srv) || builder_sync(&srv) ||
	    store_attempt_expire(srv.store, (long long)time(NULL)) ||
	    store_survey_moved_each(srv.store, reattach, &srv) || help_load(&srv) ||
	    rounds_load(&srv) || yousaid_load(&srv)) {
		rc = SV_ERR_DB;
		goto out;
	}
	for (int i = 0; i < srv.catalog->nsurveys; i++) {
		const struct form_survey *s = srv.catalog->surveys[i];
		struct sbuf fields;
		sbuf_init(&fields, 64 * 1024);
		form_survey_fields(s, &fields);
		rc = fields.err ? fields.err :
			store_survey_put(srv.store, s->id, s->consultation->id, s->title, fields.buf);
		sbuf_free(&fields);
		if (rc) {
			fprintf(stderr, "survey-server: cannot save survey %s\n", s->id);
			goto out;
		}
	}
	key_dir(keydir, sizeof keydir, o->data);
	srv.key_dir = keydir;
	pthread_mutex_init(&srv.key_lock, NULL);
	rc = seal_public_load_active(keydir, &srv.key);
	if (rc == SV_ERR_NOTFOUND) {
		int made = first_key(o->data, keydir, &srv.key);
		if (made < 0)
			goto out; /* it said why */
		rc = SV_OK;
		srv.key_ready = made == 0;
		if (made == 0)
			store_audit(srv.store, "(first start)", "made a key", srv.key.id);
		srv.key_checked = -1000000;   /* look again at the first answer */
	} else if (!rc) {
		srv.key_ready = 1;
	}
	if (rc) {
		fprintf(stderr, "survey-server: cannot load or make the public key in %s: %s\n",
			keydir, sv_err_str(rc));
		goto out;
	}
	rc = token_key_load(o->data, &srv.token_key);
	if (rc) {
		fprintf(stderr, "survey-server: cannot load or make %s/%s: %s\n", o->data, TOKEN_FILE,
			sv_err_str(rc));
		goto out;
	}
	rc = accounts_init(&srv);
	if (rc) {
		fprintf(stderr, "survey-server: accounts could not start: %s\n", sv_err_str(rc));
		goto out;
	}
	rc = kiosk_init(&srv, o->data, o->forms);
	if (rc)
		goto out; /* it said why */
	rc = staff_init(&srv);
	if (rc) {
		fprintf(stderr, "survey-server: the staff pages could not start: %s\n", sv_err_str(rc));
		goto out;
	}
	rc = display_init(&srv, o->forms);
	if (rc)
		goto out; /* it said why */
	rc = analyse_init(&srv, (long)analysis_idle, o->model);
	if (rc) {
		fprintf(stderr, "survey-server: analysis could not start: %s\n", sv_err_str(rc));
		goto out;
	}
	fprintf(stderr, "survey-server: %d survey(s) in %d consultation(s); sealing to key %s\n",
		srv.catalog->nsurveys, srv.catalog->nconsultations, srv.key_ready ? srv.key.id : "(none yet)");
	rc = http_serve(&srv, o->listen);
	status = rc ? 1 : 0;
out:
	analyse_free(&srv);
	results_free();
	store_close(srv.store);
	form_catalog_free(srv.catalog);
	free(srv.stylesheet);
	free(srv.staff_stylesheet);
	free(srv.tally_script);
	free(srv.respond_script);
	free(srv.results_script);
	drafts_free(srv.drafts);
	staff_free(&srv);
	accounts_free(&srv);
	kiosk_free(&srv);
	display_free(&srv);
	rate_free(srv.limiter);
	conn_limit_free(srv.conns);
	scrub_free();
	sodium_memzero(&srv.token_key, sizeof srv.token_key);
	return status;
}

static int cmd_keygen(const struct options *o)
{
	char keydir[4096];
	char *passphrase = NULL;
	size_t passlen = 0;
	struct seal_public key;
	struct seal_secret *secret = NULL;
	struct key_options ko = o->keys;
	int split = ko.shares || ko.threshold || ko.nshare_files, n = 0, k = 0, status;
	enum sv_err rc;

	if (!o->passphrase_file && !isatty(STDIN_FILENO)) {
		fprintf(stderr, "survey-server: keygen needs --passphrase-file FILE "
			"(or a terminal to type the passphrase in)\n");
		return EXIT_USAGE;
	}
	key_dir(keydir, sizeof keydir, o->data);
	const char *cons = ko.consultation;
	if (cons && (status = key_consultation_known(o->data, o->db, cons)) != 0)
		return status;
	rc = cons ? seal_public_load_for(keydir, cons, &key) : seal_public_load_active(keydir, &key);
	if (rc == SV_OK && !o->rotate) {
		if (cons)
			fprintf(stderr, "survey-server: consultation %s already has a key of its own (id %s); "
				"use --rotate to add a new one (old keys are kept)\n", cons, key.id);
		else
			fprintf(stderr, "survey-server: a key already exists (id %s); "
				"use --rotate to add a new one (old keys are kept)\n", key.id);
		return 1;
	}
	if (rc && rc != SV_ERR_NOTFOUND && cons) {
		fprintf(stderr, "survey-server: the key folder's record of consultation %s's key cannot be read: "
			"%s\n", cons, sv_err_str(rc));
		return 1;
	}
	/* Where the shares go is settled before any key is made. */
	ko.data = o->data;
	ko.db = o->db;
	if (split && files_ensure_dir(o->data) != SV_OK) {
		fprintf(stderr, "survey-server: cannot use the data folder %s\n", o->data);
		return 1;
	}
	if (split && (status = key_split_options(&ko, &n, &k)) != 0)
		return status;
	if (o->passphrase_file)
		rc = files_read_secret(o->passphrase_file, &passphrase, &passlen);
	else
		rc = files_prompt_secret("Passphrase for the new secret key: ", 1, &passphrase, &passlen);
	if (rc) {
		if (o->passphrase_file)
			fprintf(stderr, "survey-server: cannot read a passphrase from the first line of %s\n",
				o->passphrase_file);
		else
			fprintf(stderr, "survey-server: no passphrase was set (the two must match)\n");
		return 1;
	}
	if (passlen < SEAL_MIN_PASSPHRASE) {
		fprintf(stderr, "survey-server: the passphrase is too short: use at least %d characters\n",
			SEAL_MIN_PASSPHRASE);
		files_secret_free(passphrase);
		return 1;
	}
	if (files_ensure_dir(o->data) == SV_OK)
		rc = seal_key_create_for(keydir, cons, passphrase, passlen, SEAL_KDF_MODERATE, &key);
	else
		rc = SV_ERR_IO;
	/* The shares are split from the secret as written: opening it again
	 * proves the file and the passphrase before anyone takes a share. */
	if (!rc && split)
		rc = seal_secret_load(keydir, key.id, passphrase, passlen, &secret);
	files_secret_free(passphrase);
	if (rc) {
		fprintf(stderr, "survey-server: could not make the key: %s\n", sv_err_str(rc));
		return 1;
	}
	if (cons) {
		char detail[120];
		snprintf(detail, sizeof detail, "%s for consultation %s", key.id, cons);
		key_audit(o->data, o->db, "made a key", detail);
		printf("made key %s for consultation %s; its new answers are sealed to it (a running server "
		       "takes it up within a second), and only its passphrase opens them\n", key.id, cons);
	} else {
		key_audit(o->data, o->db, "made a key", key.id);
		printf("made key %s; new responses are sealed to it (restart a running server)\n", key.id);
	}
	status = split ? key_split_hand_out(&ko, secret, n, k) : 0;
	seal_secret_free(secret);
	return status;
}

#define MIN_PASSWORD 12
#define MAX_NAME_CHARS 64

static const char *const role_ids[] = { NULL, "youth-worker", "commissioner", "admin" };

/* user add: an account, its password hashed with Argon2id (64 MiB). */
static int cmd_user_add(const struct options *o)
{
	const char *const *roles = role_ids;
	struct store *st = NULL;
	char *password = NULL;
	size_t len = 0;
	char hash[crypto_pwhash_STRBYTES];
	int role = 0, status = 1;

	for (int r = 1; r <= 3; r++)
		if (o->role && strcmp(o->role, roles[r]) == 0)
			role = r;
	if (!o->name || !role || !o->password_file) {
		fprintf(stderr, "survey-server: user add needs --name NAME, --role "
			"youth-worker|commissioner|admin and --password-file FILE\n");
		return EXIT_USAGE;
	}
	size_t nlen = strlen(o->name);
	if (nlen > MAX_NAME_CHARS || !utf8_valid(o->name, nlen) || strpbrk(o->name, "\t\r\n<>\"'&")) {
		fprintf(stderr, "survey-server: a name is up to %d characters, without < > \" ' or &\n",
			MAX_NAME_CHARS);
		return EXIT_USAGE;
	}
	if (files_read_secret(o->password_file, &password, &len)) {
		fprintf(stderr, "survey-server: cannot read a password from the first line of %s\n",
			o->password_file);
		return 1;
	}
	if (len < MIN_PASSWORD) {
		fprintf(stderr, "survey-server: the password is too short: use at least %d characters\n",
			MIN_PASSWORD);
		goto out;
	}
	if (crypto_pwhash_str(hash, password, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		fprintf(stderr, "survey-server: not enough memory to hash the password\n");
		goto out;
	}
	if (files_ensure_dir(o->data) || store_open_url(o->data, o->db, &st)) {
		say_no_database(o);
		goto out;
	}
	enum sv_err rc = store_user_add(st, o->name, (enum store_role)role, hash);
	if (rc == SV_ERR_EXISTS) {
		fprintf(stderr, "survey-server: there is already an account called %s\n", o->name);
		goto out;
	}
	if (rc) {
		fprintf(stderr, "survey-server: could not add the account: %s\n", sv_err_str(rc));
		goto out;
	}
	store_audit(st, "(command line)", "added an account", o->name);
	printf("added %s (%s)\n", o->name, roles[role]);
	status = 0;
out:
	sodium_memzero(hash, sizeof hash);
	files_secret_free(password);
	store_close(st);
	return status;
}

/*
 * user disable|enable|reset|role: an account's life from the command line,
 * as an admin does it in the staff pages, with the same guard: the last
 * enabled admin is never disabled or demoted.  reset prints a temporary
 * password once; the person chooses a new one at the next sign-in.
 */
static int cmd_user_change(const char *what, const struct options *o)
{
	struct store *st = NULL;
	struct store_user u;
	char temp[ACCOUNTS_TEMP_PASSWORD_LEN + 1], hash[crypto_pwhash_STRBYTES], detail[STORE_MAX_NAME + 40];
	int role = 0, status = 1;
	enum sv_err rc;

	for (int r = 1; r <= 3; r++)
		if (o->role && strcmp(o->role, role_ids[r]) == 0)
			role = r;
	if (!o->name || (strcmp(what, "role") == 0 && !role)) {
		fprintf(stderr, "survey-server: user %s needs --name NAME%s\n", what,
			strcmp(what, "role") == 0 ? " and --role youth-worker|commissioner|admin" : "");
		return EXIT_USAGE;
	}
	temp[0] = '\0';
	if (!files_exist(o->data) || store_open_url(o->data, o->db, &st)) {
		say_no_database(o);
		return 1;
	}
	rc = store_user_get(st, o->name, &u);
	if (rc == SV_ERR_NOTFOUND) {
		fprintf(stderr, "survey-server: there is no account called %s\n", o->name);
		goto out;
	}
	if (!rc && strcmp(what, "disable") == 0)
		rc = store_user_set_disabled(st, u.id, 1);
	else if (!rc && strcmp(what, "enable") == 0)
		rc = store_user_set_disabled(st, u.id, 0);
	else if (!rc && strcmp(what, "role") == 0)
		rc = store_user_set_role(st, u.id, (enum store_role)role);
	else if (!rc) {
		accounts_temporary_password(temp);
		if (crypto_pwhash_str(hash, temp, strlen(temp), crypto_pwhash_OPSLIMIT_INTERACTIVE,
				      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
			fprintf(stderr, "survey-server: not enough memory to hash the password\n");
			goto out;
		}
		rc = store_user_set_password(st, u.id, hash, 1);
	}
	if (rc == SV_ERR_INVALID) {
		fprintf(stderr, "survey-server: %s is the last enabled admin: make another account an admin "
			"first\n", o->name);
		goto out;
	}
	if (rc) {
		fprintf(stderr, "survey-server: could not change the account: %s\n", sv_err_str(rc));
		goto out;
	}
	if (strcmp(what, "role") == 0) {
		snprintf(detail, sizeof detail, "%s, to %s", o->name, role_ids[role]);
		store_audit(st, "(command line)", "changed a role", detail);
		printf("%s is now %s\n", o->name, role_ids[role]);
	} else if (strcmp(what, "reset") == 0) {
		store_audit(st, "(command line)", "reset a password", o->name);
		printf("temporary password for %s (shown once; they choose a new one at sign-in): %s\n",
		       o->name, temp);
	} else {
		store_audit(st, "(command line)", strcmp(what, "disable") == 0 ? "disabled an account" :
			    "enabled an account", o->name);
		printf("%s %s%s\n", o->name, strcmp(what, "disable") == 0 ? "disabled" : "enabled",
		       strcmp(what, "disable") == 0 ? "; its sessions have ended" : "");
	}
	status = 0;
out:
	sodium_memzero(temp, sizeof temp);
	sodium_memzero(hash, sizeof hash);
	store_close(st);
	return status;
}

/* backup: a consistent copy of the database, safe while the server runs. */
static int cmd_backup(const struct options *o)
{
	int pages;

	if (!o->output) {
		fprintf(stderr, "survey-server: backup needs -o FILE (the copy to write)\n");
		return EXIT_USAGE;
	}
	if (o->db) {
		/* PostgreSQL has its own consistent copies; keys stay in the folder. */
		fprintf(stderr, "survey-server: backup copies the SQLite database in the data folder; with "
			"--db, back up PostgreSQL with pg_dump -Fc (docs/postgresql.md), and copy %s/keys and "
			"%s/form-token.key alongside\n", o->data, o->data);
		return EXIT_USAGE;
	}
	enum sv_err rc = backup_database(o->data, o->output, &pages);
	if (rc == SV_ERR_NOTFOUND)
		fprintf(stderr, "survey-server: there is no database in %s\n", o->data);
	else if (rc == SV_ERR_EXISTS)
		fprintf(stderr, "survey-server: %s exists already; choose a new name\n", o->output);
	else if (rc)
		fprintf(stderr, "survey-server: could not write the copy %s: %s\n", o->output, sv_err_str(rc));
	else if ((rc = backup_check(o->output)) != SV_OK)
		fprintf(stderr, "survey-server: the copy %s failed its integrity check\n", o->output);
	if (rc)
		return 1;
	printf("copied %d pages of %s to %s; integrity check ok\n", pages, o->data, o->output);
	return 0;
}

/*
 * ballot import: a Make Your Mark local results file (docs/ballot.md) into
 * the ballot of a survey, read against the survey's newest published
 * version (or its file in forms/), replacing any import before.  A file with
 * a mistake stores nothing and says which line.
 */
static int cmd_ballot_import(const struct options *o)
{
	struct form_catalog *cat = NULL;
	struct form_survey *s = NULL;
	const struct form_survey *use = NULL;
	struct store *st = NULL;
	struct store_survey_version v = { 0 };
	struct ballot_import imp;
	char err[600] = "", *text = NULL;
	size_t len = 0;
	int status = 1;

	if (!o->survey || !o->file) {
		fprintf(stderr, "survey-server: ballot import needs --survey ID and --file FILE.csv\n");
		return EXIT_USAGE;
	}
	enum sv_err rc = files_read_all(o->file, BALLOT_MAX_CSV, &text, &len);
	if (rc) {
		fprintf(stderr, "survey-server: %s: %s\n", o->file, rc == SV_ERR_TOOBIG ?
			"the file is over 16 KB" : "cannot read it");
		return 1;
	}
	if (form_catalog_load(o->forms, &cat, err, sizeof err)) {
		fprintf(stderr, "survey-server: %s\n", err);
		goto out;
	}
	if (store_open_url(o->data, o->db, &st)) {
		say_no_database(o);
		goto out;
	}
	if (store_survey_version_get(st, o->survey, 1, &v) == SV_OK) {
		if (form_survey_new(v.definition, strlen(v.definition), o->survey, v.version, cat, &s,
				    err, sizeof err)) {
			fprintf(stderr, "survey-server: %s\n", err);
			goto out;
		}
		use = s;
	} else {
		use = form_catalog_survey(cat, o->survey, strlen(o->survey));
	}
	const struct form_question *q = use ? form_survey_ballot(use) : NULL;
	if (!q) {
		fprintf(stderr, "survey-server: %s is not a survey with a ballot question\n", o->survey);
		goto out;
	}
	if (memchr(text, '\0', len) || ballot_csv_read(text, len, q, &imp, err, sizeof err)) {
		fprintf(stderr, "survey-server: %s: %s; nothing was imported\n", o->file,
			err[0] ? err : "not a text file");
		goto out;
	}
	long long total;
	if (ballot_import_save(st, use, &imp, o->name ? o->name : "command line", &total)) {
		fprintf(stderr, "survey-server: the votes could not be stored\n");
		goto out;
	}
	printf("imported %d issues, %lld votes, into the ballot of %s (consultation %s)\n", imp.n, total,
	       use->id, use->consultation->id);
	status = 0;
out:
	free(v.definition);
	form_survey_free(s);
	store_close(st);
	form_catalog_free(cat);
	free(text);
	return status;
}

int main(int argc, char **argv)
{
	struct options o = { .data = "./data", .listen = "127.0.0.1:8080", .forms = "./forms" };

	umask(077); /* the database, keys and copies are for this user only */
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "survey-server: libsodium could not start\n");
		return 1;
	}
	static const char *const user_verbs[] = { "add", "disable", "enable", "reset", "role" };
	const char *user = NULL;
	for (size_t i = 0; argc >= 3 && strcmp(argv[1], "user") == 0 && i < 5; i++)
		if (strcmp(argv[2], user_verbs[i]) == 0)
			user = user_verbs[i];
	int ballot = strcmp(argv[1], "ballot") == 0;
	if (ballot && (argc < 3 || strcmp(argv[2], "import") != 0)) {
		fprintf(stderr, "survey-server: ballot takes import\n");
		return EXIT_USAGE;
	}
	if (!user && strcmp(argv[1], "user") == 0) {
		fprintf(stderr, "survey-server: user takes add, disable, enable, reset or role\n");
		return EXIT_USAGE;
	}
	int key = strcmp(argv[1], "key") == 0 && argc >= 3 && argv[2][0] != '-';
	if (parse_options(argc, argv, user || key || ballot ? 3 : 2, &o)) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (o.help) {
		usage(stdout);
		return 0;
	}
	const char *why = NULL;
	if (store_db_usable(o.db, &why)) {
		fprintf(stderr, "survey-server: --db: %s\n", why);
		return EXIT_USAGE;
	}
	if (user && strcmp(user, "add") == 0)
		return cmd_user_add(&o);
	if (user)
		return cmd_user_change(user, &o);
	if (strcmp(argv[1], "serve") == 0)
		return cmd_serve(&o);
	if (strcmp(argv[1], "keygen") == 0)
		return cmd_keygen(&o);
	if (strcmp(argv[1], "key") == 0) {
		o.keys.data = o.data;
		o.keys.db = o.db;
		o.keys.passphrase_file = o.passphrase_file;
		return key_command(argc >= 3 ? argv[2] : "", &o.keys);
	}
	if (strcmp(argv[1], "backup") == 0)
		return cmd_backup(&o);
	if (ballot)
		return cmd_ballot_import(&o);
	fprintf(stderr, "survey-server: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
