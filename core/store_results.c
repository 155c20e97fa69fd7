/*
 * store_results.c - what the staff results page reads besides the export's
 * counters (responses per day), what it remembers between starts (how many
 * responses it last showed), and the help signposting text a consultation's
 * surveys show (see store.h).  Every statement takes the consultation as a
 * bound parameter.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

struct each_day {
	void (*fn)(void *arg, const char *day, long long count);
	void *arg;
};

static void on_day(struct db_stmt *row, void *ctx)
{
	struct each_day *e = ctx;
	e->fn(e->arg, store_str(row, 0), db_column_int64(row, 1));
}

enum sv_err store_response_days(struct store *st, const char *consultation,
				void (*fn)(void *arg, const char *day, long long count), void *arg)
{
	struct each_day e = { fn, arg };
	/* responses_by_day (consultation, day) answers this from the index. */
	return store_rows(st, "SELECT day, count(*) FROM responses WHERE consultation = ?1"
				" GROUP BY day ORDER BY day", consultation, on_day, &e,
				"counting responses by day");
}

/* Runs one statement binding ?1 = consultation and, if given, ?2 = a number
 * or text; with a row wanted, hands it to on_row.  Under the store's lock. */
static enum sv_err one_statement(struct store *st, const char *sql, const char *consultation,
				 const long long *number, const char *text,
				 void (*on_row)(struct db_stmt *row, void *ctx), void *ctx,
				 const char *what)
{
	struct db_stmt *s = NULL;
	enum sv_err rc = SV_OK;

	pthread_mutex_lock(&st->lock);
	if (db_prepare(st->conn, sql, &s) != SV_OK) {
		rc = SV_ERR_DB;
		goto out;
	}
	db_bind_text(s, 1, consultation);
	if (number)
		db_bind_int64(s, 2, *number);
	if (text)
		db_bind_text(s, 2, text);
	enum db_rc r = db_step(s);
	if (r == DB_ROW && on_row)
		on_row(s, ctx);
	else if (r == DB_DONE && on_row)
		rc = SV_ERR_NOTFOUND;
	else if (r != DB_DONE && r != DB_ROW)
		rc = SV_ERR_DB;
out:
	if (rc == SV_ERR_DB)
		db_log(st->conn, what);
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

static void on_count(struct db_stmt *row, void *ctx)
{
	*(long long *)ctx = db_column_int64(row, 0);
}

enum sv_err store_results_shown(struct store *st, const char *consultation, int set,
				long long *responses)
{
	if (set)
		return one_statement(st, "INSERT INTO results_shown (consultation, responses)"
				     " VALUES (?1, ?2) ON CONFLICT (consultation)"
				     " DO UPDATE SET responses = excluded.responses", consultation,
				     responses, NULL, NULL, NULL, "recording the results shown");
	return one_statement(st, "SELECT responses FROM results_shown WHERE consultation = ?1",
			     consultation, NULL, NULL, on_count, responses, "reading the results shown");
}

struct help_read {
	char *text;
	enum sv_err err;
};

static void on_help(struct db_stmt *row, void *ctx)
{
	struct help_read *h = ctx;
	h->text = strdup(store_str(row, 0));
	if (!h->text)
		h->err = SV_ERR_NOMEM;
}

enum sv_err store_help_get(struct store *st, const char *consultation, char **text)
{
	struct help_read h = { NULL, SV_OK };
	enum sv_err rc = one_statement(st, "SELECT text FROM consultation_help WHERE consultation = ?1",
				       consultation, NULL, NULL, on_help, &h, "reading help text");

	*text = NULL;
	if (rc == SV_ERR_NOTFOUND)
		return SV_OK;
	if (!rc && h.err)
		rc = h.err;
	if (rc)
		free(h.text);
	else
		*text = h.text;
	return rc;
}

enum sv_err store_help_set(struct store *st, const char *consultation, const char *text)
{
	if (!text)
		return one_statement(st, "DELETE FROM consultation_help WHERE consultation = ?1",
				     consultation, NULL, NULL, NULL, NULL, "resetting help text");
	return one_statement(st, "INSERT INTO consultation_help (consultation, text) VALUES (?1, ?2)"
			     " ON CONFLICT (consultation) DO UPDATE SET text = excluded.text",
			     consultation, NULL, text, NULL, NULL, "saving help text");
}
