/*
 * store_int.h - what the files of the store module share (store.c opens,
 * migrates and reads; store_staff.c keeps staff accounts, sessions, the
 * audit log and marketplace events; store_commit.c writes responses and
 * tally changes through the shared commit; store_tidy.c leaves no history
 * in the data folder).  Not for other modules:
 * store.h is the store's whole public surface.
 */
#ifndef SV_STORE_INT_H
#define SV_STORE_INT_H

#include <pthread.h>


#include "db.h"
#include "store.h"

#define STORE_BUSY_MS 5000   /* how long a write waits for SQLite's lock */

/* The tidier (store_tidy.c): how often it looks at the WAL; the longest the
 * WAL may hold frames under steady load; how long a tidy waits for another
 * process's lock; the largest database it rewrites (VACUUM) when idle. */
#define STORE_TIDY_TICK_MS 250
#define STORE_TIDY_MAX_MS 2000
#define STORE_TIDY_BUSY_MS 20
#define STORE_TIDY_VACUUM_MAX (64LL * 1024 * 1024)

/* Response ids.  A served store gives each response the next id from
 * STORE_FRESH_ID up, in arrival order, because a row appended at the end of
 * the table costs a third of one placed at random; the tidier renumbers
 * those rows to random ids below STORE_FRESH_ID as soon as writes pause,
 * STORE_RENUMBER_MAX rows per transaction until a write comes (store_tidy.c). */
#define STORE_FRESH_ID (1LL << 62)
#define STORE_RENUMBER_MAX 2048

/* Rows a long read (every response of a consultation) takes at a time:
 * about 5 MB of sealed answers (store_response_each). */
#define STORE_PAGE_ROWS 1024

/* The schema on PostgreSQL (store_schema_pg.c): SQLite's at version
 * STORE_PG_BASELINE, in PostgreSQL's dialect. */
#define STORE_PG_BASELINE 27
extern const char *const store_pg_baseline;

/* A random response id, 1 to STORE_FRESH_ID - 1. */
long long store_random_id(void);

/* Gives up to max rows with a fresh id a random one, in one transaction on
 * db, in the order of the new ids.  Returns 1 if fresh rows remain, 0 if
 * none do, -1 on an error (logged; nothing changed). */
int store_renumber_fresh(struct sqlite3 *db, int max);

/* The shared commit's statements (store_commit.c), kept on wdb. */
enum store_stmt {
	STMT_SAVEPOINT, STMT_RELEASE, STMT_ROLLBACK_TO,
	STMT_INSERT_RESPONSE, STMT_BUMP_THEME, STMT_BUMP_PRIORITY, STMT_BUMP_SURVEY,
	STMT_USE_TOKEN, STMT_PRUNE_TOKENS,
	STMT_OPTION, STMT_SEEN, STMT_INSERT_TALLY, STMT_MOVE_PRIORITY,
	STMT_BUMP_BALLOT,
	STORE_NSTMTS
};

struct store_write;

struct store {
	/* Reads and staff writes, under lock: SQLite's file or PostgreSQL,
	 * through the statement layer (core/db.h, docs/postgresql.md). */
	struct db *conn;
	pthread_mutex_t lock;   /* one user of conn at a time */
	/* The shared commit (store_commit.c): its own connection, so readers
	 * never wait behind its fsync, and the queue of waiting writes. */
	struct db *wdb;         /* used only by the batch leader */
	struct db_stmt *stmt[STORE_NSTMTS];
	pthread_mutex_t qlock;  /* guards the queue and the batch numbers */
	pthread_cond_t qdone[2];/* batch n's waiters sleep on qdone[n & 1] */
	pthread_cond_t qfree;   /* the tidier waits here for the leader role */
	int pause_wanted;       /* the tidier wants the leader role next */
	struct store_write *queue, **queue_tail;
	unsigned long long started, finished; /* batches begun, batches done */
	int leading;            /* a thread is running batch started now */
	char pruned_on[11];     /* the day used tokens were last pruned (leader only) */
	int batch_lost;         /* a statement of the running batch lost a race
	                         * (DB_RETRY): run it again (leader only) */
	int bulk;               /* store_open_bulk: no journal, no fsync */
	struct db_stmt *session_get; /* on conn, kept (store_kept): read on every */
	struct db_stmt *event_get;   /* staff request and every tally tap */
	char path[4096];        /* DIR/youthvoice.db ("" on PostgreSQL) */
	char *url;              /* the postgresql:// URL (malloc'd), or NULL */
	const char *target;     /* what the write connection opens: path or url */
	/* The tidier (store_tidy.c), for stores opened with store_open. */
	char wal_path[4100];    /* DIR/youthvoice.db-wal */
	pthread_t tidy_thread;
	pthread_mutex_t tidy_lock;  /* guards tidy_stop */
	pthread_cond_t tidy_wake;   /* signalled to stop it */
	int tidy_stop, tidy_running;
	long long vacuum_max;       /* STORE_TIDY_VACUUM_MAX (tests lower it) */
	long long next_fresh;       /* the next arrival-order id (leader only) */
};

/* Opens the write connection on target (st->path or st->url) and prepares
 * its statements; the caller has created and migrated the database (and
 * set st->bulk). */
enum sv_err store_commit_open(struct store *st, const char *target);
void store_commit_close(struct store *st);

/* Takes the shared commit's leader role without a batch: on return no batch
 * runs, and none starts until store_commit_resume; writes queue meanwhile. */
void store_commit_pause(struct store *st);
void store_commit_resume(struct store *st);

/* 1 if writes are queued (while paused: waiting for store_commit_resume). */
int store_commit_waiting(struct store *st);

/* Starts and stops the tidier thread (store_tidy.c) of a store opened for
 * serving, after its connections are open and st->path is set. */
enum sv_err store_tidy_start(struct store *st);
void store_tidy_stop(struct store *st);

/* Today's day in UTC, YYYY-MM-DD: what the store keeps, never a time. */
void store_today(char out[11]);


/* A statement on db used on hot paths: prepared on first use into *slot and
 * kept until store_close.  Under st->lock; reset it after use, never
 * finalize it. */
enum sv_err store_kept(struct store *st, struct db_stmt **slot, const char *sql);

/* Runs a read-only query with one optional text parameter (?1) on
 * st->conn, handing each row to on_row, under the store's lock. */
enum sv_err store_rows(struct store *st, const char *sql, const char *param,
		       void (*on_row)(struct db_stmt *row, void *ctx), void *ctx,
		       const char *what);

/* Steps s (bound) for the one number its first row gives (a count, or a
 * new row's id from RETURNING) into *out; a failure or no row is logged
 * as WHAT and gives SV_ERR_DB. */
enum sv_err store_number(struct store *st, struct db_stmt *s, long long *out /* OUT */,
			 const char *what);

/* Column col of row as text, "" for NULL (never NULL). */
const char *store_str(struct db_stmt *row, int col);

/* Copies column col of row into out (cap bytes, cut to fit; "" for NULL). */
void store_copy(char *out, size_t cap, struct db_stmt *row, int col);

/* An account with its state (store_staff.c, store_accounts.c): select
 * STORE_USER_COLUMNS from STORE_USER_FROM, read with store_read_user. */
#define STORE_USER_COLUMNS "u.id, u.name, u.role, u.password, COALESCE(x.disabled, 0)," \
	" COALESCE(x.must_change, 0), x.totp_secret IS NOT NULL"
#define STORE_USER_FROM "users u LEFT JOIN user_state x ON x.user_id = u.id"
struct store_user;
void store_read_user(struct db_stmt *s, struct store_user *u);


/* Statements about one row by id, on db under st->lock (store_accounts.c).
 * store_id_run binds ?1 = id and, when sql has it, ?2 = i2; *changed (may
 * be NULL) receives how many rows changed.  store_id_number reads the one
 * number sql selects with ?1 = id. */
enum sv_err store_id_run(struct store *st, const char *sql, long long id, long long i2,
			 long long *changed, const char *what);
enum sv_err store_id_number(struct store *st, const char *sql, long long id, long long *out /* OUT */);

#endif
