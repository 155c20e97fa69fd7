/*
 * store_report.c - what the report reads besides the counters: who took part,
 * the focus groups' key messages, and their sealed quotes (see store.h).
 * Read-only; every query takes the consultation as its one parameter.
 */
#include <stdio.h>
#include <string.h>

#include "store_int.h"

static void on_participation(struct db_stmt *row, void *ctx)
{
	struct store_participation *p = ctx;

	p->responses = db_column_int64(row, 0);
	store_copy(p->first_day, 11, row, 1);
	store_copy(p->last_day, 11, row, 2);
	p->focus_groups = db_column_int64(row, 3);
	p->participants = db_column_int64(row, 4);
	p->messages = db_column_int64(row, 5);
	p->events = db_column_int64(row, 6);
	p->tokens = db_column_int64(row, 7);
	store_copy(p->first_group, 11, row, 8);
	store_copy(p->last_group, 11, row, 9);
	store_copy(p->first_event, 11, row, 10);
	store_copy(p->last_event, 11, row, 11);
	p->coded = db_column_int64(row, 12);
}

enum sv_err store_participation(struct store *st, const char *consultation,
				struct store_participation *out)
{
	memset(out, 0, sizeof *out);
	return store_rows(st,
		"SELECT (SELECT count(*) FROM responses WHERE consultation = ?1),"
		" (SELECT min(day) FROM responses WHERE consultation = ?1),"
		" (SELECT max(day) FROM responses WHERE consultation = ?1),"
		" (SELECT count(*) FROM focus_groups WHERE consultation = ?1),"
		" (SELECT coalesce(sum(participants), 0) FROM focus_groups WHERE consultation = ?1),"
		" (SELECT count(*) FROM focus_messages m JOIN focus_groups g ON g.id = m.group_id"
		"   WHERE g.consultation = ?1),"
		" (SELECT count(*) FROM events WHERE consultation = ?1),"
		" (SELECT coalesce(sum(t.delta), 0) FROM tally_changes t JOIN events e"
		"   ON e.id = t.event_id WHERE e.consultation = ?1),"
		" (SELECT min(day) FROM focus_groups WHERE consultation = ?1),"
		" (SELECT max(day) FROM focus_groups WHERE consultation = ?1),"
		" (SELECT min(day) FROM events WHERE consultation = ?1),"
		" (SELECT max(day) FROM events WHERE consultation = ?1),"
		" (SELECT count(*) FROM analysis_codes WHERE consultation = ?1 AND pass = 1)",
		consultation, on_participation, out, "reading participation");
}

struct each_message {
	void (*fn)(void *arg, long long group_id, const char *text, const char *themes_csv);
	void *arg;
};

static void on_message(struct db_stmt *row, void *ctx)
{
	struct each_message *e = ctx;
	e->fn(e->arg, db_column_int64(row, 0), store_str(row, 1), store_str(row, 2));
}

enum sv_err store_consultation_messages(struct store *st, const char *consultation,
					void (*fn)(void *arg, long long group_id, const char *text,
						   const char *themes_csv), void *arg)
{
	struct each_message e = { fn, arg };
	return store_rows(st, "SELECT m.group_id, m.text, m.themes FROM focus_messages m"
				" JOIN focus_groups g ON g.id = m.group_id WHERE g.consultation = ?1"
				" ORDER BY g.day, g.id, m.id", consultation, on_message, &e,
				"reading key messages");
}

struct each_quote {
	store_response_fn fn;
	void *arg;
};

static void on_quote(struct db_stmt *row, void *ctx)
{
	struct each_quote *e = ctx;
	struct store_sealed s = {
		.id = db_column_int64(row, 0),
		.survey = "",
		.day = store_str(row, 1),
		.key_id = store_str(row, 2),
	};
	s.sealed = db_column_blob(row, 3, &s.sealed_len);
	e->fn(e->arg, &s);
}

enum sv_err store_focus_quotes(struct store *st, const char *consultation, store_response_fn fn,
			       void *arg)
{
	struct each_quote e = { fn, arg };
	return store_rows(st, "SELECT q.id, g.day, q.key_id, q.sealed FROM focus_sealed q"
				" JOIN focus_groups g ON g.id = q.group_id"
				" WHERE g.consultation = ?1 AND q.kind = 'quote' ORDER BY q.id",
				consultation, on_quote, &e, "reading quotes");
}

struct each_key {
	void (*fn)(void *arg, const char *key_id, long long count);
	void *arg;
};

static void on_key(struct db_stmt *row, void *ctx)
{
	struct each_key *e = ctx;
	e->fn(e->arg, store_str(row, 0), db_column_int64(row, 1));
}

enum sv_err store_sealed_key_ids(struct store *st, const char *consultation,
				 void (*fn)(void *arg, const char *key_id, long long count),
				 void *arg)
{
	struct each_key e = { fn, arg };
	/* "+consultation" keeps SQLite from the day index (a walk of the
	 * table is cheaper for every row); PostgreSQL plans this alone. */
	return store_rows(st, db_dialect(st->conn) == DB_SQLITE ?
				"SELECT key_id, count(*) FROM ("
				" SELECT key_id FROM responses WHERE +consultation = ?1"
				" UNION ALL SELECT q.key_id FROM focus_sealed q"
				" JOIN focus_groups g ON g.id = q.group_id WHERE g.consultation = ?1"
				" UNION ALL SELECT key_id FROM analysis_codes WHERE consultation = ?1) k"
				" GROUP BY key_id ORDER BY key_id" :
				"SELECT key_id, count(*) FROM ("
				" SELECT key_id FROM responses WHERE consultation = ?1"
				" UNION ALL SELECT q.key_id FROM focus_sealed q"
				" JOIN focus_groups g ON g.id = q.group_id WHERE g.consultation = ?1"
				" UNION ALL SELECT key_id FROM analysis_codes WHERE consultation = ?1) k"
				" GROUP BY key_id ORDER BY key_id", consultation, on_key, &e,
				"listing keys");
}

enum sv_err store_survey_response_counts(struct store *st, const char *consultation,
					 void (*fn)(void *arg, const char *survey, long long count),
					 void *arg)
{
	struct each_key e = { fn, arg };
	/* The shared commit keeps these counters, so a million responses
	 * cost nothing here (counting the rows read every one of them). */
	return store_rows(st, "SELECT survey, responses FROM survey_counts"
				" WHERE consultation = ?1 AND responses > 0 ORDER BY survey", consultation, on_key, &e,
				"counting responses by survey");
}
