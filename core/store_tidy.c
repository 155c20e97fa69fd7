/*
 * store_tidy.c - a copied data folder holds no history (see store.h): a few
 * seconds after the last write nothing in it orders responses in time or
 * links one to its counter changes or its token.
 *
 * Why: SQLite in WAL mode appends every commit to DIR/youthvoice.db-wal as
 * frames of whole pages.  Replayed frame by frame, a copy of that file shows
 * each response arriving with the theme counters it moved and the token it
 * used.  A checkpoint copies the frames into the database but leaves the
 * file's bytes (SQLite only rewinds it), and the -shm file keeps, per frame,
 * the number of the page written, so even a truncated WAL leaves the order of
 * writes behind.  The database file itself orders rows too: SQLite appends
 * each new row's pages where free space is, so a 4 KiB sealed row's overflow
 * page numbers grow with arrival, and within a page new cells sit below
 * older ones.  Random row ids hide nothing of that alone, and placing each
 * new row at a random leaf of the table costs a third more per response
 * than appending it (bench/: 2,600 against 4,000 a second), so a served
 * store hands out ids in arrival order (store_commit.c) and gives them
 * random ones here, when writes pause.
 *
 * What this does: a thread (the tidier) looks at the WAL every
 * STORE_TIDY_TICK_MS.  When it has not changed for a tick (the writes have
 * gone idle), or has held frames for STORE_TIDY_MAX_MS under steady load, it
 * takes the shared commit's leader role (writes queue meanwhile, and commit
 * as one batch after) and the read lock, closes the write connection, and on
 * the remaining connection:
 *   0. when idle, gives responses with arrival-order ids random ones,
 *      STORE_RENUMBER_MAX at a time until a write comes (the next quiet tick
 *      goes on; store_close takes all that remain);
 *   1. when idle and the database is at most STORE_TIDY_VACUUM_MAX bytes,
 *      VACUUM: every table and index is rewritten in key order, so pages and
 *      cells follow the random ids and nonces, not arrival (at most a tenth
 *      of the time: after a rewrite that took d, the next waits 9 d);
 *   2. leaves WAL mode (PRAGMA journal_mode = DELETE): SQLite checkpoints and
 *      deletes both the -wal and the -shm file, which only the last
 *      connection to the database may do;
 *   3. goes back into WAL mode and reopens the write connection.
 * PRAGMA secure_delete (store.c, store_commit.c) zeroes every freed cell and
 * page, so neither step leaves old content in free space.  If another process
 * has the database open (survey-export reading it), step 2 cannot delete the
 * files: the WAL is checkpointed (and truncated, if that reader allows), and
 * the tidier tries again every STORE_TIDY_MAX_MS until the files can go,
 * waiting STORE_TIDY_BUSY_MS at most each time, so writes are held up for
 * no longer than a tidy takes.
 *
 * What it leaves: above STORE_TIDY_VACUUM_MAX (about 15,000 sealed responses)
 * the database is not rewritten, so the file keeps a partial arrival order of
 * rows in page numbers (docs/threat-model.md says so).  Under steady load the
 * WAL holds the last STORE_TIDY_MAX_MS of writes plus one tick, and the
 * responses since writes last paused keep their arrival-order ids.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sqlite3.h>

#include "store.h"
#include "store_int.h"

/* What the tidier saw of the WAL file at its last look. */
struct wal_look {
	int dirty;              /* the file exists and holds frames */
	off_t size;
	struct timespec mtime;
	ino_t inode;
};

/* The WAL file as it is now (all zero if absent). */
static struct wal_look look_at_wal(const struct store *st)
{
	struct wal_look w = { 0 };
	struct stat sb;

	if (stat(st->wal_path, &sb) == 0) {
		w.dirty = sb.st_size > 0;
		w.size = sb.st_size;
		w.mtime = sb.st_mtim;
		w.inode = sb.st_ino;
	}
	return w;
}

/* 1 if nothing was written to the WAL between two looks. */
static int same_look(const struct wal_look *a, const struct wal_look *b)
{
	return a->dirty == b->dirty && a->size == b->size && a->inode == b->inode &&
		a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec;
}

/* Milliseconds on a clock that never goes back. */
static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The database file's size in bytes, or -1. */
static long long db_bytes(const struct store *st)
{
	struct stat sb;

	return stat(st->path, &sb) == 0 ? (long long)sb.st_size : -1;
}

/* The tidy works on SQLite's own connection under st->conn
 * (db_sqlite_handle): checkpoints, journal modes and VACUUM are SQLite's
 * alone, and a store on PostgreSQL has no tidier. */
static void tidy_log(sqlite3 *db, const char *what)
{
	fprintf(stderr, "store: %s: %s\n", what, sqlite3_errmsg(db));
}

static int tidy_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "store: %s\n", msg ? msg : "exec failed");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* 1 if the PRAGMA runs and answers want (journal_mode answers the mode it
 * is in afterwards, the old one if it could not change). */
static int pragma_is(sqlite3 *db, const char *sql, const char *want)
{
	sqlite3_stmt *s = NULL;
	int is = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(s, 0);
		is = t && strcmp((const char *)t, want) == 0;
	}
	sqlite3_finalize(s);
	return is;
}

/* One row to renumber: its arrival-order id and the final one it gets
 * (chosen when it was stored, and already shown to readers). */
struct renumber { sqlite3_int64 fresh, random; };

static int by_random_id(const void *a, const void *b)
{
	sqlite3_int64 x = ((const struct renumber *)a)->random, y = ((const struct renumber *)b)->random;

	return (x > y) - (x < y);
}

/* The oldest rows (at most max) that still have an arrival-order id; n is
 * how many.  NULL and n 0 if none; NULL and n -1 on an error. */
static struct renumber *fresh_rows(sqlite3 *db, int max, int *n)
{
	sqlite3_stmt *s = NULL;
	struct renumber *rows = NULL;
	int r;

	*n = -1;
	if (sqlite3_prepare_v2(db, "SELECT id, final_id FROM responses WHERE id >= ?1 ORDER BY id LIMIT ?2",
			       -1, &s, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(s, 1, STORE_FRESH_ID);
	sqlite3_bind_int(s, 2, max);
	*n = 0;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		if (!rows && !(rows = calloc((size_t)max, sizeof *rows))) {
			*n = -1;
			break;
		}
		rows[*n].fresh = sqlite3_column_int64(s, 0);
		rows[*n].random = sqlite3_column_type(s, 1) == SQLITE_INTEGER ?
			sqlite3_column_int64(s, 1) : store_random_id();
		++*n;
	}
	if (r != SQLITE_DONE && r != SQLITE_ROW)
		*n = -1;
out:
	if (*n < 0) {
		tidy_log(db, "listing new responses");
		free(rows);
		rows = NULL;
	}
	sqlite3_finalize(s);
	return rows;
}

int store_renumber_fresh(sqlite3 *db, int max)
{
	sqlite3_stmt *s = NULL;
	int n, r = SQLITE_DONE;
	struct renumber *rows = fresh_rows(db, max, &n);

	if (n <= 0)
		return n;
	/* In the order of the new ids, so that where each row's pages land
	 * follows its new id, not its arrival. */
	qsort(rows, (size_t)n, sizeof *rows, by_random_id);
	if (tidy_exec(db, "BEGIN IMMEDIATE") ||
	    sqlite3_prepare_v2(db, "UPDATE responses SET id = ?1, final_id = NULL WHERE id = ?2", -1, &s, NULL) != SQLITE_OK)
		goto fail;
	for (int i = 0; i < n; i++) {
		r = SQLITE_CONSTRAINT_PRIMARYKEY;
		/* A final id already taken (once in 10^6 loads of a million
		 * rows): draw again, as store_commit.c does. */
		for (int tries = 0; r == SQLITE_CONSTRAINT_PRIMARYKEY && tries < 3; tries++) {
			sqlite3_bind_int64(s, 1, tries ? store_random_id() : rows[i].random);
			sqlite3_bind_int64(s, 2, rows[i].fresh);
			r = sqlite3_step(s);
			sqlite3_reset(s);
		}
		if (r != SQLITE_DONE)
			goto fail;
	}
	sqlite3_finalize(s);
	free(rows);
	if (tidy_exec(db, "COMMIT")) {
		tidy_exec(db, "ROLLBACK");
		return -1;
	}
	return n == max;
fail:
	tidy_log(db, "renumbering new responses");
	sqlite3_finalize(s);
	free(rows);
	if (!sqlite3_get_autocommit(db))
		tidy_exec(db, "ROLLBACK");
	return -1;
}

/* What one tidy is to do, and what it left. */
struct tidy_job {
	int renumber;   /* in: writes are paused, so renumber new responses */
	int vacuum;     /* in: rewrite the file too, if small enough */
	int gone;       /* out: the -wal and -shm files were deleted */
	int fresh_left; /* out: responses with arrival-order ids remain */
};

/*
 * Steps 1 to 3 above, with the leader role and st->lock held.  Whenever
 * writes have paused, new responses get their random ids first.
 */
static void tidy(struct store *st, struct tidy_job *job)
{
	sqlite3 *db = db_sqlite_handle(st->conn);

	store_commit_close(st);
	sqlite3_busy_timeout(db, STORE_TIDY_BUSY_MS);
	job->fresh_left = 0;
	/* A write that comes waits for one batch of renumbering at most. */
	if (job->renumber)
		do
			job->fresh_left = store_renumber_fresh(db, STORE_RENUMBER_MAX) != 0;
		while (job->fresh_left && !store_commit_waiting(st));
	if (job->vacuum && db_bytes(st) <= st->vacuum_max)
		tidy_exec(db, "VACUUM");
	job->gone = pragma_is(db, "PRAGMA journal_mode = DELETE", "delete");
	if (!job->gone) {
		/* Another process reads the database: empty the WAL at least. */
		sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	}
	if (!pragma_is(db, "PRAGMA journal_mode = WAL", "wal"))
		tidy_log(db, "going back to WAL mode");
	sqlite3_busy_timeout(db, STORE_BUSY_MS);
	if (store_commit_open(st, st->target))
		store_commit_close(st); /* the next batch tries again */
}

/* The tidier thread: looks at the WAL every tick until store_tidy_stop. */
static void *tidier(void *arg)
{
	struct store *st = arg;
	struct wal_look last = { 0 }, after = { 0 }; /* at the last tick; after the last tidy */
	long long dirty_since = 0, retry_at = 0, rewrite_at = 0;
	int stale = 0;  /* the last tidy could not delete the files */
	int owed = 0;   /* rows were placed since the file was last rewritten */
	int fresh = 1;  /* responses may have arrival-order ids */

	pthread_mutex_lock(&st->tidy_lock);
	while (!st->tidy_stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += STORE_TIDY_TICK_MS * 1000000L;
		until.tv_sec += until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&st->tidy_wake, &st->tidy_lock, &until);
		if (st->tidy_stop)
			break;
		pthread_mutex_unlock(&st->tidy_lock);

		/* Only writes since the last tidy call for another: while a
		 * reader elsewhere keeps the files, a WAL left as it was is not
		 * rewritten every tick, and the files are tried again at most
		 * every STORE_TIDY_MAX_MS. */
		struct wal_look w = look_at_wal(st);
		long long now = now_ms();
		int quiet = same_look(&w, &last);
		int written = w.dirty && !same_look(&w, &after);
		owed |= written;
		fresh |= written;
		if (w.dirty && !last.dirty)
			dirty_since = now;
		int overdue = written && now - dirty_since >= STORE_TIDY_MAX_MS;
		/* A rewrite holds writes up (0.5 s at 64 MiB), so it runs only
		 * when quiet, and for at most a tenth of the time: after one that
		 * took d, the next waits 9 d.  Until then, idle tidies only delete
		 * the files.  Renumbering runs in every quiet tidy: under steady
		 * load it would cost what arrival-order ids save. */
		struct tidy_job job = {
			.renumber = quiet && fresh,
			.vacuum = owed && quiet && now >= rewrite_at,
		};
		if ((written && quiet) || overdue || job.renumber || job.vacuum ||
		    (stale && now >= retry_at)) {
			store_commit_pause(st);
			pthread_mutex_lock(&st->lock);
			tidy(st, &job);
			pthread_mutex_unlock(&st->lock);
			store_commit_resume(st);
			stale = !job.gone;
			if (job.renumber)
				fresh = job.fresh_left;
			after = w = look_at_wal(st);
			dirty_since = now_ms();
			retry_at = dirty_since + STORE_TIDY_MAX_MS;
			if (job.vacuum) {
				owed = 0;
				rewrite_at = dirty_since + 9 * (dirty_since - now);
			}
		}
		last = w;
		pthread_mutex_lock(&st->tidy_lock);
	}
	pthread_mutex_unlock(&st->tidy_lock);
	return NULL;
}

enum sv_err store_tidy_start(struct store *st)
{
	if ((size_t)snprintf(st->wal_path, sizeof st->wal_path, "%s-wal", st->path) >= sizeof st->wal_path)
		return SV_ERR_TOOBIG;
	st->vacuum_max = STORE_TIDY_VACUUM_MAX;
	pthread_mutex_init(&st->tidy_lock, NULL);
	pthread_cond_init(&st->tidy_wake, NULL);
	st->tidy_stop = 0;
	if (pthread_create(&st->tidy_thread, NULL, tidier, st) != 0) {
		fprintf(stderr, "store: cannot start the tidier: %s\n", strerror(errno));
		pthread_cond_destroy(&st->tidy_wake);
		pthread_mutex_destroy(&st->tidy_lock);
		return SV_ERR_NOMEM;
	}
	st->tidy_running = 1;
	return SV_OK;
}

void store_tidy_stop(struct store *st)
{
	if (!st->tidy_running)
		return;
	pthread_mutex_lock(&st->tidy_lock);
	st->tidy_stop = 1;
	pthread_cond_signal(&st->tidy_wake);
	pthread_mutex_unlock(&st->tidy_lock);
	pthread_join(st->tidy_thread, NULL);
	pthread_cond_destroy(&st->tidy_wake);
	pthread_mutex_destroy(&st->tidy_lock);
	st->tidy_running = 0;
	/* A store closed straight after writes leaves none in arrival order. */
	store_commit_pause(st);
	pthread_mutex_lock(&st->lock);
	while (store_renumber_fresh(db_sqlite_handle(st->conn), STORE_RENUMBER_MAX) > 0)
		;
	pthread_mutex_unlock(&st->lock);
	store_commit_resume(st);
}
