/*
 * test_store.c - core/store: creating the database (schema version, WAL),
 * consultations put/get/each, inserting responses and the counters they
 * bump, response counts, reopening and read-only opening, and that a refused
 * response (a day with a time in it, an unknown consultation) changes nothing.
 * Schema 2: one-time tokens (a replayed "once" is SV_ERR_EXISTS and changes
 * nothing; a refused response does not use up its token), and migrating a
 * version 1 database.  The shared commit: one failing write in a batch
 * leaves the others stored; many threads at once store each token once; a
 * bulk load ends in WAL mode.  Schema 17: responses per day, the count the
 * results page last showed, the help signposting text.  Schema 26: a
 * schema 25 database keeps its tries and takes passphrase tries (kind 3).
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "../../core/files.h"
#include "../../core/store.h"
#include "check.h"
#include "check_db.h"

#define CONS "cyp-plan-2027"

static char dir[64];

/* The counters as the store reports them, summed per key. */
struct counts {
	char themes[16][32];
	long long theme_count[16][STORE_NSOURCES];
	int nthemes;
	long long prio_count[16][STORE_NSOURCES];
	int calls;
};

static void on_theme(void *arg, const char *theme, enum store_source source,
		     long long count)
{
	struct counts *c = arg;
	int i;

	c->calls++;
	for (i = 0; i < c->nthemes; i++)
		if (strcmp(c->themes[i], theme) == 0)
			break;
	if (i == c->nthemes) {
		if (c->nthemes == 16)
			return;
		snprintf(c->themes[i], sizeof c->themes[i], "%s", theme);
		c->nthemes++;
	}
	c->theme_count[i][source] += count;
}

static void on_priority(void *arg, int priority, enum store_source source,
			long long count)
{
	struct counts *c = arg;

	c->calls++;
	if (priority >= 0 && priority < 16)
		c->prio_count[priority][source] += count;
}

static long long theme_count(const struct counts *c, const char *theme)
{
	for (int i = 0; i < c->nthemes; i++)
		if (strcmp(c->themes[i], theme) == 0)
			return c->theme_count[i][STORE_SURVEY];
	return 0;
}

static void read_counts(struct store *st, const char *cons, struct counts *c)
{
	memset(c, 0, sizeof *c);
	CHECK(store_theme_counts(st, cons, on_theme, c) == SV_OK);
	CHECK(store_priority_counts(st, cons, on_priority, c) == SV_OK);
}

struct id_list {
	char ids[4][32];
	int n;
};

static void on_id(void *arg, const char *id)
{
	struct id_list *list = arg;

	if (list->n < 4)
		snprintf(list->ids[list->n], sizeof list->ids[0], "%s", id);
	list->n++;
}

/* Runs a one-value PRAGMA on the database file directly. */
static void pragma_text(const char *sql, char *out, size_t outlen)
{
	char path[128];
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;

	out[0] = '\0';
	snprintf(path, sizeof path, "%s/%s", dir, STORE_FILE);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		snprintf(out, outlen, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
}

/* Drops every table that schema version 1 did not have; 0 if it worked. */
static int drop_later_tables(void)
{
	static const char *const v1[] = { "consultations", "responses", "theme_counts",
					  "priority_counts", "survey_counts", NULL };
	char path[128], names[32][64], sql[160];
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int n = 0;

	snprintf(path, sizeof path, "%s/%s", dir, STORE_FILE);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table'", -1, &s, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return -1;
	}
	while (sqlite3_step(s) == SQLITE_ROW && n < 32) {
		const char *name = (const char *)sqlite3_column_text(s, 0);
		int keep = 0;
		for (int i = 0; v1[i]; i++)
			keep |= strcmp(v1[i], name) == 0;
		if (!keep)
			snprintf(names[n++], sizeof names[0], "%s", name);
	}
	sqlite3_finalize(s);
	int rc = 0;
	/* Tables that others point at go last: retry until none is left. */
	for (int pass = 0; pass < 4; pass++)
		for (int i = 0; i < n; i++) {
			if (!names[i][0])
				continue;
			snprintf(sql, sizeof sql, "DROP TABLE \"%.64s\"", names[i]);
			if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK)
				names[i][0] = '\0';
		}
	for (int i = 0; i < n; i++)
		rc |= names[i][0] != '\0';
	sqlite3_close(db);
	return rc ? -1 : 0;
}

static const unsigned char sealed[] = { 0x00, 0x01, 0xfe, 0xff, 0x00, 0x42 };
static const char *const two_themes[] = { "online-safety", "someone-to-talk-to" };
static const int two_prios[] = { 2, 5 };

static struct store_response response(const char *day)
{
	struct store_response r = {
		.consultation = CONS, .survey = "what-matters", .day = day,
		.key_id = "0123456789abcdef", .sealed = sealed, .sealed_len = sizeof sealed,
		.themes = two_themes, .nthemes = 2, .priorities = two_prios, .npriorities = 2,
	};
	return r;
}

static void test_create(void)
{
	struct store *st = NULL;
	char path[128], text[64];

	CHECK(store_open(dir, &st) == SV_OK);
	CHECK(st != NULL);
	snprintf(path, sizeof path, "%s/%s", dir, STORE_FILE);
	CHECK(files_exist(path));
	char want[16];
	snprintf(want, sizeof want, "%d", STORE_SCHEMA_VERSION);
	pragma_text("PRAGMA user_version", text, sizeof text);
	CHECK_STR(text, want);
	pragma_text("PRAGMA journal_mode", text, sizeof text);
	CHECK_STR(text, "wal");
	pragma_text("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'used_tokens'",
		    text, sizeof text);
	CHECK_STR(text, "1");
	pragma_text("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'surveys'",
		    text, sizeof text);
	CHECK_STR(text, "1");
	store_close(st);

	CHECK(strcmp(store_source_name(STORE_SURVEY), "survey") == 0);
	CHECK(strcmp(store_source_name(STORE_FOCUS_GROUP), "focus_group") == 0);
	CHECK(strcmp(store_source_name(STORE_MARKETPLACE), "marketplace") == 0);
	CHECK(strcmp(store_source_name(STORE_NSOURCES), "unknown") == 0);
}

static void test_consultations(struct store *st)
{
	char *title = NULL, *tax = NULL;

	CHECK(store_consultation_put(st, CONS, "First title", "{\"v\":1}") == SV_OK);
	CHECK(store_consultation_get(st, CONS, &title, &tax) == SV_OK);
	CHECK_STR(title, "First title");
	CHECK_STR(tax, "{\"v\":1}");
	free(title);
	free(tax);
	/* A second put updates it. */
	CHECK(store_consultation_put(st, CONS, "Plan \xe2\x80\x93 \"2027\"", "{\"v\":2}") == SV_OK);
	CHECK(store_consultation_get(st, CONS, &title, &tax) == SV_OK);
	CHECK_STR(title, "Plan \xe2\x80\x93 \"2027\"");
	CHECK_STR(tax, "{\"v\":2}");
	free(title);
	free(tax);

	title = tax = (char *)"unset";
	CHECK(store_consultation_get(st, "no-such-thing", &title, &tax) == SV_ERR_NOTFOUND);
	CHECK(title == NULL && tax == NULL);
	/* Ids are bound, not pasted into SQL. */
	CHECK(store_consultation_get(st, "x' OR '1'='1", &title, &tax) == SV_ERR_NOTFOUND);

	CHECK(store_consultation_put(st, "another", "Another", "{}") == SV_OK);
	struct id_list list = { .n = 0 };
	CHECK(store_consultation_each(st, on_id, &list) == SV_OK);
	CHECK(list.n == 2);
	CHECK_STR(list.ids[0], "another");
	CHECK_STR(list.ids[1], CONS);
}

static void test_responses(struct store *st)
{
	struct counts c;
	long long n = -1;
	struct store_response r = response("2026-11-22");

	read_counts(st, CONS, &c);
	CHECK(c.calls == 0);
	CHECK(store_response_count(st, CONS, &n) == SV_OK && n == 0);

	CHECK(store_response_insert(st, &r) == SV_OK);
	read_counts(st, CONS, &c);
	CHECK(theme_count(&c, "online-safety") == 1);
	CHECK(theme_count(&c, "someone-to-talk-to") == 1);
	CHECK(c.nthemes == 2);
	CHECK(c.prio_count[2][STORE_SURVEY] == 1);
	CHECK(c.prio_count[5][STORE_SURVEY] == 1);
	CHECK(c.prio_count[1][STORE_SURVEY] == 0);
	/* Survey responses never count as other sources. */
	CHECK(c.theme_count[0][STORE_FOCUS_GROUP] == 0 && c.prio_count[2][STORE_MARKETPLACE] == 0);
	CHECK(store_response_count(st, CONS, &n) == SV_OK && n == 1);

	CHECK(store_response_insert(st, &r) == SV_OK);
	read_counts(st, CONS, &c);
	CHECK(theme_count(&c, "online-safety") == 2);
	CHECK(theme_count(&c, "someone-to-talk-to") == 2);
	CHECK(c.prio_count[2][STORE_SURVEY] == 2);
	CHECK(c.prio_count[5][STORE_SURVEY] == 2);
	CHECK(store_response_count(st, CONS, &n) == SV_OK && n == 2);

	/* A response raising one theme only bumps that one. */
	struct store_response one = response("2026-11-23");
	one.nthemes = 1;
	one.npriorities = 1;
	CHECK(store_response_insert(st, &one) == SV_OK);
	read_counts(st, CONS, &c);
	CHECK(theme_count(&c, "online-safety") == 3);
	CHECK(theme_count(&c, "someone-to-talk-to") == 2);
	CHECK(c.prio_count[2][STORE_SURVEY] == 3);
	CHECK(c.prio_count[5][STORE_SURVEY] == 2);

	/* Counters are per consultation. */
	read_counts(st, "another", &c);
	CHECK(c.calls == 0);
	CHECK(store_response_count(st, "another", &n) == SV_OK && n == 0);
	CHECK(store_response_count(st, NULL, &n) == SV_OK && n == 3);
}

static void test_refused(struct store *st)
{
	struct counts before, after;
	long long n0 = -1, n1 = -1;
	struct store_response r = response("2026-11-22T10:00");

	read_counts(st, CONS, &before);
	CHECK(store_response_count(st, CONS, &n0) == SV_OK);

	fprintf(stderr, "(three store errors are expected below)\n");
	CHECK(store_response_insert(st, &r) == SV_ERR_DB);
	read_counts(st, CONS, &after);
	CHECK(memcmp(&before, &after, sizeof before) == 0);
	CHECK(store_response_count(st, CONS, &n1) == SV_OK && n1 == n0);

	/*
	 * A failure after the response row and the theme counters were written
	 * must undo them all.  A trigger added behind the store's back makes
	 * counting priority 99 fail, after priority 2 was counted.
	 */
	CHECK(check_db_exec(dir, "CREATE TRIGGER test_fail BEFORE INSERT ON priority_counts"
			  " WHEN NEW.priority = 99 BEGIN SELECT RAISE(ABORT, 'injected'); END") == 0);
	static const int then_99[] = { 2, 99 };
	r = response("2026-11-22");
	r.priorities = then_99;
	CHECK(store_response_insert(st, &r) == SV_ERR_DB);
	read_counts(st, CONS, &after);
	CHECK(memcmp(&before, &after, sizeof before) == 0);
	CHECK(store_response_count(st, CONS, &n1) == SV_OK && n1 == n0);
	CHECK(check_db_exec(dir, "DROP TRIGGER test_fail") == 0);

	/* An unknown consultation is refused too (foreign key). */
	r = response("2026-11-22");
	r.consultation = "no-such-consultation";
	CHECK(store_response_insert(st, &r) == SV_ERR_DB);
	read_counts(st, "no-such-consultation", &after);
	CHECK(after.calls == 0);
	CHECK(store_response_count(st, NULL, &n1) == SV_OK && n1 == 3);

	/* The store still works after a rollback. */
	r = response("2026-11-24");
	CHECK(store_response_insert(st, &r) == SV_OK);
	CHECK(store_response_count(st, CONS, &n1) == SV_OK && n1 == n0 + 1);
}

struct days { char day[8][11]; long long count[8]; int n; };

static void on_day(void *arg, const char *day, long long count)
{
	struct days *d = arg;
	if (d->n < 8) {
		snprintf(d->day[d->n], sizeof d->day[d->n], "%s", day);
		d->count[d->n++] = count;
	}
}

/* Schema 17 (store_results.c): responses per day, the count the results
 * page last showed, and the help text, for consultation "another". */
static void test_results_kept(struct store *st)
{
	static const char *const days[] = { "2026-11-23", "2026-11-20", "2026-11-23", "2026-11-20",
					    "2026-11-22", "2026-11-23" };
	char *help = NULL;

	for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
		struct store_response r = response(days[i]);
		r.consultation = "another";
		CHECK(store_response_insert(st, &r) == SV_OK);
	}
	struct days d = { .n = 0 };
	CHECK(store_response_days(st, "another", on_day, &d) == SV_OK);
	CHECK(d.n == 3);
	CHECK_STR(d.day[0], "2026-11-20");
	CHECK_STR(d.day[1], "2026-11-22");
	CHECK_STR(d.day[2], "2026-11-23");
	CHECK(d.count[0] == 2 && d.count[1] == 1 && d.count[2] == 3);
	struct days none = { .n = 0 };
	CHECK(store_response_days(st, "no-such-thing", on_day, &none) == SV_OK && none.n == 0);

	long long shown = -1;
	CHECK(store_results_shown(st, "another", 0, &shown) == SV_ERR_NOTFOUND);
	shown = 15;
	CHECK(store_results_shown(st, "another", 1, &shown) == SV_OK);
	shown = 20;
	CHECK(store_results_shown(st, "another", 1, &shown) == SV_OK);
	shown = -1;
	CHECK(store_results_shown(st, "another", 0, &shown) == SV_OK && shown == 20);

	CHECK(store_help_get(st, "another", &help) == SV_OK && help == NULL);
	CHECK(store_help_set(st, "another", "Call <us> on 0800 000 000") == SV_OK);
	CHECK(store_help_get(st, "another", &help) == SV_OK);
	CHECK_STR(help, "Call <us> on 0800 000 000");
	free(help);
	CHECK(store_help_set(st, "another", "x' OR '1'='1") == SV_OK);
	CHECK(store_help_get(st, "another", &help) == SV_OK);
	CHECK_STR(help, "x' OR '1'='1");
	free(help);
	CHECK(store_help_get(st, CONS, &help) == SV_OK && help == NULL);  /* only its own */
	CHECK(store_help_set(st, "another", NULL) == SV_OK);
	CHECK(store_help_get(st, "another", &help) == SV_OK && help == NULL);
}

static void test_reopen(void)
{
	struct store *st = NULL, *ro = NULL;
	struct counts c;
	long long n = -1;
	char *title = NULL, *tax = NULL;

	CHECK(store_open(dir, &st) == SV_OK);
	if (!st)
		return;
	CHECK(store_response_count(st, CONS, &n) == SV_OK && n == 4);
	read_counts(st, CONS, &c);
	CHECK(theme_count(&c, "online-safety") == 4);
	CHECK(theme_count(&c, "someone-to-talk-to") == 3);
	store_close(st);

	CHECK(store_open_readonly(dir, &ro) == SV_OK);
	if (!ro)
		return;
	CHECK(store_consultation_get(ro, CONS, &title, &tax) == SV_OK);
	CHECK_STR(tax, "{\"v\":2}");
	free(title);
	free(tax);
	CHECK(store_response_count(ro, CONS, &n) == SV_OK && n == 4);
	read_counts(ro, CONS, &c);
	CHECK(c.prio_count[2][STORE_SURVEY] == 4);
	CHECK(c.prio_count[5][STORE_SURVEY] == 3);
	store_close(ro);

	/* Read-only opening of a folder with no database fails. */
	char empty[128];
	snprintf(empty, sizeof empty, "%s/none", dir);
	ro = (struct store *)&ro;
	CHECK(store_open_readonly(empty, &ro) != SV_OK);
	CHECK(ro == NULL);
}

static long long used_tokens(void)
{
	char text[64];

	pragma_text("SELECT count(*) FROM used_tokens", text, sizeof text);
	return text[0] ? atoll(text) : -1;
}

#define ONCE_A "0123456789abcdef0123456789abcdef"
#define ONCE_B "fedcba9876543210fedcba9876543210"
#define ONCE_C "00000000000000000000000000000001"

static void test_once(void)
{
	struct store *st = NULL;
	struct counts before, after;
	long long n0 = -1, n1 = -1, all0 = -1, all1 = -1;
	struct store_response r = response("2026-11-25");

	CHECK(store_open(dir, &st) == SV_OK);
	if (!st)
		return;
	CHECK(used_tokens() == 0);

	/* First use of a token: stored and counted like any response. */
	read_counts(st, CONS, &before);
	CHECK(store_response_count(st, CONS, &n0) == SV_OK);
	r.once = ONCE_A;
	CHECK(store_response_insert(st, &r) == SV_OK);
	CHECK(store_response_count(st, CONS, &n1) == SV_OK && n1 == n0 + 1);
	read_counts(st, CONS, &after);
	CHECK(theme_count(&after, "online-safety") == theme_count(&before, "online-safety") + 1);
	CHECK(after.prio_count[2][STORE_SURVEY] == before.prio_count[2][STORE_SURVEY] + 1);
	CHECK(used_tokens() == 1);

	/* The same token again (a double tap, a refresh): refused, nothing changes. */
	read_counts(st, CONS, &before);
	CHECK(store_response_count(st, CONS, &n0) == SV_OK);
	CHECK(store_response_count(st, NULL, &all0) == SV_OK);
	CHECK(store_response_insert(st, &r) == SV_ERR_EXISTS);
	read_counts(st, CONS, &after);
	CHECK(memcmp(&before, &after, sizeof before) == 0);
	CHECK(store_response_count(st, CONS, &n1) == SV_OK && n1 == n0);
	CHECK(store_response_count(st, NULL, &all1) == SV_OK && all1 == all0);
	CHECK(used_tokens() == 1);
	/* ... also on another day, for another survey, or with other themes. */
	struct store_response again = response("2026-11-26");
	again.survey = "your-area";
	again.nthemes = 1;
	again.once = ONCE_A;
	CHECK(store_response_insert(st, &again) == SV_ERR_EXISTS);
	read_counts(st, CONS, &after);
	CHECK(memcmp(&before, &after, sizeof before) == 0);
	CHECK(store_response_count(st, CONS, &n1) == SV_OK && n1 == n0);

	/* Another token works. */
	r.once = ONCE_B;
	CHECK(store_response_insert(st, &r) == SV_OK);
	CHECK(store_response_count(st, CONS, &n1) == SV_OK && n1 == n0 + 1);
	read_counts(st, CONS, &after);
	CHECK(theme_count(&after, "online-safety") == theme_count(&before, "online-safety") + 1);
	CHECK(used_tokens() == 2);

	/* No token: always stored. */
	r.once = NULL;
	CHECK(store_response_insert(st, &r) == SV_OK);
	CHECK(store_response_insert(st, &r) == SV_OK);
	CHECK(store_response_count(st, CONS, &n1) == SV_OK && n1 == n0 + 3);
	CHECK(used_tokens() == 2);

	/* A response refused for another reason does not use up its token. */
	fprintf(stderr, "(one store error is expected below)\n");
	struct store_response bad = response("2026-11-25");
	bad.consultation = "no-such-consultation";
	bad.once = ONCE_C;
	CHECK(store_response_insert(st, &bad) == SV_ERR_DB);
	CHECK(used_tokens() == 2);
	r.once = ONCE_C;
	CHECK(store_response_insert(st, &r) == SV_OK);
	CHECK(store_response_insert(st, &r) == SV_ERR_EXISTS);
	CHECK(store_response_count(st, CONS, &n1) == SV_OK && n1 == n0 + 4);
	store_close(st);

	/* Tokens are remembered across a reopen. */
	st = NULL;
	CHECK(store_open(dir, &st) == SV_OK);
	if (!st)
		return;
	r.once = ONCE_A;
	CHECK(store_response_insert(st, &r) == SV_ERR_EXISTS);
	CHECK(store_response_count(st, CONS, &n1) == SV_OK && n1 == n0 + 4);
	store_close(st);
}

/* A version 1 database (no used_tokens, no surveys) is brought up to date. */
static void test_migrate(void)
{
	struct store *st = NULL;
	char text[64];
	long long n = -1;

	/* Back to version 1: drop every table versions 2 and later added. */
	CHECK(drop_later_tables() == 0);
	CHECK(check_db_exec(dir, "ALTER TABLE consultations DROP COLUMN status;"
			  " ALTER TABLE consultations DROP COLUMN edited; DROP INDEX responses_by_day;"
			  " PRAGMA user_version = 1;") == 0);
	pragma_text("PRAGMA user_version", text, sizeof text);
	CHECK_STR(text, "1");
	/* The read-only opener refuses a schema it does not know. */
	fprintf(stderr, "(one store error is expected below)\n");
	CHECK(store_open_readonly(dir, &st) != SV_OK && st == NULL);
	CHECK(store_open(dir, &st) == SV_OK);
	char want[16];
	snprintf(want, sizeof want, "%d", STORE_SCHEMA_VERSION);
	pragma_text("PRAGMA user_version", text, sizeof text);
	CHECK_STR(text, want);
	CHECK(used_tokens() == 0);
	if (st) {
		struct store_response r = response("2026-11-27");
		r.once = ONCE_A;
		CHECK(store_response_count(st, CONS, &n) == SV_OK && n > 0);
		CHECK(store_response_insert(st, &r) == SV_OK);
		CHECK(store_response_insert(st, &r) == SV_ERR_EXISTS);
		store_close(st);
	}
}

/* ---- the shared commit: batches, threads, bulk loads ---- */

/* One batch where one write fails: only that one is refused. */
static void test_batch(void)
{
	struct store *st = NULL;
	struct counts before, after;
	struct store_response r[4];
	enum sv_err res[4];
	long long n0 = 0, n1 = 0;
	char text[16];

	CHECK(store_open_bulk(dir, &st) == SV_OK);
	if (!st)
		return;
	read_counts(st, CONS, &before);
	CHECK(store_response_count(st, CONS, &n0) == SV_OK);
	for (int i = 0; i < 4; i++)
		r[i] = response("2026-12-01");
	r[0].once = "b0000000000000000000000000000000";
	r[1].once = "b0000000000000000000000000000000";  /* the same form again */
	r[2].day = "2026-12-01T10:00";                    /* refused: a time */
	r[3].once = "b0000000000000000000000000000003";
	fprintf(stderr, "(one store error is expected below)\n");
	CHECK(store_response_insert_many(st, r, 4, res) == SV_ERR_DB);
	CHECK(res[0] == SV_OK && res[1] == SV_ERR_EXISTS && res[2] == SV_ERR_DB && res[3] == SV_OK);
	read_counts(st, CONS, &after);
	CHECK(store_response_count(st, CONS, &n1) == SV_OK && n1 == n0 + 2);
	CHECK(theme_count(&after, "online-safety") == theme_count(&before, "online-safety") + 2);
	CHECK(after.prio_count[5][STORE_SURVEY] == before.prio_count[5][STORE_SURVEY] + 2);
	store_close(st);
	/* Closing a bulk load leaves the database in WAL mode again. */
	pragma_text("PRAGMA journal_mode", text, sizeof text);
	CHECK_STR(text, "wal");
}

#define WRITERS 8
#define WRITES 50

struct writer { struct store *st; int k; int ok, exists, other; };

/* Each writer stores WRITES responses; writers k and k+1 share their tokens
 * (k even), so each token is stored once and refused once. */
static void *writer_run(void *arg)
{
	struct writer *w = arg;
	char once[33];

	for (int i = 0; i < WRITES; i++) {
		struct store_response r = response("2026-12-02");
		snprintf(once, sizeof once, "c%015d%016d", w->k / 2, i);
		r.once = once;
		enum sv_err rc = store_response_insert(w->st, &r);
		if (rc == SV_OK)
			w->ok++;
		else if (rc == SV_ERR_EXISTS)
			w->exists++;
		else
			w->other++;
	}
	return NULL;
}

static void test_threads(void)
{
	struct store *st = NULL;
	struct writer w[WRITERS];
	pthread_t t[WRITERS];
	long long n0 = 0, n1 = 0;
	int ok = 0, exists = 0, other = 0;

	CHECK(store_open(dir, &st) == SV_OK);
	if (!st)
		return;
	CHECK(store_response_count(st, CONS, &n0) == SV_OK);
	for (int k = 0; k < WRITERS; k++) {
		w[k] = (struct writer) { .st = st, .k = k };
		CHECK(pthread_create(&t[k], NULL, writer_run, &w[k]) == 0);
	}
	for (int k = 0; k < WRITERS; k++) {
		pthread_join(t[k], NULL);
		ok += w[k].ok;
		exists += w[k].exists;
		other += w[k].other;
	}
	CHECK(ok == WRITERS / 2 * WRITES && exists == ok && other == 0);
	CHECK(store_response_count(st, CONS, &n1) == SV_OK && n1 == n0 + ok);
	store_close(st);
}

/* ---- what exports read back: surveys, keys, sealed responses ---- */

struct readback {
	char surveys[4][64];
	int nsurveys;
	char key[32];
	long long key_count;
	int nkeys;
	long long last_id;
	int in_order;
	int nresponses;
	int blob_ok;
};

static void on_survey(void *arg, const char *id, const char *title, const char *fields)
{
	struct readback *r = arg;
	if (r->nsurveys < 4)
		snprintf(r->surveys[r->nsurveys], sizeof r->surveys[0], "%s|%s|%s", id, title, fields);
	r->nsurveys++;
}

static void on_key(void *arg, const char *key_id, long long count)
{
	struct readback *r = arg;
	snprintf(r->key, sizeof r->key, "%s", key_id);
	r->key_count = count;
	r->nkeys++;
}

static void on_sealed(void *arg, const struct store_sealed *s)
{
	struct readback *r = arg;
	r->in_order &= s->id > r->last_id;
	r->last_id = s->id;
	r->blob_ok &= s->sealed_len == sizeof sealed && memcmp(s->sealed, sealed, sizeof sealed) == 0 &&
		      strlen(s->day) == 10 && strcmp(s->survey, "what-matters") == 0;
	r->nresponses++;
}

static void test_readback(void)
{
	struct store *st = NULL;
	struct readback r = { .in_order = 1, .blob_ok = 1 };
	long long n = 0;

	CHECK(store_open(dir, &st) == SV_OK);
	if (!st)
		return;
	CHECK(store_survey_put(st, "what-matters", CONS, "What matters", "[\"a\",\"b.other\"]") == SV_OK);
	CHECK(store_survey_put(st, "another", CONS, "Another", "[\"x\"]") == SV_OK);
	CHECK(store_survey_put(st, "elsewhere", "other-consultation", "Elsewhere", "[]") == SV_OK);
	/* Putting again updates in place. */
	CHECK(store_survey_put(st, "what-matters", CONS, "What matters to you", "[\"a\",\"b.other\"]") == SV_OK);
	CHECK(store_survey_each(st, CONS, on_survey, &r) == SV_OK);
	CHECK(r.nsurveys == 2);
	CHECK_STR(r.surveys[0], "another|Another|[\"x\"]");
	CHECK_STR(r.surveys[1], "what-matters|What matters to you|[\"a\",\"b.other\"]");

	CHECK(store_key_ids(st, CONS, on_key, &r) == SV_OK);
	CHECK(store_response_count(st, CONS, &n) == SV_OK);
	CHECK(r.nkeys == 1 && strcmp(r.key, "0123456789abcdef") == 0 && r.key_count == n);

	CHECK(store_response_each(st, CONS, on_sealed, &r) == SV_OK);
	CHECK(r.nresponses == n && n > 0);
	CHECK(r.in_order);
	CHECK(r.blob_ok);
	r.nresponses = 0;
	CHECK(store_response_each(st, "no-such-consultation", on_sealed, &r) == SV_OK && r.nresponses == 0);
	store_close(st);
}

/* A schema 25 database, where tries had kinds 1 and 2 only: upgraded, it
 * keeps the rows it held and takes passphrase tries (kind 3), no other. */
static void test_migrate_26(void)
{
	struct store *st = NULL;
	char text[64];

	CHECK(check_db_exec(dir, "INSERT INTO users (id, name, role, password) VALUES (77, 'kept', 2, 'x');"
			    " DROP TABLE account_attempts;"
			    " CREATE TABLE account_attempts (user_id INTEGER NOT NULL REFERENCES users(id),"
			    "  kind INTEGER NOT NULL CHECK (kind IN (1, 2)), tries INTEGER NOT NULL CHECK (tries >= 1),"
			    "  ends INTEGER NOT NULL, PRIMARY KEY (user_id, kind)) WITHOUT ROWID;"
			    " INSERT INTO account_attempts VALUES (77, 1, 3, 4102444800);"
			    " INSERT INTO account_attempts VALUES (77, 2, 1, 4102444800);"
			    " PRAGMA user_version = 25;") == 0);
	CHECK(check_db_exec(dir, "INSERT INTO account_attempts VALUES (77, 3, 1, 4102444800)") != 0);
	CHECK(store_open(dir, &st) == SV_OK);
	store_close(st);
	char want[16];
	snprintf(want, sizeof want, "%d", STORE_SCHEMA_VERSION);
	pragma_text("PRAGMA user_version", text, sizeof text);
	CHECK_STR(text, want);
	pragma_text("SELECT group_concat(kind || ':' || tries || ':' || ends, ' ') FROM"
		    " (SELECT * FROM account_attempts WHERE user_id = 77 ORDER BY kind)", text, sizeof text);
	CHECK_STR(text, "1:3:4102444800 2:1:4102444800");
	CHECK(check_db_exec(dir, "INSERT INTO account_attempts VALUES (77, 3, 1, 4102444800)") == 0);
	CHECK(check_db_exec(dir, "INSERT INTO account_attempts VALUES (77, 4, 1, 4102444800)") != 0);
	CHECK(check_db_exec(dir, "DELETE FROM account_attempts WHERE user_id = 77") == 0);
}

int main(void)
{
	struct store *st = NULL;
	char tmpl[] = "/tmp/yv-store-XXXXXX";

	if (!mkdtemp(tmpl)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(dir, sizeof dir, "%s", tmpl);

	test_create();
	CHECK(store_open(dir, &st) == SV_OK);
	if (st) {
		test_consultations(st);
		test_responses(st);
		test_refused(st);
		test_results_kept(st);
		store_close(st);
	}
	test_reopen();
	test_once();
	test_migrate();
	test_migrate_26();
	test_batch();
	test_threads();
	test_readback();

	check_remove_dir(dir);
	CHECK(!files_exist(dir));
	return CHECK_DONE();
}
