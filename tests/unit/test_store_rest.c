/*
 * test_store_rest.c - what a copy of the data folder shows (core/store_tidy.c),
 * read from the raw files as an attacker with the source would read them.
 *
 * Responses arrive one at a time in three bursts, each with a one-time token;
 * a consultation title is replaced, a focus-group message and a staff session
 * are deleted.  STORE_REST_WINDOW_MS after the last write the folder is read
 * byte for byte and must show: (a) no WAL, and no -shm or one that names no
 * page; (b) response ids, and the places of the rows' first and last bytes in
 * the file, in no order of arrival; (c) none of the replaced or deleted text
 * anywhere; (d) used tokens in no order of arrival.  "No order" is Kendall's
 * tau between arrival and position under 0.5 in size: for 50 rows in random
 * order that fails about once in 4 million runs, and in arrival order tau is 1.
 * Then, under steady writes, the WAL is emptied at least every
 * STORE_TIDY_MAX_MS plus a tick, with every acknowledged write stored; a
 * write queued while a tidy reopens the write connection is kept; a reader
 * in another process delays the files' going only until it closes; rows
 * stored in a load get random ids once writes pause, at close, or at the
 * next start after a crash, and are read back meanwhile in no order of
 * arrival but in the order they keep after it; and a schema 11 folder whose
 * ids follow arrival is migrated to ids and pages that do not.
 * (What the focus-group functions themselves do, on SQLite and PostgreSQL,
 * is test_focus_store's.)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>
#include <sqlite3.h>

#include "../../core/store.h"
#include "../../core/store_int.h"   /* vacuum_max, to test a large store */
#include "check.h"

#define CONS "cyp-plan-2027"
#define N 50                       /* responses per scenario */
#define SEALED 4144                /* a what-matters payload's size */
#define STORE_REST_WINDOW_MS 2000  /* as promised in docs/threat-model.md */
#define TIDY_MAX_MS 2000           /* STORE_TIDY_MAX_MS */
#define TIDY_TICK_MS 250           /* STORE_TIDY_TICK_MS */
#define OLD_TITLE "CANARY-OLD-TITLE-7d3f"
#define GONE_MESSAGE "CANARY-DELETED-MESSAGE-91ab"
#define GONE_SESSION "deadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeefdeadbeef"

static char dir[64];
static const char *const themes[] = { "bullying", "online-safety" };
static const int prios[] = { 2, 5 };
static unsigned char sealed[N][SEALED];
static char tokens[N][33];
static long long ids[N];

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&t, NULL);
}

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* A whole file, malloc'd (caller frees); NULL with *len 0 if it is absent. */
static unsigned char *slurp(const char *suffix, size_t *len)
{
	char path[160];
	struct stat sb;
	unsigned char *buf = NULL;
	FILE *f;

	*len = 0;
	snprintf(path, sizeof path, "%s/%s%s", dir, STORE_FILE, suffix);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	if (fstat(fileno(f), &sb) == 0 && (buf = malloc((size_t)sb.st_size + 1)) != NULL)
		*len = fread(buf, 1, (size_t)sb.st_size, f);
	fclose(f);
	return buf;
}

/* Where needle first is in hay, or -1. */
static long find(const unsigned char *hay, size_t n, const void *needle, size_t m)
{
	for (size_t i = 0; hay && i + m <= n; i++)
		if (hay[i] == *(const unsigned char *)needle && memcmp(hay + i, needle, m) == 0)
			return (long)i;
	return -1;
}

/* Kendall's tau between arrival (the index) and v: 1 in arrival order. */
static double tau(const long long *v, int n)
{
	long long c = 0, d = 0;

	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++) {
			if (v[j] > v[i])
				c++;
			else if (v[j] < v[i])
				d++;
		}
	return (double)(c - d) / ((double)n * (n - 1) / 2);
}

/* Payload i: a marker at each end (the first bytes stay in the row's page,
 * the last go to its overflow page), random bytes between. */
static void make_payloads(void)
{
	for (int i = 0; i < N; i++) {
		randombytes_buf(sealed[i], SEALED);
		char m[17];
		snprintf(m, sizeof m, "HEAD-%04d-mark--", i);
		memcpy(sealed[i], m, 16);
		snprintf(m, sizeof m, "TAIL-%04d-mark--", i);
		memcpy(sealed[i] + SEALED - 16, m, 16);
		unsigned char raw[16];
		randombytes_buf(raw, sizeof raw);
		sodium_bin2hex(tokens[i], sizeof tokens[i], raw, sizeof raw);
	}
}

static struct store_response response(int i)
{
	struct store_response r = {
		.consultation = CONS, .survey = "what-matters", .day = "2026-12-01",
		.key_id = "0123456789abcdef", .sealed = sealed[i], .sealed_len = SEALED,
		.themes = themes, .nthemes = 2, .priorities = prios, .npriorities = 2,
		.once = tokens[i],
	};
	return r;
}

static void on_response(void *arg, const struct store_sealed *r)
{
	int *seen = arg;
	int i = -1;

	if (r->sealed_len == SEALED && sscanf((const char *)r->sealed, "HEAD-%4d", &i) == 1 &&
	    i >= 0 && i < N) {
		ids[i] = r->id;
		(*seen)++;
	}
}

/* Places in the database file of each row's head and tail, and of each token. */
struct places { long long head[N], tail[N], token[N]; int missing; };

static void find_places(const unsigned char *db, size_t n, struct places *p, int with_tokens)
{
	memset(p, 0, sizeof *p);
	for (int i = 0; i < N; i++) {
		p->head[i] = find(db, n, sealed[i], 16);
		p->tail[i] = find(db, n, sealed[i] + SEALED - 16, 16);
		p->token[i] = with_tokens ? find(db, n, tokens[i], 32) : 0;
		if (p->head[i] < 0 || p->tail[i] < 0 || p->token[i] < 0)
			p->missing++;
	}
}

/* 1 if a -shm file (absent, or present) names no page: nothing after its
 * header but zeros. */
static int shm_blank(const unsigned char *shm, size_t n)
{
	for (size_t i = 136; shm && i < n; i++)
		if (shm[i])
			return 0;
	return 1;
}

static void check_folder(const char *what, int with_tokens)
{
	size_t nwal, nshm, ndb;
	unsigned char *wal = slurp("-wal", &nwal);
	unsigned char *shm = slurp("-shm", &nshm);
	unsigned char *db = slurp("", &ndb);
	struct places p;

	fprintf(stderr, "%s: db %zu bytes, wal %s %zu bytes, shm %s %zu bytes\n", what, ndb,
		wal ? "present" : "absent", nwal, shm ? "present" : "absent", nshm);
	/* (a) */
	CHECK(nwal == 0);
	CHECK(shm_blank(shm, nshm));
	/* (b) ids */
	double t_id = tau(ids, N);
	int sorted = 1;
	for (int i = 1; i < N; i++)
		if (ids[i] < ids[i - 1])
			sorted = 0;
	CHECK(!sorted);
	/* (b) pages and cells */
	find_places(db, ndb, &p, with_tokens);
	CHECK(p.missing == 0);
	double t_head = tau(p.head, N), t_tail = tau(p.tail, N);
	double t_tok = with_tokens ? tau(p.token, N) : 0;
	fprintf(stderr, "%s: Kendall tau with arrival: ids %.2f, row heads %.2f, row tails %.2f,"
		" tokens %.2f\n", what, t_id, t_head, t_tail, t_tok);
	CHECK(t_id > -0.5 && t_id < 0.5);
	CHECK(t_head > -0.5 && t_head < 0.5);
	CHECK(t_tail > -0.5 && t_tail < 0.5);
	/* (d) */
	CHECK(t_tok > -0.5 && t_tok < 0.5);
	/* (c) in every file */
	const unsigned char *files[] = { db, wal, shm };
	const size_t lens[] = { ndb, nwal, nshm };
	for (int f = 0; f < 3; f++) {
		CHECK(find(files[f], lens[f], OLD_TITLE, strlen(OLD_TITLE)) < 0);
		CHECK(find(files[f], lens[f], GONE_MESSAGE, strlen(GONE_MESSAGE)) < 0);
		CHECK(find(files[f], lens[f], GONE_SESSION, strlen(GONE_SESSION)) < 0);
	}
	free(wal);
	free(shm);
	free(db);
}

static void on_message(void *arg, long long id, const char *text, const char *themes_csv)
{
	(void)themes_csv;
	if (strcmp(text, GONE_MESSAGE) == 0)
		*(long long *)arg = id;
}

/* A focus group holding the message that is later deleted; its id. */
static long long add_group(struct store *st)
{
	long long group = 0;
	struct store_focus g = { .participants = 8, .age_from = 12, .age_to = 15,
				 .girls = -1, .boys = -1, .other_gender = -1 };

	snprintf(g.consultation, sizeof g.consultation, CONS);
	snprintf(g.day, sizeof g.day, "2026-12-01");
	snprintf(g.district, sizeof g.district, "Northvale");
	CHECK(store_focus_put(st, &g, &group) == SV_OK);
	CHECK(store_focus_message_add(st, group, GONE_MESSAGE, themes, 1, prios, 1) == SV_OK);
	return group;
}

static void test_rest(void)
{
	struct store *st = NULL;
	struct store_user u;
	long long group = 0;
	int seen = 0;

	CHECK(store_open(dir, &st) == SV_OK);
	if (!st)
		return;
	CHECK(store_consultation_put(st, CONS, OLD_TITLE, "{}") == SV_OK);
	CHECK(store_user_add(st, "alice", STORE_YOUTH_WORKER, "x") == SV_OK);
	CHECK(store_user_get(st, "alice", &u) == SV_OK);
	CHECK(store_session_add(st, GONE_SESSION, u.id, "csrf", 1700000000) == SV_OK);
	/* Three bursts, with idle moments between them. */
	for (int i = 0; i < N; i++) {
		struct store_response r = response(i);
		CHECK(store_response_insert(st, &r) == SV_OK);
		if (i == 14 || i == 29)
			sleep_ms(800);
	}
	group = add_group(st);
	CHECK(store_focus_message_add(st, group, "kept message", themes, 1, prios, 1) == SV_OK);
	long long gone = -1;
	CHECK(store_focus_messages(st, group, on_message, &gone) == SV_OK);
	CHECK(gone > 0);
	CHECK(store_focus_message_delete(st, group, gone) == SV_OK);
	CHECK(store_consultation_put(st, CONS, "Children and young people's plan", "{}") == SV_OK);
	CHECK(store_session_end(st, GONE_SESSION) == SV_OK);
	sleep_ms(STORE_REST_WINDOW_MS);

	CHECK(store_response_each(st, CONS, on_response, &seen) == SV_OK);
	CHECK(seen == N);
	check_folder("after the window", 1);
	/* The store still works after tidying. */
	struct store_response r = response(0);
	CHECK(store_response_insert(st, &r) == SV_ERR_EXISTS);
	store_close(st);
}

/* A store too large to rewrite when idle (vacuum_max 0 stands for one):
 * replaced and deleted text is still nowhere, as secure_delete zeroes it. */
static void test_no_vacuum(void)
{
	struct store *st = NULL;
	long long group = 0, gone = -1;

	CHECK(store_open(dir, &st) == SV_OK);
	if (!st)
		return;
	st->vacuum_max = 0;
	CHECK(store_consultation_put(st, CONS, OLD_TITLE, "{}") == SV_OK);
	group = add_group(st);
	sleep_ms(STORE_REST_WINDOW_MS); /* in the file now, not the WAL */
	CHECK(store_focus_messages(st, group, on_message, &gone) == SV_OK);
	CHECK(store_focus_message_delete(st, group, gone) == SV_OK);
	CHECK(store_consultation_put(st, CONS, "Children and young people's plan", "{}") == SV_OK);
	sleep_ms(STORE_REST_WINDOW_MS);
	size_t ndb, nwal;
	unsigned char *db = slurp("", &ndb), *wal = slurp("-wal", &nwal);
	CHECK(nwal == 0);
	CHECK(find(db, ndb, OLD_TITLE, strlen(OLD_TITLE)) < 0);
	CHECK(find(db, ndb, GONE_MESSAGE, strlen(GONE_MESSAGE)) < 0);
	free(db);
	free(wal);
	store_close(st);
}

/* ---- under steady writes ---- */

#define WRITERS 8

struct writer { struct store *st; volatile int *stop; long long n; };

static void *write_on(void *arg)
{
	struct writer *w = arg;
	unsigned char blob[SEALED];
	char once[33];

	memset(blob, 'w', sizeof blob);
	while (!*w->stop) {
		unsigned char raw[16];
		randombytes_buf(raw, sizeof raw);
		sodium_bin2hex(once, sizeof once, raw, sizeof raw);
		struct store_response r = {
			.consultation = CONS, .survey = "what-matters", .day = "2026-12-02",
			.key_id = "0123456789abcdef", .sealed = blob, .sealed_len = sizeof blob,
			.themes = themes, .nthemes = 2, .priorities = prios, .npriorities = 2,
			.once = once,
		};
		if (store_response_insert(w->st, &r) == SV_OK)
			w->n++;
	}
	return NULL;
}

/* How many responses still have arrival-order ids, read by another
 * connection as a copy of the folder would be. */
static long long fresh_ids_left(void)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	char path[160];
	long long n = -1;

	snprintf(path, sizeof path, "%s/%s", dir, STORE_FILE);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_busy_timeout(db, 1000);
		if (sqlite3_prepare_v2(db, "SELECT count(*) FROM responses WHERE id >= ?1", -1, &s, NULL) == SQLITE_OK) {
			sqlite3_bind_int64(s, 1, STORE_FRESH_ID);
			if (sqlite3_step(s) == SQLITE_ROW)
				n = sqlite3_column_int64(s, 0);
		}
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

/* While writers never pause, the WAL is still emptied (removed, or a new
 * file) at least every STORE_TIDY_MAX_MS and a tick or two; and every write
 * acknowledged meanwhile, queued behind a tidy or not, is stored. */
static void test_load(void)
{
	struct writer w[WRITERS];
	pthread_t t[WRITERS];
	volatile int stop = 0;
	struct store *st = NULL;
	char path[160];
	struct stat sb;
	ino_t inode = 0;
	long long start, fresh, longest = 0, acked = 0, n0 = 0, n1 = 0;

	CHECK(store_open(dir, &st) == SV_OK);
	if (!st)
		return;
	CHECK(store_response_count(st, CONS, &n0) == SV_OK);
	snprintf(path, sizeof path, "%s/%s-wal", dir, STORE_FILE);
	for (int i = 0; i < WRITERS; i++) {
		w[i] = (struct writer){ st, &stop, 0 };
		CHECK(pthread_create(&t[i], NULL, write_on, &w[i]) == 0);
	}
	start = fresh = now_ms();
	while (now_ms() - start < 5000) {
		int empty = stat(path, &sb) != 0 || sb.st_size == 0;
		if (empty || sb.st_ino != inode) {
			if (now_ms() - fresh > longest)
				longest = now_ms() - fresh;
			fresh = now_ms();
			inode = empty ? 0 : sb.st_ino;
		}
		sleep_ms(5);
	}
	if (now_ms() - fresh > longest)
		longest = now_ms() - fresh;
	stop = 1;
	for (int i = 0; i < WRITERS; i++) {
		pthread_join(t[i], NULL);
		acked += w[i].n;
	}
	CHECK(store_response_count(st, CONS, &n1) == SV_OK);
	fprintf(stderr, "steady writes: %lld responses acknowledged in 5 s, %lld stored;"
		" the WAL lived at most %lld ms\n", acked, n1 - n0, longest);
	CHECK(acked > 100);
	CHECK(n1 - n0 == acked);
	CHECK(longest <= TIDY_MAX_MS + 2 * TIDY_TICK_MS + 250);
	/* Once writes pause, every response of the load gets a random id. */
	long long left = -1, paused = now_ms();
	while (left != 0 && now_ms() - paused < 4 * STORE_REST_WINDOW_MS) {
		left = fresh_ids_left();
		sleep_ms(20);
	}
	fprintf(stderr, "steady writes: all %lld renumbered %lld ms after the writes paused\n",
		acked, now_ms() - paused);
	CHECK(left == 0);
	CHECK(now_ms() - paused <= STORE_REST_WINDOW_MS + (acked / STORE_RENUMBER_MAX + 1) * (TIDY_TICK_MS + 250));
	store_close(st);
}

/* One write queued before a tidy reopens the write connection and one
 * after (as store_tidy.c does, with the leader role held): both are stored
 * and acknowledged, neither is dropped from the queue. */
struct one_write { struct store *st; int i; enum sv_err rc; };

static void *write_one(void *arg)
{
	struct one_write *o = arg;
	struct store_response r = response(o->i);

	r.day = "2026-12-04";
	o->rc = store_response_insert(o->st, &r);
	return NULL;
}

static void test_queue_across_reopen(void)
{
	struct store *st = NULL;
	struct one_write a = { 0 }, b = { 0 };
	pthread_t ta, tb;
	long long n0 = 0, n1 = 0;

	make_payloads();
	CHECK(store_open(dir, &st) == SV_OK);
	if (!st)
		return;
	CHECK(store_response_count(st, CONS, &n0) == SV_OK);
	a = (struct one_write){ st, 0, SV_ERR_IO };
	b = (struct one_write){ st, 1, SV_ERR_IO };
	store_commit_pause(st);
	CHECK(pthread_create(&ta, NULL, write_one, &a) == 0);
	sleep_ms(200);
	store_commit_close(st);
	CHECK(store_commit_open(st, st->path) == SV_OK);
	CHECK(pthread_create(&tb, NULL, write_one, &b) == 0);
	sleep_ms(200);
	store_commit_resume(st);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	CHECK(a.rc == SV_OK && b.rc == SV_OK);
	CHECK(store_response_count(st, CONS, &n1) == SV_OK);
	CHECK(n1 - n0 == 2);
	store_close(st);
}

/* Another process reading keeps the WAL and -shm files (only the last
 * connection may delete them); within STORE_TIDY_MAX_MS of its closing and
 * the window, they are gone all the same. */
static void test_reader(void)
{
	struct store *st = NULL;
	sqlite3 *db = NULL;
	char path[160];
	long long t0, t1, t2;

	make_payloads();
	CHECK(store_open(dir, &st) == SV_OK);
	if (!st)
		return;
	snprintf(path, sizeof path, "%s/%s", dir, STORE_FILE);
	CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "BEGIN; SELECT count(*) FROM responses;", NULL, NULL, NULL) == SQLITE_OK);
	t0 = now_ms();
	for (int i = 0; i < N / 2; i++) {
		struct store_response r = response(i);
		r.day = "2026-12-05";
		CHECK(store_response_insert(st, &r) == SV_OK);
	}
	t1 = now_ms();
	sleep_ms(1000);
	for (int i = N / 2; i < N; i++) {
		struct store_response r = response(i);
		r.day = "2026-12-05";
		CHECK(store_response_insert(st, &r) == SV_OK);
	}
	t2 = now_ms();
	fprintf(stderr, "with a reader: %d writes in %lld ms, then %d in %lld ms\n", N / 2, t1 - t0,
		N - N / 2, t2 - t1 - 1000);
	sleep_ms(1000);
	CHECK(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_close(db);
	sleep_ms(TIDY_MAX_MS + STORE_REST_WINDOW_MS);
	size_t nwal, nshm;
	unsigned char *wal = slurp("-wal", &nwal), *shm = slurp("-shm", &nshm);
	CHECK(nwal == 0);
	CHECK(shm_blank(shm, nshm));
	free(wal);
	free(shm);
	store_close(st);
}

/* Writes N rows straight into the database file, ids first_id, first_id + 1
 * ... in arrival order, after running setup_sql (as an older build or a
 * crash would leave them); with final ids (random) if asked. */
static void write_rows_in_order(long long first_id, const char *setup_sql, int final_ids)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	char path[160];

	snprintf(path, sizeof path, "%s/%s", dir, STORE_FILE);
	CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK);
	CHECK(sqlite3_exec(db, setup_sql, NULL, NULL, NULL) == SQLITE_OK);
	CHECK(sqlite3_prepare_v2(db, "INSERT INTO responses (id, consultation, survey, day, key_id, sealed,"
				 " final_id) VALUES (?1, 'cyp-plan-2027', 'what-matters', '2026-11-30', 'k', ?2, ?3)",
				 -1, &s, NULL) == SQLITE_OK);
	for (int i = 0; s && i < N; i++) {
		sqlite3_bind_int64(s, 1, first_id + i);
		sqlite3_bind_blob(s, 2, sealed[i], SEALED, SQLITE_STATIC);
		if (final_ids)
			sqlite3_bind_int64(s, 3, 1 + (long long)randombytes_uniform(1u << 31) * (1LL << 30));
		CHECK(sqlite3_step(s) == SQLITE_DONE);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
}

/* ---- ids in arrival order ---- */

/* A store closed straight after a burst leaves no arrival-order id. */
static void test_close_renumbers(void)
{
	struct store *st = NULL;

	make_payloads();
	CHECK(store_open(dir, &st) == SV_OK);
	if (!st)
		return;
	for (int i = 0; i < N; i++) {
		struct store_response r = response(i);
		r.day = "2026-12-06";
		CHECK(store_response_insert(st, &r) == SV_OK);
	}
	store_close(st);
	CHECK(fresh_ids_left() == 0);
}

static int position;
static long long order[N], first_read[N];

static void on_response_order(void *arg, const struct store_sealed *r)
{
	int i = -1;

	(void)arg;
	if (r->sealed_len == SEALED && sscanf((const char *)r->sealed, "HEAD-%4d", &i) == 1 &&
	    i >= 0 && i < N) {
		order[i] = ++position;
		first_read[i] = r->id;
	}
}

/* Opens the store as the next start after a crash does and waits out the
 * rest window: every row then has its final id.  NULL if it cannot open. */
static struct store *open_after_a_crash(void)
{
	struct store *st = NULL;

	CHECK(store_open(dir, &st) == SV_OK);
	if (!st)
		return NULL;
	sleep_ms(STORE_REST_WINDOW_MS);
	CHECK(fresh_ids_left() == 0);
	return st;
}

/* Rows a load left with arrival-order ids (a crash before the pause): an
 * export reading them lists them in no order of arrival and under their
 * final ids, and the next start gives them those ids within the window. */
static void test_left_by_a_crash(void)
{
	struct store *st = NULL;

	make_payloads();
	write_rows_in_order(STORE_FRESH_ID, "DELETE FROM responses", 1);

	CHECK(store_open_readonly(dir, &st) == SV_OK);
	position = 0;
	memset(order, 0, sizeof order);
	CHECK(store_response_each(st, CONS, on_response_order, NULL) == SV_OK);
	CHECK(position == N);
	double t = tau(order, N);
	fprintf(stderr, "rows with arrival-order ids, as an export reads them: Kendall tau %.2f\n", t);
	CHECK(t > -0.5 && t < 0.5);
	store_close(st);

	if (!(st = open_after_a_crash()))
		return;
	int seen = 0, same = 0;
	memset(ids, 0, sizeof ids);
	CHECK(store_response_each(st, CONS, on_response, &seen) == SV_OK);
	for (int i = 0; i < N; i++)
		same += ids[i] == first_read[i] && ids[i] > 0 && ids[i] < STORE_FRESH_ID;
	CHECK(seen == N && same == N);
	store_close(st);
}

static long long read_ids[N];
static int nread;

static void on_response_id(void *arg, const struct store_sealed *r)
{
	(void)arg;
	if (nread < N)
		read_ids[nread] = r->id;
	nread++;
}

/* Reads the consultation's ids in the order store_response_each gives
 * them into out; returns 1 if there were N and each was above the last. */
static int read_in_rising_order(struct store *st, long long out[N])
{
	int rising = 1;

	nread = 0;
	CHECK(store_response_each(st, CONS, on_response_id, NULL) == SV_OK);
	for (int i = 0; i < N && i < nread; i++) {
		rising &= i == 0 || read_ids[i] > read_ids[i - 1];
		out[i] = read_ids[i];
	}
	return nread == N && rising;
}

/* Half the rows tidied (random ids), half left with arrival-order ids and
 * their final ones: a reader gets all of them in the order of their final
 * ids, and the same order again once a tidy has given them those ids, so
 * two exports a tidy apart list the same answers alike. */
static void test_order_kept_by_tidy(void)
{
	struct store *st = NULL;
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	char path[160];
	long long before[N], after[N];

	make_payloads();
	snprintf(path, sizeof path, "%s/%s", dir, STORE_FILE);
	CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK);
	CHECK(sqlite3_exec(db, "DELETE FROM responses", NULL, NULL, NULL) == SQLITE_OK);
	CHECK(sqlite3_prepare_v2(db, "INSERT INTO responses (id, consultation, survey, day, key_id, sealed,"
				 " final_id) VALUES (?1, 'cyp-plan-2027', 'what-matters', '2026-11-30', 'k', ?2, ?3)",
				 -1, &s, NULL) == SQLITE_OK);
	for (int i = 0; s && i < N; i++) {
		long long random_id = 1 + (long long)randombytes_uniform(1u << 31) * (1LL << 30);
		sqlite3_bind_int64(s, 1, i < N / 2 ? random_id : STORE_FRESH_ID + i);
		sqlite3_bind_blob(s, 2, sealed[i], SEALED, SQLITE_STATIC);
		if (i < N / 2)
			sqlite3_bind_null(s, 3);
		else
			sqlite3_bind_int64(s, 3, random_id);
		CHECK(sqlite3_step(s) == SQLITE_DONE);
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	sqlite3_close(db);

	CHECK(store_open_readonly(dir, &st) == SV_OK);
	if (st)
		CHECK(read_in_rising_order(st, before));
	store_close(st);
	if (!(st = open_after_a_crash()))
		return;
	CHECK(read_in_rising_order(st, after));
	CHECK(memcmp(before, after, sizeof before) == 0);
	store_close(st);
}

/* ---- a schema 11 folder ---- */

/* Rows stored by schema 11 (ids 1, 2, 3 ... in arrival order) get random
 * ids, and their pages are rewritten out of arrival order. */
static void test_migrate(void)
{
	struct store *st = NULL;
	int seen = 0;

	make_payloads();
	write_rows_in_order(1, "DELETE FROM responses; DELETE FROM used_tokens; PRAGMA user_version = 11;", 0);
	CHECK(store_open(dir, &st) == SV_OK);
	if (!st)
		return;
	sleep_ms(STORE_REST_WINDOW_MS);
	memset(ids, 0, sizeof ids);
	CHECK(store_response_each(st, CONS, on_response, &seen) == SV_OK);
	CHECK(seen == N);
	check_folder("a schema 11 folder after migrating", 0);
	store_close(st);
}

int main(void)
{
	char tmpl[] = "/tmp/yv-rest-XXXXXX";

	if (sodium_init() < 0 || !mkdtemp(tmpl)) {
		perror("setup");
		return 1;
	}
	snprintf(dir, sizeof dir, "%s", tmpl);
	make_payloads();
	test_rest();
	test_no_vacuum();
	test_load();
	test_queue_across_reopen();
	test_reader();
	test_close_renumbers();
	test_left_by_a_crash();
	test_order_kept_by_tidy();
	test_migrate();
	check_remove_dir(dir);
	return CHECK_DONE();
}
