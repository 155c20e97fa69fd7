/*
 * store_commit.c - the shared commit: every survey response and tally change
 * is written through here (see store.h).
 *
 * Why: a durable commit costs one fsync, 0.2 to 1.5 ms on our disk, so one
 * transaction per request caps the server at a few thousand writes a second
 * and collapses when the disk is busy.  Instead each request queues its
 * write and waits; the first waiter to find no commit running becomes the
 * leader, takes every queued write, runs them in one transaction on the
 * store's own write connection (synchronous=FULL), commits, and wakes each
 * waiter with its own result.  Writes that arrive meanwhile wait for the
 * next leader, so batches grow exactly as fast as the disk is slow.
 *
 * Each write runs inside its own SAVEPOINT: one that fails (a replayed token,
 * a tally below zero, a constraint) is rolled back alone and the others in
 * its batch still commit.  If BEGIN or COMMIT fails, every write of the batch
 * gets SV_ERR_DB: nothing is ever acknowledged that was not committed.  On
 * PostgreSQL two servers' batches can deadlock (one holds a counter row the
 * other wants and waits for the other's uncommitted form token); the batch
 * PostgreSQL picks is told so (40P01, DB_RETRY), is rolled back whole and
 * runs again, so that no write fails for it.
 *
 * The statements run through the statement layer (core/db.h), the same on
 * SQLite and PostgreSQL but for two of them (PRUNE_TOKENS and
 * MOVE_PRIORITY, written for each).  The transaction is DB_TX_COUNTERS:
 * BEGIN IMMEDIATE on SQLite; READ COMMITTED on PostgreSQL, where every
 * statement here is a single-row upsert, an insert against a key or an
 * increment, correct under row locks alone, so that servers sharing the
 * database wait for each other's counter rows instead of failing
 * (docs/postgresql.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store.h"
#include "store_int.h"

enum write_kind { WRITE_RESPONSE, WRITE_TALLY };

/* One queued write, living on its waiter's stack until done is set. */
struct store_write {
	enum write_kind kind;
	const struct store_response *r;   /* WRITE_RESPONSE */
	const struct store_tally *t;      /* WRITE_TALLY */
	long long count;                  /* OUT: the option's count after a tally */
	enum sv_err rc;                   /* OUT: this write's own result */
	struct store_write *next;         /* queue order */
};

/* The statements the commit uses, prepared once on the write connection;
 * where PostgreSQL's text differs, pg_sql has it.  An upsert names its
 * table in DO UPDATE SET (count = theme_counts.count + 1): PostgreSQL
 * requires it, SQLite allows it. */
static const char *const commit_sql[STORE_NSTMTS] = {
	[STMT_SAVEPOINT] = "SAVEPOINT item",
	[STMT_RELEASE] = "RELEASE item",
	[STMT_ROLLBACK_TO] = "ROLLBACK TO item",
	/* DO NOTHING and a count of changes, not a failed insert, tell a
	 * random id already taken: a failure would end the transaction on
	 * PostgreSQL. */
	[STMT_INSERT_RESPONSE] = "INSERT INTO responses (id, consultation, survey, day, key_id, sealed, final_id)"
		" VALUES (?6, ?1, ?2, ?3, ?4, ?5, ?7) ON CONFLICT (id) DO NOTHING",
	[STMT_BUMP_THEME] = "INSERT INTO theme_counts (consultation, theme, source, count)"
		" VALUES (?1, ?2, ?3, ?4)"
		" ON CONFLICT (consultation, theme, source) DO UPDATE SET count = theme_counts.count + ?4",
	[STMT_BUMP_PRIORITY] = "INSERT INTO priority_counts (consultation, priority, source, count)"
		" VALUES (?1, ?2, ?3, ?4)"
		" ON CONFLICT (consultation, priority, source) DO UPDATE SET count = priority_counts.count + ?4",
	[STMT_BUMP_SURVEY] = "INSERT INTO survey_counts (consultation, survey, responses) VALUES (?1, ?2, ?3)"
		" ON CONFLICT (consultation, survey) DO UPDATE SET responses = survey_counts.responses + ?3",
	[STMT_USE_TOKEN] = "INSERT INTO used_tokens (id, day) VALUES (?1, ?2)",
	[STMT_BUMP_BALLOT] = "INSERT INTO ballot_counts (survey, question, option, rank, count)"
		" VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (survey, question, option, rank)"
		" DO UPDATE SET count = ballot_counts.count + ?5",
	[STMT_PRUNE_TOKENS] = "DELETE FROM used_tokens WHERE day < date(?1, '-7 days')",  /* pg_sql */
	[STMT_OPTION] = "SELECT e.consultation, e.closed, o.count FROM events e"
		" JOIN event_options o ON o.event_id = e.id"
		" WHERE e.id = ?1 AND o.priority = ?2 AND o.theme = ?3",
	[STMT_SEEN] = "SELECT 1 FROM tally_changes WHERE client_id = ?1",
	[STMT_INSERT_TALLY] = "INSERT INTO tally_changes (event_id, priority, theme, delta, who, day, client_id)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	/* The new row, if any, starts at max(delta, 0): SQLite checks
	 * count >= 0 on the row it would insert before the upsert. */
	[STMT_MOVE_PRIORITY] = "INSERT INTO priority_counts (consultation, priority, source, count)"
		" VALUES (?1, ?2, ?3, max(?4, 0)) ON CONFLICT (consultation, priority, source)"
		" DO UPDATE SET count = priority_counts.count + ?4",
};

static const char *const pg_sql[STORE_NSTMTS] = {
	[STMT_PRUNE_TOKENS] = "DELETE FROM used_tokens WHERE day < to_char(CAST(?1 AS date) - 7, 'YYYY-MM-DD')",
	[STMT_MOVE_PRIORITY] = "INSERT INTO priority_counts (consultation, priority, source, count)"
		" VALUES (?1, ?2, ?3, GREATEST(?4, 0)) ON CONFLICT (consultation, priority, source)"
		" DO UPDATE SET count = priority_counts.count + ?4",
};

long long store_random_id(void)
{
	unsigned long long v = 0;

	while (v == 0) {
		randombytes_buf(&v, sizeof v);
		v &= (unsigned long long)STORE_FRESH_ID - 1;
	}
	return (long long)v;
}

/* The id a new response is stored under: the next in arrival order in a
 * served store, whose tidier gives it its final id once writes pause; the
 * final, random one otherwise. */
static long long new_response_id(struct store *st)
{
	return st->tidy_running ? st->next_fresh++ : store_random_id();
}

/* Where arrival-order ids go on from: after the highest still unrenumbered. */
static enum sv_err find_next_fresh(struct store *st)
{
	struct db_stmt *s = NULL;
	enum sv_err rc = SV_ERR_DB;

	if (db_prepare(st->wdb, "SELECT max(id) FROM responses", &s) == SV_OK && db_step(s) == DB_ROW) {
		long long top = db_column_int64(s, 0);
		st->next_fresh = top >= STORE_FRESH_ID ? top + 1 : STORE_FRESH_ID;
		rc = SV_OK;
	} else {
		db_log(st->wdb, "finding the last response id");
	}
	db_finalize(s);
	return rc;
}

enum sv_err store_commit_open(struct store *st, const char *target)
{
	int pg = db_is_postgres_url(target);

	if (db_open(target, 0, &st->wdb))
		return SV_ERR_DB;
	/* SQLite: FULL makes each commit durable before it is acknowledged;
	 * secure_delete zeroes a freed cell or page, never left readable in
	 * the file (store_tidy.c).  PostgreSQL: the layer's session has
	 * synchronous_commit = on. */
	if (!pg && (db_exec(st->wdb, st->bulk ? "PRAGMA synchronous = OFF" : "PRAGMA synchronous = FULL") ||
		    db_exec(st->wdb, "PRAGMA secure_delete = ON") ||
		    (st->bulk && db_exec(st->wdb, "PRAGMA journal_mode = MEMORY"))))
		return SV_ERR_DB;
	for (int i = 0; i < STORE_NSTMTS; i++)
		if (db_prepare_kept(st->wdb, pg && pg_sql[i] ? pg_sql[i] : commit_sql[i], &st->stmt[i]))
			return SV_ERR_DB;
	return find_next_fresh(st);
}

void store_commit_close(struct store *st)
{
	for (int i = 0; i < STORE_NSTMTS; i++) {
		db_finalize(st->stmt[i]);
		st->stmt[i] = NULL;
	}
	db_close(st->wdb);
	st->wdb = NULL;
}

/* A statement's failure: notes a lost race on PostgreSQL (DB_RETRY: the
 * batch runs again) and gives SV_ERR_DB.  SQLite's DB_RETRY is a lock held
 * past its timeout (one server, one file): failed as it always has been,
 * never waited out again. */
static enum sv_err failed(struct store *st, enum db_rc r)
{
	if (r == DB_RETRY && db_dialect(st->wdb) == DB_POSTGRES)
		st->batch_lost = 1;
	return SV_ERR_DB;
}

/* Steps one of the commit's statements that returns no rows. */
static enum sv_err run(struct store *st, int which, const char *what)
{
	enum db_rc r = db_run(st->stmt[which], what);
	return r == DB_DONE ? SV_OK : failed(st, r);
}

/* Steps an insert (bound) against a key that says "sent before":
 * SV_ERR_EXISTS when the key refused the row. */
static enum sv_err insert_once(struct store *st, struct db_stmt *s, const char *what)
{
	enum db_rc r = db_step(s);

	db_reset(s);
	db_clear_bindings(s);
	if (r == DB_UNIQUE)
		return SV_ERR_EXISTS;
	if (r != DB_DONE) {
		db_log(st->wdb, what);
		return failed(st, r);
	}
	return SV_OK;
}

static enum sv_err apply_response(struct store *st, const struct store_response *r)
{
	enum sv_err rc = SV_OK;

	if (r->once) {
		struct db_stmt *s = st->stmt[STMT_USE_TOKEN];
		db_bind_text(s, 1, r->once);
		db_bind_text(s, 2, r->day);
		/* SV_ERR_EXISTS: a replay, the first one was stored. */
		rc = insert_once(st, s, "recording a form token");
		if (rc)
			return rc;
	}
	struct db_stmt *s = st->stmt[STMT_INSERT_RESPONSE];
	db_bind_text(s, 1, r->consultation);
	db_bind_text(s, 2, r->survey);
	db_bind_text(s, 3, r->day);
	db_bind_text(s, 4, r->key_id);
	db_bind_blob(s, 5, r->sealed, r->sealed_len);
	/* Two random ids alike among a million rows: once in 10^6 such
	 * tables; draw again. */
	enum db_rc step = DB_DONE;
	long long stored = 0;
	for (int tries = 0; step == DB_DONE && !stored && tries < 3; tries++) {
		long long id = new_response_id(st);
		db_bind_int64(s, 6, id);
		if (id >= STORE_FRESH_ID)
			db_bind_int64(s, 7, store_random_id());
		else
			db_bind_null(s, 7);
		step = db_step(s);
		stored = step == DB_DONE ? db_changes(st->wdb) : 0;
		db_reset(s);
	}
	db_clear_bindings(s);
	if (step != DB_DONE || !stored) {
		db_log(st->wdb, "storing a response");
		rc = failed(st, step);
	}
	return rc;
}

/* The option's count now, or -1 if the event has no such option; copies
 * the event's consultation into consultation and sets *closed if the event
 * is closed. */
static long long option_count(struct store *st, const struct store_tally *t, char consultation[64],
			      int *closed /* OUT */)
{
	struct db_stmt *s = st->stmt[STMT_OPTION];
	long long count = -1;

	*closed = 0;
	db_bind_int64(s, 1, t->event_id);
	db_bind_int64(s, 2, t->priority);
	db_bind_text(s, 3, t->theme);
	if (db_step(s) == DB_ROW) {
		const char *c = db_column_text(s, 0);
		snprintf(consultation, 64, "%s", c ? c : "");
		*closed = db_column_int(s, 1) != 0;
		count = db_column_int64(s, 2);
	}
	db_reset(s);
	db_clear_bindings(s);
	return count;
}

static int seen_before(struct store *st, const char *client_id)
{
	struct db_stmt *s = st->stmt[STMT_SEEN];

	db_bind_text(s, 1, client_id);
	int seen = db_step(s) == DB_ROW;
	db_reset(s);
	db_clear_bindings(s);
	return seen;
}

static enum sv_err apply_tally(struct store *st, const struct store_tally *t, long long *count)
{
	char consultation[64];
	int closed;
	long long now = option_count(st, t, consultation, &closed);

	*count = now;
	if (now < 0)
		return SV_ERR_INVALID;
	/* A resent change is recognised before anything else is judged, even
	 * once the event is closed: a tablet whose answer was lost on the way
	 * learns that its change counted, not that it was refused. */
	if (seen_before(st, t->client_id))
		return SV_ERR_EXISTS;
	if (closed)
		return SV_ERR_INVALID;
	long long delta = t->set_total ? t->delta - now : t->delta;
	if (now + delta < 0)
		return SV_ERR_INVALID;
	/* A trigger moves the option's count (event_options.count) with it. */
	struct db_stmt *s = st->stmt[STMT_INSERT_TALLY];
	db_bind_int64(s, 1, t->event_id);
	db_bind_int64(s, 2, t->priority);
	db_bind_text(s, 3, t->theme);
	db_bind_int64(s, 4, delta);
	db_bind_text(s, 5, t->who);
	db_bind_text(s, 6, t->day);
	db_bind_text(s, 7, t->client_id);
	enum sv_err rc = insert_once(st, s, "recording a tally change");
	if (rc)
		return rc;
	/* The stall's priority subtotal moves with the tally.  The themes
	 * table's marketplace cells are summed from the tallies themselves,
	 * per stall (store_marketplace_counts). */
	s = st->stmt[STMT_MOVE_PRIORITY];
	db_bind_text(s, 1, consultation);
	db_bind_int64(s, 2, t->priority);
	db_bind_int64(s, 3, STORE_MARKETPLACE);
	db_bind_int64(s, 4, delta);
	rc = run(st, STMT_MOVE_PRIORITY, "counting tokens");
	if (!rc)
		*count = now + delta;
	return rc;
}

/* Forgets used tokens older than any token could be, once a day.  Tokens
 * are good for a few days, so a week is a safe margin. */
static void prune_tokens(struct store *st, const char *day)
{
	if (strcmp(st->pruned_on, day) == 0)
		return;
	db_bind_text(st->stmt[STMT_PRUNE_TOKENS], 1, day);
	if (run(st, STMT_PRUNE_TOKENS, "pruning used tokens") == SV_OK)
		snprintf(st->pruned_on, sizeof st->pruned_on, "%s", day);
}

/*
 * A batch's counters.  Each stored response adds one to its survey's count,
 * its themes' and priorities' and its ballot votes' counters.  These are
 * not written as each response is, but summed and written once at the end
 * of the batch, sorted: on PostgreSQL two servers' batches then hold
 * counter rows only for the last moments before their commits, and take
 * them in the same order, so they wait for each other at most briefly and
 * never deadlock (bumping them response by response, two servers' batches
 * took rows in opposite orders and deadlocked, each paying PostgreSQL's
 * 1-second deadlock check).  Fewer statements, too: one per counter, not
 * one per response and counter.
 */
enum bump_kind { BUMP_SURVEY, BUMP_THEME, BUMP_PRIORITY, BUMP_BALLOT };

struct bump {
	enum bump_kind kind;
	const char *a, *b, *c;   /* consultation, survey or theme; or survey, question, option */
	long long i;             /* a priority or a rank */
	long long n;             /* how many to add */
};

struct bumps { struct bump *v; size_t n, cap; };

static int add_bump(struct bumps *bs, enum bump_kind kind, const char *a, const char *b,
		    const char *c, long long i)
{
	if (bs->n == bs->cap) {
		size_t cap = bs->cap ? bs->cap * 2 : 256;
		struct bump *v = realloc(bs->v, cap * sizeof *v);
		if (!v)
			return -1;
		bs->v = v;
		bs->cap = cap;
	}
	bs->v[bs->n++] = (struct bump){ kind, a, b, c, i, 1 };
	return 0;
}

/* The counters a stored response adds to. */
static int add_response_bumps(struct bumps *bs, const struct store_response *r)
{
	int bad = add_bump(bs, BUMP_SURVEY, r->consultation, r->survey, NULL, 0);
	for (size_t i = 0; !bad && i < r->nthemes; i++)
		bad = add_bump(bs, BUMP_THEME, r->consultation, r->themes[i], NULL, 0);
	for (size_t i = 0; !bad && i < r->npriorities; i++)
		bad = add_bump(bs, BUMP_PRIORITY, r->consultation, NULL, NULL, r->priorities[i]);
	for (size_t i = 0; !bad && i < r->nvotes; i++)
		bad = add_bump(bs, BUMP_BALLOT, r->survey, r->votes[i].question, r->votes[i].option,
			       r->votes[i].rank);
	return bad;
}

static int text_cmp(const char *x, const char *y)
{
	return strcmp(x ? x : "", y ? y : "");
}

/* One order for every server: by counter, then by its key. */
static int bump_cmp(const void *x, const void *y)
{
	const struct bump *p = x, *q = y;
	int d = (int)p->kind - (int)q->kind;
	if (!d) d = text_cmp(p->a, q->a);
	if (!d) d = text_cmp(p->b, q->b);
	if (!d) d = text_cmp(p->c, q->c);
	if (!d) d = (p->i > q->i) - (p->i < q->i);
	return d;
}

/* Writes the batch's counters: sorted, each counter once with its sum. */
static enum sv_err write_bumps(struct store *st, struct bumps *bs)
{
	enum sv_err rc = SV_OK;

	if (!bs->n)
		return SV_OK;   /* tally changes only: qsort takes no NULL array */
	qsort(bs->v, bs->n, sizeof *bs->v, bump_cmp);
	for (size_t i = 0; !rc && i < bs->n; i++) {
		struct bump b = bs->v[i];
		while (i + 1 < bs->n && bump_cmp(&b, &bs->v[i + 1]) == 0)
			b.n += bs->v[++i].n;
		struct db_stmt *s;
		switch (b.kind) {
		case BUMP_SURVEY:
			s = st->stmt[STMT_BUMP_SURVEY];
			db_bind_text(s, 1, b.a);
			db_bind_text(s, 2, b.b);
			db_bind_int64(s, 3, b.n);
			rc = run(st, STMT_BUMP_SURVEY, "counting responses");
			break;
		case BUMP_THEME:
		case BUMP_PRIORITY: {
			int which = b.kind == BUMP_THEME ? STMT_BUMP_THEME : STMT_BUMP_PRIORITY;
			s = st->stmt[which];
			db_bind_text(s, 1, b.a);
			if (b.kind == BUMP_THEME)
				db_bind_text(s, 2, b.b);
			else
				db_bind_int64(s, 2, b.i);
			db_bind_int64(s, 3, STORE_SURVEY);
			db_bind_int64(s, 4, b.n);
			rc = run(st, which, "counting");
			break;
		}
		case BUMP_BALLOT:
			s = st->stmt[STMT_BUMP_BALLOT];
			db_bind_text(s, 1, b.a);
			db_bind_text(s, 2, b.b);
			db_bind_text(s, 3, b.c);
			db_bind_int64(s, 4, b.i);
			db_bind_int64(s, 5, b.n);
			rc = run(st, STMT_BUMP_BALLOT, "counting ballot votes");
			break;
		}
	}
	return rc;
}

/* Runs one batch in one transaction; sets every write's rc.  Returns 1 if
 * it lost a race on PostgreSQL (a deadlock: rolled back, to run again). */
static int try_batch(struct store *st, struct store_write *batch)
{
	const char *day = NULL;
	/* A tidy that could not reopen the write connection left it closed. */
	if (!st->wdb && store_commit_open(st, st->target))
		store_commit_close(st);
	enum sv_err rc = st->wdb && db_begin(st->wdb, DB_TX_COUNTERS) == DB_DONE ? SV_OK : SV_ERR_DB;

	struct bumps bumps = { NULL, 0, 0 };

	st->batch_lost = 0;
	for (struct store_write *w = batch; !rc && w; w = w->next) {
		if (run(st, STMT_SAVEPOINT, "savepoint")) {
			rc = SV_ERR_DB;
			break;
		}
		if (w->kind == WRITE_RESPONSE) {
			w->rc = apply_response(st, w->r);
			day = w->r->day;
		} else {
			w->rc = apply_tally(st, w->t, &w->count);
		}
		/* A lost race undoes the whole batch, to run again. */
		if (st->batch_lost)
			rc = SV_ERR_DB;
		/* If undoing one write fails, none of the batch may commit. */
		else if (w->rc && run(st, STMT_ROLLBACK_TO, "rolling back one write"))
			rc = SV_ERR_DB;
		else if (run(st, STMT_RELEASE, "releasing a savepoint"))
			rc = SV_ERR_DB;
		else if (!w->rc && w->kind == WRITE_RESPONSE && add_response_bumps(&bumps, w->r))
			rc = SV_ERR_NOMEM;
	}
	if (!rc)
		rc = write_bumps(st, &bumps);
	free(bumps.v);
	if (!rc && day)
		prune_tokens(st, day);
	if (!rc) {
		enum db_rc r = db_commit(st->wdb);
		if (r != DB_DONE)
			rc = failed(st, r);
	}
	if (rc) {
		if (st->wdb)
			db_rollback(st->wdb);
		for (struct store_write *w = batch; w; w = w->next)
			w->rc = SV_ERR_DB;
	}
	return rc && st->batch_lost;
}

/* try_batch, run again while it loses races, at most DB_MAX_RETRIES times. */
static void run_batch(struct store *st, struct store_write *batch)
{
	for (int attempt = 0; try_batch(st, batch); attempt++)
		if (attempt == DB_MAX_RETRIES) {
			fprintf(stderr, "store: a batch lost %d races in a row; giving up\n",
				DB_MAX_RETRIES + 1);
			break;
		}
}

/*
 * Queues writes (a linked run, first..last) and returns when their batch has
 * committed or failed, leading it if no one else is leading.  Batches are
 * numbered: writes queued while batch n runs go in batch n + 1, and their
 * waiters sleep on the condition of that number's parity, so a finished
 * batch wakes its own waiters with one broadcast (outside the lock) and
 * signals one waiter of the next batch to lead it.
 */
static void commit_wait(struct store *st, struct store_write *first, struct store_write *last)
{
	pthread_mutex_lock(&st->qlock);
	*st->queue_tail = first;
	st->queue_tail = &last->next;
	unsigned long long mine = st->started + 1;
	while (st->finished < mine) {
		if (st->leading || st->pause_wanted) {
			pthread_cond_wait(&st->qdone[mine & 1], &st->qlock);
			continue;
		}
		struct store_write *batch = st->queue;
		st->queue = NULL;
		st->queue_tail = &st->queue;
		st->leading = 1;
		st->started = mine;
		pthread_mutex_unlock(&st->qlock);
		run_batch(st, batch);
		pthread_mutex_lock(&st->qlock);
		/* Waiters read their results after taking qlock: they see them. */
		st->finished = mine;
		st->leading = 0;
		/* The tidier, if it waits, goes before the next batch. */
		int next = st->queue != NULL && !st->pause_wanted;
		if (st->pause_wanted)
			pthread_cond_signal(&st->qfree);
		pthread_mutex_unlock(&st->qlock);
		pthread_cond_broadcast(&st->qdone[mine & 1]);
		if (next)
			pthread_cond_signal(&st->qdone[(mine + 1) & 1]);
		return;
	}
	pthread_mutex_unlock(&st->qlock);
}

void store_commit_pause(struct store *st)
{
	pthread_mutex_lock(&st->qlock);
	st->pause_wanted = 1;
	while (st->leading)
		pthread_cond_wait(&st->qfree, &st->qlock);
	st->pause_wanted = 0;
	st->leading = 1;
	pthread_mutex_unlock(&st->qlock);
}

void store_commit_resume(struct store *st)
{
	pthread_mutex_lock(&st->qlock);
	st->leading = 0;
	/* Writes queued meanwhile are batch started + 1: wake one to lead it. */
	int next = st->queue != NULL;
	unsigned long long batch = st->started + 1;
	pthread_mutex_unlock(&st->qlock);
	if (next)
		pthread_cond_signal(&st->qdone[batch & 1]);
}

int store_commit_waiting(struct store *st)
{
	pthread_mutex_lock(&st->qlock);
	int waiting = st->queue != NULL;
	pthread_mutex_unlock(&st->qlock);
	return waiting;
}

enum sv_err store_response_insert(struct store *st, const struct store_response *r)
{
	struct store_write w = { .kind = WRITE_RESPONSE, .r = r };

	commit_wait(st, &w, &w);
	return w.rc;
}

enum sv_err store_response_insert_many(struct store *st, const struct store_response *r,
				       size_t n, enum sv_err *results)
{
	struct store_write *w = calloc(n ? n : 1, sizeof *w);

	if (!w)
		return SV_ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		w[i].kind = WRITE_RESPONSE;
		w[i].r = &r[i];
		w[i].next = i + 1 < n ? &w[i + 1] : NULL;
	}
	if (n)
		commit_wait(st, &w[0], &w[n - 1]);
	enum sv_err rc = SV_OK;
	for (size_t i = 0; i < n; i++) {
		if (results)
			results[i] = w[i].rc;
		if (w[i].rc == SV_ERR_DB)
			rc = SV_ERR_DB;
	}
	free(w);
	return rc;
}

enum sv_err store_tally_change(struct store *st, const struct store_tally *t, long long *count)
{
	struct store_write w = { .kind = WRITE_TALLY, .t = t };

	commit_wait(st, &w, &w);
	*count = w.count;
	return w.rc;
}
