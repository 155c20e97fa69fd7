/*
 * test_store_both.c - the store on both backends (issue 17,
 * docs/postgresql.md): the same checks on SQLite in a folder and, when
 * YV_TEST_DB names one (tests/pg/pg.sh), on PostgreSQL, through the store's
 * public interface, for the files already on core/db.h: the schema (the
 * same tables and columns on both), consultations and surveys
 * (store.c), the shared commit (store_commit.c: counters, a replayed form
 * token stored once, a batch with a replay in it, many threads at once,
 * sealed bytes read back as written), two stores on one database as two
 * servers would be, rounds, kiosks, results and help text, participation
 * and the analysis's plain counts, the limit on tries (store_attempts.c:
 * passwords and passphrases apart), and a session's role.  And text sorted
 * byte by byte on PostgreSQL as on SQLite, also in a database whose own
 * collation is ICU's en-GB (YV_TEST_DB_ICU, from tests/pg/pg.sh) made by
 * the schema before 28.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "check_db.h"
#include "../../core/db.h"
#include "../../core/store.h"
#include "../../core/store_int.h"

#define CONS "c1"

static const unsigned char sealed[] = { 0, 1, 2, 3, 0xfe, 0xff, 0, '\\', 'x', 0 };
static const char *const themes[] = { "online-safety", "someone-to-talk-to" };
static const int prios[] = { 2, 5 };

static struct store_response response(const char *once)
{
	struct store_response r = {
		.consultation = CONS, .survey = "what-matters", .day = "2026-12-01",
		.key_id = "k1", .sealed = sealed, .sealed_len = sizeof sealed,
		.themes = themes, .nthemes = 2, .priorities = prios, .npriorities = 2,
		.once = once,
	};
	return r;
}

/* Tables and their columns (name, NOT NULL, part of the key), one line
 * each, sorted: what the two schemas must share. */
static void schema_lines(struct db *db, char *out, size_t cap)
{
	struct db_stmt *s = NULL;
	size_t used = 0;

	out[0] = '\0';
	if (db_prepare(db, db_dialect(db) == DB_SQLITE ?
		       "SELECT m.name || '.' || p.name || ' ' || (p.\"notnull\" OR p.pk > 0) || ' ' || (p.pk > 0)"
		       " FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'"
		       " ORDER BY 1" :
		       "SELECT line FROM (SELECT c.table_name || '.' || c.column_name || ' '"
		       " || CASE WHEN c.is_nullable = 'NO' THEN 1 ELSE 0 END || ' '"
		       " || CASE WHEN k.column_name IS NULL THEN 0 ELSE 1 END AS line"
		       " FROM information_schema.columns c LEFT JOIN ("
		       "  SELECT u.table_name, u.column_name FROM information_schema.table_constraints t"
		       "  JOIN information_schema.key_column_usage u ON u.constraint_name = t.constraint_name"
		       "  AND u.table_schema = t.table_schema"
		       "  WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_schema = current_schema()) k"
		       " ON k.table_name = c.table_name AND k.column_name = c.column_name"
		       " WHERE c.table_schema = current_schema() AND c.table_name <> 'youthvoice_schema'"
		       ") x ORDER BY line COLLATE \"C\"", &s))
		return;
	enum db_rc r;
	while ((r = db_step(s)) == DB_ROW) {
		int n = snprintf(out + used, cap - used, "%s\n", db_column_text(s, 0));
		if (n < 0 || (size_t)n >= cap - used)
			break;
		used += (size_t)n;
	}
	if (r != DB_DONE && r != DB_ROW)
		db_log(db, "reading the schema");
	db_finalize(s);
}

struct seen { char text[512]; };

/* Adds "a=n " (or "a" alone, n < 0) to what was seen. */
static void add_seen(struct seen *s, const char *a, long long n)
{
	size_t used = strlen(s->text);
	if (n < 0)
		snprintf(s->text + used, sizeof s->text - used, "%s", a);
	else
		snprintf(s->text + used, sizeof s->text - used, "%s=%lld ", a, n);
}

static void on_theme(void *arg, const char *theme, enum store_source source, long long count)
{
	if (source == STORE_SURVEY)
		add_seen(arg, theme, count);
}

static void on_sealed(void *arg, const struct store_sealed *r)
{
	struct seen *s = arg;
	int same = r->sealed_len == sizeof sealed && memcmp(r->sealed, sealed, sizeof sealed) == 0;
	add_seen(s, same ? "same:" : "DIFFERENT:", -1);
	add_seen(s, r->day, r->id > 0);
}

static void on_count(void *arg, const char *theme, long long count)
{
	add_seen(arg, theme, count);
}

static void on_prio_count(void *arg, int priority, long long count)
{
	char p[16];
	snprintf(p, sizeof p, "%d", priority);
	add_seen(arg, p, count);
}

static void on_day(void *arg, const char *day, long long count)
{
	add_seen(arg, day, count);
}

/* store_response_each over several pages: every row once, in id order. */
struct walk { long long rows, last, out_of_order; };

static void on_walk(void *arg, const struct store_sealed *r)
{
	struct walk *w = arg;
	w->out_of_order += r->id <= w->last;
	w->last = r->id;
	w->rows++;
}

/* More responses than two pages of store_response_each (STORE_PAGE_ROWS
 * each) in a consultation of their own, then read back. */
static void test_pages(struct store *st)
{
	enum { ROWS = 2 * 1024 + 77, BATCH = 300 };
	static struct store_response batch[BATCH];
	static char once[BATCH][24];
	enum sv_err results[BATCH];
	int stored = 0;

	CHECK(store_consultation_put(st, "c-pages", "Pages", "{}") == SV_OK);
	for (int from = 0; from < ROWS; from += BATCH) {
		int n = ROWS - from < BATCH ? ROWS - from : BATCH;
		for (int i = 0; i < n; i++) {
			snprintf(once[i], sizeof once[i], "page-%d", from + i);
			batch[i] = response(once[i]);
			batch[i].consultation = "c-pages";
		}
		if (store_response_insert_many(st, batch, (size_t)n, results) != SV_OK)
			break;
		for (int i = 0; i < n; i++)
			stored += results[i] == SV_OK;
	}
	CHECK(stored == ROWS);
	struct walk w = { 0, -1, 0 };
	CHECK(store_response_each(st, "c-pages", on_walk, &w) == SV_OK);
	CHECK(w.rows == ROWS);
	CHECK(w.out_of_order == 0);
}

struct writer { struct store *st; int from, n, stored, replays; };

static void *write_many(void *arg)
{
	struct writer *w = arg;
	char once[32];

	for (int i = 0; i < w->n; i++) {
		/* Every other token is one another writer sends too. */
		snprintf(once, sizeof once, "t%d", (i % 2) ? w->from + i : i);
		struct store_response r = response(once);
		enum sv_err rc = store_response_insert(w->st, &r);
		w->stored += rc == SV_OK;
		w->replays += rc == SV_ERR_EXISTS;
	}
	return NULL;
}

static void check_store(const char *dir, const char *url, const char *label, char *schema,
			size_t schema_cap)
{
	struct store *st = NULL, *other = NULL;
	struct seen s = { "" };
	long long n = -1;

	printf("# %s\n", label);
	if (url) {
		setenv("YV_TEST_DB", url, 1);
		CHECK(check_store_open(dir, &st) == SV_OK);
	} else {
		unsetenv("YV_TEST_DB");
		CHECK(store_open(dir, &st) == SV_OK);
	}
	if (!st)
		return;

	/* The schema, as the engine itself describes it. */
	struct db *db = NULL;
	char path[600];
	snprintf(path, sizeof path, "%s/%s", dir, STORE_FILE);
	CHECK(db_open(url ? url : path, 0, &db) == SV_OK);
	if (db) {
		schema_lines(db, schema, schema_cap);
		CHECK(strstr(schema, "responses.sealed 1 0\n") != NULL);
		CHECK(strstr(schema, "theme_counts.theme 1 1\n") != NULL);
	}

	/* store.c: consultations and surveys. */
	char *title = NULL, *tax = NULL;
	CHECK(store_consultation_put(st, CONS, "Plan \xe2\x80\x93 \"2027\"", "{\"v\":1}") == SV_OK);
	CHECK(store_consultation_put(st, "c2", "Two", "{}") == SV_OK);
	CHECK(store_consultation_get(st, CONS, &title, &tax) == SV_OK);
	CHECK_STR(title, "Plan \xe2\x80\x93 \"2027\"");
	CHECK_STR(tax, "{\"v\":1}");
	free(title);
	free(tax);
	CHECK(store_consultation_get(st, "x' OR '1'='1", &title, &tax) == SV_ERR_NOTFOUND);
	int status = 2;
	CHECK(store_consultation_status(st, CONS, 1, &status) == SV_OK);
	status = -1;
	CHECK(store_consultation_status(st, CONS, 0, &status) == SV_OK && status == 2);
	status = 1;
	CHECK(store_consultation_status(st, CONS, 1, &status) == SV_OK);
	CHECK(store_consultation_edit(st, "c3", "Three", "{}", 0) == SV_OK);
	CHECK(store_consultation_edit(st, "c3", "Three", "{}", 0) == SV_ERR_EXISTS);
	CHECK(store_consultation_edit(st, "none", NULL, "{}", 0) == SV_ERR_NOTFOUND);
	CHECK(store_survey_put(st, "what-matters", CONS, "What matters", "[\"a\"]") == SV_OK);
	CHECK(store_survey_move(st, "what-matters", "c2") == SV_OK);
	CHECK(store_survey_put(st, "what-matters", CONS, "What matters 2", "[\"a\"]") == SV_OK);
	CHECK(store_survey_move(st, "no-such", "c2") == SV_ERR_NOTFOUND);

	/* store_commit.c: counters, a replay, a batch, threads. */
	struct store_response r = response("once-1");
	CHECK(store_response_insert(st, &r) == SV_OK);
	CHECK(store_response_insert(st, &r) == SV_ERR_EXISTS);
	struct store_response batch[3] = { response("b1"), response("once-1"), response("b2") };
	enum sv_err results[3];
	CHECK(store_response_insert_many(st, batch, 3, results) == SV_OK);
	CHECK(results[0] == SV_OK && results[1] == SV_ERR_EXISTS && results[2] == SV_OK);
	CHECK(store_response_count(st, CONS, &n) == SV_OK && n == 3);
	CHECK(store_response_count(st, NULL, &n) == SV_OK && n == 3);
	CHECK(store_theme_counts(st, CONS, on_theme, &s) == SV_OK);
	CHECK(strstr(s.text, "online-safety=3 ") && strstr(s.text, "someone-to-talk-to=3 "));

	/* Two stores on one database, as two servers: a token sent to both
	 * is stored once, and the counters agree.  (PostgreSQL only: one
	 * SQLite file has one server, whose arrival-order ids are its own.) */
	if (url)
		CHECK(store_open_url(dir, url, &other) == SV_OK);
	struct writer w[4] = {
		{ st, 1000, 40, 0, 0 }, { other ? other : st, 2000, 40, 0, 0 },
		{ st, 3000, 40, 0, 0 }, { other ? other : st, 4000, 40, 0, 0 },
	};
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, write_many, &w[i]);
	int stored = 0, replays = 0;
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		stored += w[i].stored;
		replays += w[i].replays;
	}
	/* 4 x 20 tokens of their own, and t0, t2 ... t38 once among four. */
	CHECK(stored == 80 + 20);
	CHECK(replays == 3 * 20);
	CHECK(store_response_count(other ? other : st, CONS, &n) == SV_OK && n == 3 + 100);
	s.text[0] = '\0';
	CHECK(store_theme_counts(other ? other : st, CONS, on_theme, &s) == SV_OK);
	CHECK(strstr(s.text, "online-safety=103 ") != NULL);
	store_close(other);

	/* Sealed bytes come back as they went, zero bytes and all. */
	s.text[0] = '\0';
	CHECK(store_response_each(st, CONS, on_sealed, &s) == SV_OK);
	CHECK(strstr(s.text, "DIFFERENT") == NULL);
	test_pages(st);
	CHECK(strstr(s.text, "same:2026-12-01=1 ") != NULL);
	s.text[0] = '\0';
	CHECK(store_response_days(st, CONS, on_day, &s) == SV_OK);
	CHECK_STR(s.text, "2026-12-01=103 ");
	struct store_participation p;
	CHECK(store_participation(st, CONS, &p) == SV_OK);
	CHECK(p.responses == 103 && strcmp(p.first_day, "2026-12-01") == 0);
	CHECK(p.coded == 0);   /* answers coded in the main analysis: none */
	/* The analysis's plain counts, which every export's table reads. */
	s.text[0] = '\0';
	CHECK(store_analysis_theme_counts(st, CONS, on_count, &s) == SV_OK);
	CHECK(store_analysis_priority_counts(st, CONS, on_prio_count, &s) == SV_OK);
	CHECK_STR(s.text, "");

	/* Rounds, kiosks, results and help. */
	CHECK(store_round_set(st, CONS, "plan", "2026") == SV_OK);
	CHECK(store_population_set(st, CONS, "gender:girl", 5100) == SV_OK);
	long long kid = 0;
	struct store_kiosk k;
	CHECK(store_kiosk_add(st, "hash1", "what-matters", "Tablet", "sam", "2026-12-01", &kid) == SV_OK);
	CHECK(kid > 0);
	CHECK(store_kiosk_find(st, "hash1", &k) == SV_OK && k.id == kid && !k.revoked);
	CHECK(store_kiosk_revoke(st, kid, &k) == SV_OK && k.revoked && strcmp(k.name, "Tablet") == 0);
	CHECK(store_kiosk_revoke(st, kid + 100, &k) == SV_ERR_NOTFOUND);
	n = 12;
	CHECK(store_results_shown(st, CONS, 1, &n) == SV_OK);
	n = -1;
	CHECK(store_results_shown(st, CONS, 0, &n) == SV_OK && n == 12);
	char *help = NULL;
	CHECK(store_help_set(st, CONS, "Call 0800 1111") == SV_OK);
	CHECK(store_help_get(st, CONS, &help) == SV_OK && help && strcmp(help, "Call 0800 1111") == 0);
	free(help);

	/* The limit on tries: the fourth of three is refused, with a wait. */
	long long uid = 0, wait = -1;
	if (db) {
		struct db_stmt *u = NULL;
		if (db_prepare(db, "INSERT INTO users (name, role, password) VALUES ('ann', 3, 'x')"
			       " RETURNING id", &u) == SV_OK && db_step(u) == DB_ROW)
			uid = db_column_int64(u, 0);
		db_finalize(u);
	}
	CHECK(uid > 0);
	for (int i = 0; i < 3; i++)
		CHECK(store_attempt_charge(st, uid, STORE_ATTEMPT_PASSWORD, 1000000, 3, 900, &wait) == SV_OK &&
		      wait == 0);
	CHECK(store_attempt_charge(st, uid, STORE_ATTEMPT_PASSWORD, 1000010, 3, 900, &wait) == SV_OK);
	CHECK(wait > 0);
	CHECK(store_attempt_clear(st, uid, STORE_ATTEMPT_PASSWORD) == SV_OK);
	CHECK(store_attempt_charge(st, uid, STORE_ATTEMPT_PASSWORD, 1000020, 3, 900, &wait) == SV_OK &&
	      wait == 0);
	/* A key's passphrase is a try of its own kind (3, schema 26), limited
	 * apart from passwords. */
	for (int i = 0; i < 3; i++)
		CHECK(store_attempt_charge(st, uid, STORE_ATTEMPT_PASSPHRASE, 1000030, 3, 900, &wait) == SV_OK &&
		      wait == 0);
	CHECK(store_attempt_charge(st, uid, STORE_ATTEMPT_PASSPHRASE, 1000040, 3, 900, &wait) == SV_OK);
	CHECK(wait > 0);
	CHECK(store_attempt_charge(st, uid, STORE_ATTEMPT_PASSWORD, 1000050, 3, 900, &wait) == SV_OK &&
	      wait == 0);

	/* A session's role, read without touching it (an analysis session
	 * checks its holder so), and 0 once it has ended. */
	int role = -1;
	CHECK(store_session_add(st, "feed01", uid, "csrf01", 1000000) == SV_OK);
	CHECK(store_session_role(st, "feed01", &role) == SV_OK && role == STORE_ADMIN);
	CHECK(store_session_end(st, "feed01") == SV_OK);
	CHECK(store_session_role(st, "feed01", &role) == SV_OK && role == 0);
	db_close(db);
	store_close(st);

	/* Read-only, as survey-export opens it. */
	struct store *ro = NULL;
	CHECK((url ? store_open_readonly_url(dir, url, &ro) : store_open_readonly(dir, &ro)) == SV_OK);
	CHECK(ro && store_response_count(ro, CONS, &n) == SV_OK && n == 103);
	store_close(ro);
}

/* The first column of sql's first row as an integer; -1 if none. */
static long long one_int(struct db *db, const char *sql)
{
	struct db_stmt *s = NULL;
	long long v = -1;

	if (db_prepare(db, sql, &s) != SV_OK)
		return -1;
	if (db_step(s) == DB_ROW)
		v = db_column_int64(s, 0);
	db_finalize(s);
	return v;
}

/* Text columns of the schema on PostgreSQL that do not sort byte by byte. */
#define NOT_BYTEWISE "SELECT count(*) FROM information_schema.columns" \
	" WHERE table_schema = current_schema() AND data_type = 'text'" \
	" AND collation_name IS DISTINCT FROM 'C'"

static void on_name(void *arg, const char *name, enum store_role role)
{
	struct seen *s = arg;

	(void)role;
	if (s->text[0])
		add_seen(s, ",", -1);
	add_seen(s, name, -1);
}

/*
 * Schema 28: accounts (and every list sorted by a name) come in byte order
 * on a database whose own collation would sort them otherwise, one made at
 * schema 27 and migrated.
 */
static void check_collation(const char *dir, const char *url)
{
	struct db *db = NULL;
	struct store *st = NULL;
	struct seen names = { "" };

	printf("# PostgreSQL, a database whose own collation is en-GB\n");
	CHECK(db_open(url, 0, &db) == SV_OK);
	if (!db)
		return;
	/* What schema 28 is for: this database sorts "a" before "B". */
	CHECK(one_int(db, "SELECT CASE WHEN 'a' < 'B' THEN 1 ELSE 0 END") == 1);
	/* Made at 27, as the last version before 28 would have. */
	CHECK(db_exec(db, "DROP SCHEMA public CASCADE; CREATE SCHEMA public") == SV_OK);
	CHECK(db_exec(db, store_pg_baseline) == SV_OK);
	CHECK(db_set_schema_version(db, 27) == SV_OK);
	CHECK(db_exec(db, "INSERT INTO users (name, role, password)"
			  " VALUES ('b', 1, 'x'), ('Z', 1, 'x'), ('_c', 1, 'x')") == SV_OK);
	CHECK(one_int(db, NOT_BYTEWISE) > 50);
	CHECK(store_open_url(dir, url, &st) == SV_OK);
	CHECK(one_int(db, "SELECT version FROM youthvoice_schema") == STORE_SCHEMA_VERSION);
	CHECK(one_int(db, NOT_BYTEWISE) == 0);
	if (st) {
		CHECK(store_user_add(st, "a", STORE_ADMIN, "x") == SV_OK);
		CHECK(store_user_add(st, "B", STORE_ADMIN, "x") == SV_OK);
		CHECK(store_user_each(st, on_name, &names) == SV_OK);
		CHECK_STR(names.text, "B,Z,_c,a,b");   /* en-GB: _c,a,b,B,Z */
		/* Names stay unique as they were (equality is the same). */
		CHECK(store_user_add(st, "b", STORE_ADMIN, "x") == SV_ERR_EXISTS);
		store_close(st);
	}
	db_close(db);
}

int main(void)
{
	char dir[] = "/tmp/yv-both-XXXXXX";
	const char *pg = getenv("YV_TEST_DB");
	char *url = pg && *pg ? strdup(pg) : NULL;
	static char lite[16384], post[16384];

	if (!mkdtemp(dir))
		return 1;
	check_store(dir, NULL, "SQLite", lite, sizeof lite);
	if (url) {
		check_store(dir, url, "PostgreSQL", post, sizeof post);
		/* One schema: the same tables, columns, NOT NULLs and keys. */
		CHECK(lite[0] != '\0');
		CHECK_STR(post, lite);
		/* Every text column sorts byte by byte, as SQLite's do. */
		struct db *db = NULL;
		CHECK(db_open(url, 0, &db) == SV_OK);
		if (db) {
			CHECK(one_int(db, NOT_BYTEWISE) == 0);
			db_close(db);
		}
		const char *icu = getenv("YV_TEST_DB_ICU");
		CHECK(icu && *icu);
		if (icu && *icu)
			check_collation(dir, icu);
	} else {
		printf("# PostgreSQL: skipped (no YV_TEST_DB; see tests/pg/pg.sh)\n");
	}
	free(url);
	check_remove_dir(dir);
	return CHECK_DONE();
}
