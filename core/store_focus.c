/*
 * store_focus.c - focus groups: the group in aggregate, its key messages and
 * their theme counts, and its sealed notes and quotes (see store.h).
 *
 * On the statement layer (core/db.h), so on SQLite and PostgreSQL alike.
 * A locked group never changes again.  A change to one (a key message added
 * or removed, a note sealed) is one DB_TX_WRITE transaction that first
 * claims the group with an UPDATE that changes nothing but holds the row:
 * on SQLite BEGIN IMMEDIATE already keeps every other writer out; on
 * PostgreSQL (SERIALIZABLE) a lock committed after the transaction began
 * makes the claim fail with a serialization error, and db_transaction runs
 * it again to find the group locked, while a lock that comes later waits
 * for the change's commit.  A plain SELECT would not do there: a lock
 * committed between it and the commit would go unseen, and the change
 * would land after the lock.
 */
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "store.h"
#include "store_int.h"

static void bind_optional(struct db_stmt *s, int col, int v)
{
	if (v < 0)
		db_bind_null(s, col);
	else
		db_bind_int64(s, col, v);
}

/* Steps s, whose rows are not wanted, to its end: DB_DONE or what failed
 * (logged as WHAT, but for a lost race, which db_transaction runs again). */
static enum db_rc finish(struct db *db, struct db_stmt *s, enum db_rc r, const char *what)
{
	while (r == DB_ROW)
		r = db_step(s);
	db_log_failure(db, r, what);
	return r;
}

/* Claims the group for a change, inside a DB_TX_WRITE transaction (see the
 * top of the file): *open is 1 and consultation filled if it exists and is
 * not locked, else 0. */
static enum db_rc claim_group(struct db *db, long long id, char consultation[64], int *open)
{
	struct db_stmt *s = NULL;
	enum db_rc r;

	*open = 0;
	if (db_prepare(db, "UPDATE focus_groups SET locked = 0 WHERE id = ?1 AND locked = 0"
		       " RETURNING consultation", &s))
		return DB_ERROR;
	db_bind_int64(s, 1, id);
	r = db_step(s);
	if (r == DB_ROW) {
		store_copy(consultation, 64, s, 0);
		*open = 1;
	}
	r = finish(db, s, r, "claiming a focus group");
	db_finalize(s);
	return r;
}

/* A new group (its id from RETURNING), or an open one's details changed.
 * The change is one UPDATE that checks the lock itself, so it needs no
 * transaction: after a lock committed first it finds nothing to change,
 * and on PostgreSQL the row lock makes the two take turns. */
static enum sv_err save_group(struct store *st, const struct store_focus *g, long long *id)
{
	struct db_stmt *s = NULL;
	enum sv_err rc = db_prepare(st->conn, g->id ?
		"UPDATE focus_groups SET day = ?2, district = ?3, participants = ?4, age_from = ?5,"
		" age_to = ?6, girls = ?7, boys = ?8, other_gender = ?9 WHERE id = ?1 AND locked = 0" :
		"INSERT INTO focus_groups (consultation, day, district, participants, age_from, age_to,"
		" girls, boys, other_gender) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id", &s);
	if (rc)
		return rc;
	if (g->id)
		db_bind_int64(s, 1, g->id);
	else
		db_bind_text(s, 1, g->consultation);
	db_bind_text(s, 2, g->day);
	db_bind_text(s, 3, g->district);
	db_bind_int64(s, 4, g->participants);
	db_bind_int64(s, 5, g->age_from);
	db_bind_int64(s, 6, g->age_to);
	bind_optional(s, 7, g->girls);
	bind_optional(s, 8, g->boys);
	bind_optional(s, 9, g->other_gender);
	enum db_rc r = db_step(s);
	*id = g->id;
	if (r == DB_ROW) {
		*id = db_column_int64(s, 0);
		r = db_step(s);
	}
	if (r == DB_DONE)
		rc = g->id && db_changes(st->conn) == 0 ? SV_ERR_INVALID : SV_OK;  /* locked, or none */
	else if (r == DB_CONSTRAINT || r == DB_UNIQUE)
		rc = SV_ERR_INVALID; /* out of range: the form should have said so */
	else {
		db_log(st->conn, "saving a focus group");
		rc = SV_ERR_DB;
	}
	db_finalize(s);
	return rc;
}

enum sv_err store_focus_put(struct store *st, const struct store_focus *g, long long *id)
{
	long long saved = 0;

	pthread_mutex_lock(&st->lock);
	enum sv_err rc = save_group(st, g, &saved);
	pthread_mutex_unlock(&st->lock);
	if (!rc)
		*id = saved;
	return rc;
}

static int optional_int(struct db_stmt *s, int col)
{
	return db_column_is_null(s, col) ? -1 : db_column_int(s, col);
}

#define FOCUS_COLUMNS "SELECT g.id, g.consultation, g.day, g.district, g.participants," \
	" g.age_from, g.age_to, g.girls, g.boys, g.other_gender, g.locked," \
	" (SELECT count(*) FROM focus_sealed f WHERE f.group_id = g.id AND f.kind = 'note')," \
	" (SELECT count(*) FROM focus_sealed f WHERE f.group_id = g.id AND f.kind = 'quote')" \
	" FROM focus_groups g"

static void read_group(struct db_stmt *s, struct store_focus *g)
{
	memset(g, 0, sizeof *g);
	g->id = db_column_int64(s, 0);
	store_copy(g->consultation, sizeof g->consultation, s, 1);
	store_copy(g->day, sizeof g->day, s, 2);
	store_copy(g->district, sizeof g->district, s, 3);
	g->participants = db_column_int(s, 4);
	g->age_from = db_column_int(s, 5);
	g->age_to = db_column_int(s, 6);
	g->girls = optional_int(s, 7);
	g->boys = optional_int(s, 8);
	g->other_gender = optional_int(s, 9);
	g->locked = db_column_int(s, 10);
	g->notes = db_column_int(s, 11);
	g->quotes = db_column_int(s, 12);
}

enum sv_err store_focus_get(struct store *st, long long id, struct store_focus *out)
{
	struct db_stmt *s = NULL;
	enum sv_err rc;

	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&st->lock);
	rc = db_prepare(st->conn, FOCUS_COLUMNS " WHERE g.id = ?1", &s);
	if (!rc) {
		db_bind_int64(s, 1, id);
		enum db_rc r = db_step(s);
		if (r == DB_ROW)
			read_group(s, out);
		rc = r == DB_ROW ? SV_OK : r == DB_DONE ? SV_ERR_NOTFOUND : SV_ERR_DB;
	}
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

struct each_group { void (*fn)(void *arg, const struct store_focus *g); void *arg; };

static void on_group_row(struct db_stmt *row, void *ctx)
{
	struct each_group *e = ctx;
	struct store_focus g;
	read_group(row, &g);
	e->fn(e->arg, &g);
}

enum sv_err store_focus_each(struct store *st, void (*fn)(void *arg, const struct store_focus *g),
			     void *arg)
{
	struct each_group e = { fn, arg };
	return store_rows(st, FOCUS_COLUMNS " ORDER BY g.day DESC, g.id DESC", NULL,
			  on_group_row, &e, "listing focus groups");
}

enum sv_err store_focus_lock(struct store *st, long long id)
{
	long long changed = 0;

	pthread_mutex_lock(&st->lock);
	/* One statement: on PostgreSQL it waits for a change holding the row
	 * (claim_group) to commit, so that change lands before the lock. */
	enum sv_err rc = store_id_run(st, "UPDATE focus_groups SET locked = 1 WHERE id = ?1", id, 0,
				      &changed, "locking a focus group");
	if (!rc && changed == 0)
		rc = SV_ERR_NOTFOUND;
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* Moves one counter of the consultation's focus_group column by delta.  A
 * new row starts at max(delta, 0): SQLite checks count >= 0 on the row it
 * would insert before the upsert.  SQLite's scalar max() is PostgreSQL's
 * GREATEST(); PostgreSQL wants the table named in DO UPDATE SET. */
#define MOVE_SQL(table, key, larger) "INSERT INTO " table " (consultation, " key ", source, count)" \
	" VALUES (?1, ?2, ?3, " larger "(?4, 0)) ON CONFLICT (consultation, " key ", source)" \
	" DO UPDATE SET count = " table ".count + ?4"

static enum db_rc move_counter(struct db *db, int is_theme, const char *consultation,
			       const char *theme, int priority, int delta)
{
	static const char *const sql[2][2] = {  /* [is_theme][on PostgreSQL] */
		{ MOVE_SQL("priority_counts", "priority", "max"),
		  MOVE_SQL("priority_counts", "priority", "GREATEST") },
		{ MOVE_SQL("theme_counts", "theme", "max"), MOVE_SQL("theme_counts", "theme", "GREATEST") },
	};
	struct db_stmt *s = NULL;

	if (db_prepare(db, sql[is_theme != 0][db_dialect(db) != DB_SQLITE], &s))
		return DB_ERROR;
	db_bind_text(s, 1, consultation);
	if (is_theme)
		db_bind_text(s, 2, theme);
	else
		db_bind_int64(s, 2, priority);
	db_bind_int64(s, 3, STORE_FOCUS_GROUP);
	db_bind_int64(s, 4, delta);
	enum db_rc r = finish(db, s, db_step(s), "counting key messages");
	db_finalize(s);
	return r;
}

/* A change to an open group, as one DB_TX_WRITE transaction: claim the
 * group (claim_group), then apply.  db_transaction may run it again, so
 * every output is set afresh. */
struct change {
	enum db_rc (*apply)(struct db *db, struct change *c);
	long long group_id, message_id;
	const char *text, *kind, *key_id;
	const unsigned char *sealed;
	size_t len;
	char consultation[64], theme_list[4096], prio_list[256];
	enum sv_err rc;      /* OUT: why it gave up where it knows (else SV_OK) */
};

/* Moves every counter named in a comma list ("a,b" or "2,5") by delta. */
static enum db_rc move_list(struct db *db, struct change *c, int is_theme, const char *list,
			    int delta)
{
	enum db_rc r = DB_DONE;
	const char *p = list;

	while (r == DB_DONE && *p) {
		size_t n = strcspn(p, ",");
		char item[64];
		long long number = 0;
		if (n > 0 && n < sizeof item) {
			memcpy(item, p, n);
			item[n] = '\0';
			if (!is_theme && parse_int(item, n, 1, 1000, &number)) {
				c->rc = SV_ERR_INVALID;
				return DB_ERROR;
			}
			r = move_counter(db, is_theme, c->consultation, item, (int)number, delta);
		}
		p += n + (p[n] == ',');
	}
	return r;
}

/* Both lists of c moved by delta. */
static enum db_rc move_lists(struct db *db, struct change *c, int delta)
{
	enum db_rc r = move_list(db, c, 1, c->theme_list, delta);
	return r == DB_DONE ? move_list(db, c, 0, c->prio_list, delta) : r;
}

/* The transaction's body.  A lost race (DB_RETRY) goes back to
 * db_transaction to run it again; anything else rolls back with c->rc
 * saying why: SV_ERR_INVALID for a group locked or not there, else what
 * apply set, else SV_ERR_DB (a refused counter or row, logged, as on
 * SQLite before). */
static enum db_rc change_body(struct db *db, void *ctx)
{
	struct change *c = ctx;
	int open = 0;
	enum db_rc r = claim_group(db, c->group_id, c->consultation, &open);

	c->rc = SV_OK;
	if (r == DB_DONE && !open)
		c->rc = SV_ERR_INVALID;
	else if (r == DB_DONE)
		r = c->apply(db, c);
	if (r == DB_DONE && !c->rc)
		return DB_DONE;
	if (!c->rc)
		c->rc = SV_ERR_DB;
	return r == DB_RETRY ? DB_RETRY : DB_ERROR;
}

static enum sv_err run_change(struct store *st, struct change *c)
{
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = db_transaction(st->conn, DB_TX_WRITE, change_body, c);
	pthread_mutex_unlock(&st->lock);
	return rc ? (c->rc ? c->rc : SV_ERR_DB) : SV_OK;
}

/* Inserts one row of c's group: ?1 the group, ?2 and ?3 texts, ?4 a text
 * or, where text4 is NULL, c's sealed bytes. */
static enum db_rc insert_row(struct db *db, const struct change *c, const char *sql, const char *a,
			     const char *b, const char *text4, const char *what)
{
	struct db_stmt *s = NULL;

	if (db_prepare(db, sql, &s))
		return DB_ERROR;
	db_bind_int64(s, 1, c->group_id);
	db_bind_text(s, 2, a);
	db_bind_text(s, 3, b);
	if (text4)
		db_bind_text(s, 4, text4);
	else
		db_bind_blob(s, 4, c->sealed, c->len);
	enum db_rc r = finish(db, s, db_step(s), what);
	db_finalize(s);
	return r;
}

/* Joins strings or numbers into "a,b,c" (capped; the caller checks lengths). */
static void join(char *out, size_t cap, const char *const *items, const int *numbers, size_t n)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n && used < cap; i++) {
		int w = items ? snprintf(out + used, cap - used, "%s%s", i ? "," : "", items[i]) :
			snprintf(out + used, cap - used, "%s%d", i ? "," : "", numbers[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

static enum db_rc add_message(struct db *db, struct change *c)
{
	enum db_rc r = insert_row(db, c, "INSERT INTO focus_messages (group_id, text, themes, priorities)"
				  " VALUES (?1, ?2, ?3, ?4)", c->text, c->theme_list, c->prio_list,
				  "adding a key message");
	return r == DB_DONE ? move_lists(db, c, 1) : r;
}

enum sv_err store_focus_message_add(struct store *st, long long group_id, const char *text,
				    const char *const *themes, size_t nthemes,
				    const int *priorities, size_t npriorities)
{
	struct change c = { .apply = add_message, .group_id = group_id, .text = text };

	join(c.theme_list, sizeof c.theme_list, themes, NULL, nthemes);
	join(c.prio_list, sizeof c.prio_list, NULL, priorities, npriorities);
	return run_change(st, &c);
}

static enum db_rc delete_message(struct db *db, struct change *c)
{
	struct db_stmt *s = NULL;
	enum db_rc r;

	c->theme_list[0] = c->prio_list[0] = '\0';
	if (db_prepare(db, "SELECT themes, priorities FROM focus_messages WHERE id = ?1 AND group_id = ?2", &s))
		return DB_ERROR;
	db_bind_int64(s, 1, c->message_id);
	db_bind_int64(s, 2, c->group_id);
	r = db_step(s);
	if (r == DB_ROW) {
		store_copy(c->theme_list, sizeof c->theme_list, s, 0);
		store_copy(c->prio_list, sizeof c->prio_list, s, 1);
	} else if (r == DB_DONE) {
		c->rc = SV_ERR_NOTFOUND;
	}
	r = finish(db, s, r, "reading a key message");
	db_finalize(s);
	if (r != DB_DONE || c->rc)
		return r;
	s = NULL;
	if (db_prepare(db, "DELETE FROM focus_messages WHERE id = ?1", &s))
		return DB_ERROR;
	db_bind_int64(s, 1, c->message_id);
	r = finish(db, s, db_step(s), "removing a key message");
	db_finalize(s);
	return r == DB_DONE ? move_lists(db, c, -1) : r;
}

enum sv_err store_focus_message_delete(struct store *st, long long group_id, long long message_id)
{
	struct change c = { .apply = delete_message, .group_id = group_id, .message_id = message_id };

	return run_change(st, &c);
}

struct each_message {
	void (*fn)(void *arg, long long id, const char *text, const char *themes_csv);
	void *arg;
};

static void on_message_row(struct db_stmt *row, void *ctx)
{
	struct each_message *e = ctx;
	e->fn(e->arg, db_column_int64(row, 0), store_str(row, 1), store_str(row, 2));
}

enum sv_err store_focus_messages(struct store *st, long long group_id,
				 void (*fn)(void *arg, long long id, const char *text,
					    const char *themes_csv), void *arg)
{
	struct each_message e = { fn, arg };
	char param[24];

	snprintf(param, sizeof param, "%lld", group_id);
	return store_rows(st, "SELECT id, text, themes FROM focus_messages"
			  " WHERE group_id = CAST(?1 AS BIGINT) ORDER BY id", param,
			  on_message_row, &e, "reading key messages");
}

static enum db_rc seal(struct db *db, struct change *c)
{
	return insert_row(db, c, "INSERT INTO focus_sealed (group_id, kind, key_id, sealed)"
			  " VALUES (?1, ?2, ?3, ?4)", c->kind, c->key_id, NULL, "storing a sealed note");
}

enum sv_err store_focus_seal_add(struct store *st, long long group_id, const char *kind,
				 const char *key_id, const unsigned char *sealed, size_t len)
{
	struct change c = { .apply = seal, .group_id = group_id, .kind = kind, .key_id = key_id,
			    .sealed = sealed, .len = len };

	return run_change(st, &c);
}
