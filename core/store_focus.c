/*
 * store_focus.c - focus groups: the group in aggregate, its key messages and
 * their theme counts, and its sealed notes and quotes (see store.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "store.h"
#include "store_int.h"

static void bind_optional(sqlite3_stmt *s, int col, int v)
{
	if (v < 0)
		sqlite3_bind_null(s, col);
	else
		sqlite3_bind_int(s, col, v);
}

/* 1 if the group exists and is not locked; fills its consultation. */
static int group_open(struct store *st, long long id, char consultation[64])
{
	sqlite3_stmt *s = NULL;
	int open = 0;

	if (store_prepare(st, "SELECT consultation, locked FROM focus_groups WHERE id = ?1", &s) == SV_OK) {
		sqlite3_bind_int64(s, 1, id);
		if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 1) == 0) {
			snprintf(consultation, 64, "%s", (const char *)sqlite3_column_text(s, 0));
			open = 1;
		}
	}
	sqlite3_finalize(s);
	return open;
}

enum sv_err store_focus_put(struct store *st, const struct store_focus *g, long long *id)
{
	sqlite3_stmt *s = NULL;
	char consultation[64];
	enum sv_err rc;

	pthread_mutex_lock(&st->lock);
	if (g->id && !group_open(st, g->id, consultation)) {
		rc = SV_ERR_INVALID;
		goto out;
	}
	rc = store_prepare(st, g->id ?
		  "UPDATE focus_groups SET day = ?2, district = ?3, participants = ?4, age_from = ?5,"
		  " age_to = ?6, girls = ?7, boys = ?8, other_gender = ?9 WHERE id = ?1 AND locked = 0" :
		  "INSERT INTO focus_groups (consultation, day, district, participants, age_from, age_to,"
		  " girls, boys, other_gender) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", &s);
	if (rc)
		goto out;
	if (g->id)
		sqlite3_bind_int64(s, 1, g->id);
	else
		sqlite3_bind_text(s, 1, g->consultation, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, g->day, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, g->district, -1, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, g->participants);
	sqlite3_bind_int(s, 5, g->age_from);
	sqlite3_bind_int(s, 6, g->age_to);
	bind_optional(s, 7, g->girls);
	bind_optional(s, 8, g->boys);
	bind_optional(s, 9, g->other_gender);
	int r = sqlite3_step(s);
	if (r == SQLITE_DONE)
		*id = g->id ? g->id : sqlite3_last_insert_rowid(st->db);
	else if ((r & 0xff) == SQLITE_CONSTRAINT)
		rc = SV_ERR_INVALID; /* out of range: the form should have said so */
	else {
		store_log(st->db, "saving a focus group");
		rc = SV_ERR_DB;
	}
out:
	sqlite3_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static int optional_int(sqlite3_stmt *s, int col)
{
	return sqlite3_column_type(s, col) == SQLITE_NULL ? -1 : sqlite3_column_int(s, col);
}

#define FOCUS_COLUMNS "SELECT g.id, g.consultation, g.day, g.district, g.participants," \
	" g.age_from, g.age_to, g.girls, g.boys, g.other_gender, g.locked," \
	" (SELECT count(*) FROM focus_sealed f WHERE f.group_id = g.id AND f.kind = 'note')," \
	" (SELECT count(*) FROM focus_sealed f WHERE f.group_id = g.id AND f.kind = 'quote')" \
	" FROM focus_groups g"

static void read_group(sqlite3_stmt *s, struct store_focus *g)
{
	memset(g, 0, sizeof *g);
	g->id = sqlite3_column_int64(s, 0);
	snprintf(g->consultation, sizeof g->consultation, "%s", (const char *)sqlite3_column_text(s, 1));
	snprintf(g->day, sizeof g->day, "%s", (const char *)sqlite3_column_text(s, 2));
	snprintf(g->district, sizeof g->district, "%s", (const char *)sqlite3_column_text(s, 3));
	g->participants = sqlite3_column_int(s, 4);
	g->age_from = sqlite3_column_int(s, 5);
	g->age_to = sqlite3_column_int(s, 6);
	g->girls = optional_int(s, 7);
	g->boys = optional_int(s, 8);
	g->other_gender = optional_int(s, 9);
	g->locked = sqlite3_column_int(s, 10);
	g->notes = sqlite3_column_int(s, 11);
	g->quotes = sqlite3_column_int(s, 12);
}

enum sv_err store_focus_get(struct store *st, long long id, struct store_focus *out)
{
	sqlite3_stmt *s = NULL;
	enum sv_err rc;

	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&st->lock);
	rc = store_prepare(st, FOCUS_COLUMNS " WHERE g.id = ?1", &s);
	if (!rc) {
		sqlite3_bind_int64(s, 1, id);
		int r = sqlite3_step(s);
		if (r == SQLITE_ROW)
			read_group(s, out);
		rc = r == SQLITE_ROW ? SV_OK : r == SQLITE_DONE ? SV_ERR_NOTFOUND : SV_ERR_DB;
	}
	sqlite3_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

struct each_group { void (*fn)(void *arg, const struct store_focus *g); void *arg; };

static void on_group_row(sqlite3_stmt *row, void *ctx)
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
	return store_query_each(st, FOCUS_COLUMNS " ORDER BY g.day DESC, g.id DESC", NULL,
				on_group_row, &e, "listing focus groups");
}

enum sv_err store_focus_lock(struct store *st, long long id)
{
	sqlite3_stmt *s = NULL;
	enum sv_err rc;

	pthread_mutex_lock(&st->lock);
	rc = store_prepare(st, "UPDATE focus_groups SET locked = 1 WHERE id = ?1", &s);
	if (!rc) {
		sqlite3_bind_int64(s, 1, id);
		rc = store_step_done(st->db, s, "locking a focus group");
		if (!rc && sqlite3_changes(st->db) == 0)
			rc = SV_ERR_NOTFOUND;
	}
	sqlite3_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* Moves one counter of the consultation's focus_group column by delta (a new
 * row starts at max(delta, 0): SQLite checks count >= 0 before the upsert). */
static enum sv_err move_counter(struct store *st, int is_theme, const char *consultation,
				const char *theme, int priority, int delta)
{
	sqlite3_stmt *s = NULL;
	enum sv_err rc = store_prepare(st, is_theme ?
		"INSERT INTO theme_counts (consultation, theme, source, count) VALUES (?1, ?2, ?3, max(?4, 0))"
		" ON CONFLICT (consultation, theme, source) DO UPDATE SET count = count + ?4" :
		"INSERT INTO priority_counts (consultation, priority, source, count) VALUES (?1, ?2, ?3, max(?4, 0))"
		" ON CONFLICT (consultation, priority, source) DO UPDATE SET count = count + ?4", &s);
	if (!rc) {
		sqlite3_bind_text(s, 1, consultation, -1, SQLITE_STATIC);
		if (is_theme)
			sqlite3_bind_text(s, 2, theme, -1, SQLITE_STATIC);
		else
			sqlite3_bind_int(s, 2, priority);
		sqlite3_bind_int(s, 3, STORE_FOCUS_GROUP);
		sqlite3_bind_int(s, 4, delta);
		rc = store_step_done(st->db, s, "counting key messages");
	}
	sqlite3_finalize(s);
	return rc;
}

/* Moves every counter named in a comma list ("a,b" or "2,5") by delta. */
static enum sv_err move_list(struct store *st, int is_theme, const char *consultation,
			     const char *list, int delta)
{
	enum sv_err rc = SV_OK;
	const char *p = list;

	while (!rc && *p) {
		size_t n = strcspn(p, ",");
		char item[64];
		long long number = 0;
		if (n > 0 && n < sizeof item) {
			memcpy(item, p, n);
			item[n] = '\0';
			if (!is_theme && parse_int(item, n, 1, 1000, &number))
				return SV_ERR_INVALID;
			rc = move_counter(st, is_theme, consultation, item, (int)number, delta);
		}
		p += n + (p[n] == ',');
	}
	return rc;
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

enum sv_err store_focus_message_add(struct store *st, long long group_id, const char *text,
				    const char *const *themes, size_t nthemes,
				    const int *priorities, size_t npriorities)
{
	sqlite3_stmt *s = NULL;
	char consultation[64], theme_list[4096], prio_list[256];
	enum sv_err rc;

	join(theme_list, sizeof theme_list, themes, NULL, nthemes);
	join(prio_list, sizeof prio_list, NULL, priorities, npriorities);
	pthread_mutex_lock(&st->lock);
	rc = store_exec(st->db, "BEGIN IMMEDIATE");
	if (rc)
		goto out;
	if (!group_open(st, group_id, consultation)) {
		rc = SV_ERR_INVALID;
		goto rollback;
	}
	rc = store_prepare(st, "INSERT INTO focus_messages (group_id, text, themes, priorities)"
		  " VALUES (?1, ?2, ?3, ?4)", &s);
	if (!rc) {
		sqlite3_bind_int64(s, 1, group_id);
		sqlite3_bind_text(s, 2, text, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, theme_list, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, prio_list, -1, SQLITE_STATIC);
		rc = store_step_done(st->db, s, "adding a key message");
	}
	sqlite3_finalize(s);
	if (!rc)
		rc = move_list(st, 1, consultation, theme_list, 1);
	if (!rc)
		rc = move_list(st, 0, consultation, prio_list, 1);
	if (!rc)
		rc = store_exec(st->db, "COMMIT");
rollback:
	if (rc)
		store_exec(st->db, "ROLLBACK");
out:
	pthread_mutex_unlock(&st->lock);
	return rc;
}

enum sv_err store_focus_message_delete(struct store *st, long long group_id, long long message_id)
{
	sqlite3_stmt *s = NULL;
	char consultation[64], theme_list[4096] = "", prio_list[256] = "";
	enum sv_err rc;

	pthread_mutex_lock(&st->lock);
	rc = store_exec(st->db, "BEGIN IMMEDIATE");
	if (rc)
		goto out;
	if (!group_open(st, group_id, consultation)) {
		rc = SV_ERR_INVALID;
		goto rollback;
	}
	rc = store_prepare(st, "SELECT themes, priorities FROM focus_messages WHERE id = ?1 AND group_id = ?2", &s);
	if (!rc) {
		sqlite3_bind_int64(s, 1, message_id);
		sqlite3_bind_int64(s, 2, group_id);
		if (sqlite3_step(s) == SQLITE_ROW) {
			snprintf(theme_list, sizeof theme_list, "%s", (const char *)sqlite3_column_text(s, 0));
			snprintf(prio_list, sizeof prio_list, "%s", (const char *)sqlite3_column_text(s, 1));
		} else {
			rc = SV_ERR_NOTFOUND;
		}
	}
	sqlite3_finalize(s);
	s = NULL;
	if (!rc)
		rc = store_prepare(st, "DELETE FROM focus_messages WHERE id = ?1", &s);
	if (!rc) {
		sqlite3_bind_int64(s, 1, message_id);
		rc = store_step_done(st->db, s, "removing a key message");
	}
	sqlite3_finalize(s);
	if (!rc)
		rc = move_list(st, 1, consultation, theme_list, -1);
	if (!rc)
		rc = move_list(st, 0, consultation, prio_list, -1);
	if (!rc)
		rc = store_exec(st->db, "COMMIT");
rollback:
	if (rc)
		store_exec(st->db, "ROLLBACK");
out:
	pthread_mutex_unlock(&st->lock);
	return rc;
}

struct each_message {
	void (*fn)(void *arg, long long id, const char *text, const char *themes_csv);
	void *arg;
};

static void on_message_row(sqlite3_stmt *row, void *ctx)
{
	struct each_message *e = ctx;
	e->fn(e->arg, sqlite3_column_int64(row, 0), (const char *)sqlite3_column_text(row, 1),
	      (const char *)sqlite3_column_text(row, 2));
}

enum sv_err store_focus_messages(struct store *st, long long group_id,
				 void (*fn)(void *arg, long long id, const char *text,
					    const char *themes_csv), void *arg)
{
	struct each_message e = { fn, arg };
	char param[24];

	snprintf(param, sizeof param, "%lld", group_id);
	return store_query_each(st, "SELECT id, text, themes FROM focus_messages"
				" WHERE group_id = CAST(?1 AS INTEGER) ORDER BY id", param,
				on_message_row, &e, "reading key messages");
}

enum sv_err store_focus_seal_add(struct store *st, long long group_id, const char *kind,
				 const char *key_id, const unsigned char *sealed, size_t len)
{
	sqlite3_stmt *s = NULL;
	char consultation[64];
	enum sv_err rc = SV_OK;

	pthread_mutex_lock(&st->lock);
	if (!group_open(st, group_id, consultation)) {
		rc = SV_ERR_INVALID;
		goto out;
	}
	rc = store_prepare(st, "INSERT INTO focus_sealed (group_id, kind, key_id, sealed) VALUES (?1, ?2, ?3, ?4)", &s);
	if (!rc) {
		sqlite3_bind_int64(s, 1, group_id);
		sqlite3_bind_text(s, 2, kind, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, key_id, -1, SQLITE_STATIC);
		sqlite3_bind_blob(s, 4, sealed, (int)len, SQLITE_STATIC);
		rc = store_step_done(st->db, s, "storing a sealed note");
	}
	sqlite3_finalize(s);
out:
	pthread_mutex_unlock(&st->lock);
	return rc;
}
