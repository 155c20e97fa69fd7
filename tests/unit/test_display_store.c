/*
 * test_display_store.c - core/store's display links (store_display.c): one
 * link per event, found by its hash; a new one replaces the old in the same
 * write; none for an event that does not exist; revoking; hashes of the
 * wrong length refused; a deleted event takes its link with it (so an id
 * used again never inherits one); and migration 14 on a database of
 * schema 13.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "../../core/store.h"
#include "check.h"
#include "check_db.h"

#define CONS "cyp-plan-2027"
#define H1 "1111111111111111111111111111111111111111111111111111111111111111"
#define H2 "2222222222222222222222222222222222222222222222222222222222222222"
#define H3 "3333333333333333333333333333333333333333333333333333333333333333"

static char dir[64];

/* One statement's first number on the database the test runs on (SQLite
 * in dir, or YV_TEST_DB's PostgreSQL), through the store's own layer. */
static long long count_of(const char *text)
{
	char path[128];
	const char *url = getenv("YV_TEST_DB");
	struct db *db = NULL;
	struct db_stmt *s = NULL;
	long long v = -1;

	snprintf(path, sizeof path, "%s/%s", dir, STORE_FILE);
	if (db_open(url && *url ? url : path, 0, &db) == SV_OK && db_prepare(db, text, &s) == SV_OK &&
	    db_step(s) == DB_ROW)
		v = db_column_int64(s, 0);
	db_finalize(s);
	db_close(db);
	return v;
}

/* Runs sql on a connection of its own with foreign keys enforced, as the
 * server's; returns the first column of its first row (0 if none), or -1
 * if it failed. */
static long long sql(const char *text)
{
	char path[128];
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	long long v = -1;
	int r;

	snprintf(path, sizeof path, "%s/%s", dir, STORE_FILE);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK)
		goto out;
	sqlite3_busy_timeout(db, 2000);
	for (const char *next = text; next && *next; text = next) {
		sqlite3_finalize(s);
		s = NULL;
		if (sqlite3_prepare_v2(db, text, -1, &s, &next) != SQLITE_OK) {
			v = -1;
			goto out;
		}
		r = s ? sqlite3_step(s) : SQLITE_DONE;
		if (r != SQLITE_ROW && r != SQLITE_DONE) {
			v = -1;
			goto out;
		}
		v = r == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	}
out:
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static long long add_event(struct store *st, const char *name)
{
	const int prios[] = { 1, 2 };
	const char *themes[] = { "healthy-food", "online-safety" };
	long long id = 0;

	CHECK(store_event_add(st, CONS, name, "2027-06-01", prios, themes, 2, &id) == SV_OK);
	return id;
}

static void test_links(struct store *st)
{
	long long fair = add_event(st, "Fair"), winter = add_event(st, "Winter"), found = -1;
	char made[20];

	CHECK(store_display_made(st, fair, made) == SV_ERR_NOTFOUND);
	CHECK(strcmp(made, "") == 0);
	CHECK(store_display_find(st, H1, &found) == SV_ERR_NOTFOUND);

	CHECK(store_display_set(st, fair, H1) == SV_OK);
	CHECK(store_display_find(st, H1, &found) == SV_OK && found == fair);
	CHECK(store_display_made(st, fair, made) == SV_OK);
	CHECK(strlen(made) == 17 && made[4] == '-' && made[10] == 'T' && made[16] == 'Z');
	CHECK(store_display_made(st, winter, made) == SV_ERR_NOTFOUND);

	/* A new link replaces the old: one row, the old hash finds nothing. */
	CHECK(store_display_set(st, fair, H2) == SV_OK);
	CHECK(store_display_find(st, H1, &found) == SV_ERR_NOTFOUND);
	CHECK(store_display_find(st, H2, &found) == SV_OK && found == fair);
	CHECK(count_of("SELECT count(*) FROM display_links") == 1);

	/* No link for an event that does not exist; two events never share one. */
	CHECK(store_display_set(st, 999999, H3) == SV_ERR_NOTFOUND);
	CHECK(store_display_set(st, winter, H2) != SV_OK);
	CHECK(store_display_find(st, H2, &found) == SV_OK && found == fair);
	CHECK(count_of("SELECT count(*) FROM display_links") == 1);

	/* Only a whole hash: never a token or a prefix. */
	CHECK(store_display_set(st, winter, "abc") == SV_ERR_INVALID);
	CHECK(store_display_find(st, "2222", &found) == SV_ERR_NOTFOUND);
	CHECK(store_display_find(st, H2 "2", &found) == SV_ERR_NOTFOUND);

	CHECK(store_display_revoke(st, fair) == SV_OK);
	CHECK(store_display_find(st, H2, &found) == SV_ERR_NOTFOUND);
	CHECK(store_display_made(st, fair, made) == SV_ERR_NOTFOUND);
	CHECK(store_display_revoke(st, fair) == SV_ERR_NOTFOUND);

	/* Deleting an event (options first, as store_event_delete does)
	 * deletes its link with it. */
	CHECK(store_display_set(st, winter, H3) == SV_OK);
	long long taps = -1;
	CHECK(store_event_delete(st, winter, &taps) == SV_OK && taps == 0);
	CHECK(store_display_find(st, H3, &found) == SV_ERR_NOTFOUND);
	CHECK(count_of("SELECT count(*) FROM display_links") == 0);
}

static void test_migrate_14(void)
{
	struct store *st = NULL;
	long long found = -1;

	CHECK(sql("DROP TABLE display_links; PRAGMA user_version = 13;") == 0);
	CHECK(store_open(dir, &st) == SV_OK);
	if (!st)
		return;
	CHECK(sql("PRAGMA user_version") == STORE_SCHEMA_VERSION);
	CHECK(sql("SELECT count(*) FROM display_links") == 0);
	long long ev = add_event(st, "After the upgrade");
	CHECK(store_display_set(st, ev, H1) == SV_OK);
	CHECK(store_display_find(st, H1, &found) == SV_OK && found == ev);
	store_close(st);
}

int main(void)
{
	struct store *st = NULL;

	snprintf(dir, sizeof dir, "/tmp/yv-display-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	int opened = check_store_open(dir, &st) == SV_OK;
	CHECK(opened && store_consultation_put(st, CONS, "Plan", "{}") == SV_OK);
	if (opened)
		test_links(st);
	store_close(st);
	if (opened && !check_on_postgres())
		test_migrate_14();   /* SQLite's schema 13 to 14 */
	check_remove_dir(dir);
	return CHECK_DONE();
}
