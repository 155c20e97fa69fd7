/*
 * store_survey.c - survey definitions with versions (see store.h).
 *
 * Each row of survey_versions is one version of one survey: its JSON text
 * as a commissioner or a file wrote it, never parsed here (forms/ checks it
 * with form_survey_parse before it is saved).  Versions only grow: a
 * published version is never changed or deleted, because responses were
 * answered under it and an export reads them by it.  Only the newest row
 * may be a draft, and saving a draft again replaces it in place.
 *
 * Every write reads the newest version first and then writes by it, so it
 * runs in one write transaction (db_transaction): on SQLite BEGIN
 * IMMEDIATE, on PostgreSQL SERIALIZABLE, where two servers that read the
 * same newest version cannot both write after it: the second runs again
 * and finds the first's (docs/postgresql.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_int.h"

#define VERSION_COLUMNS "survey, version, consultation, status, source, who, day"

/* A row of VERSION_COLUMNS (and the definition in column 7, if asked). */
static enum sv_err read_version(struct db_stmt *row, int with_definition,
				struct store_survey_version *v)
{
	memset(v, 0, sizeof *v);
	store_copy(v->survey, sizeof v->survey, row, 0);
	v->version = db_column_int(row, 1);
	store_copy(v->consultation, sizeof v->consultation, row, 2);
	v->published = db_column_int(row, 3);
	store_copy(v->source, sizeof v->source, row, 4);
	store_copy(v->who, sizeof v->who, row, 5);
	store_copy(v->day, sizeof v->day, row, 6);
	if (with_definition) {
		v->definition = strdup(store_str(row, 7));
		if (!v->definition)
			return SV_ERR_NOMEM;
	}
	return SV_OK;
}

enum sv_err store_survey_version_get(struct store *st, const char *survey, int published_only,
				     struct store_survey_version *out)
{
	struct db_stmt *s = NULL;
	enum sv_err rc = SV_ERR_DB;

	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&st->lock);
	if (db_prepare(st->conn, "SELECT " VERSION_COLUMNS ", definition FROM survey_versions"
		       " WHERE survey = ?1 AND (status = 1 OR ?2 = 0)"
		       " ORDER BY version DESC LIMIT 1", &s) == SV_OK) {
		db_bind_text(s, 1, survey);
		db_bind_int64(s, 2, published_only ? 1 : 0);
		enum db_rc r = db_step(s);
		if (r == DB_ROW)
			rc = read_version(s, 1, out);
		else if (r == DB_DONE)
			rc = SV_ERR_NOTFOUND;
		else
			db_log(st->conn, "reading a survey version");
	}
	db_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* What one write of a version binds, and what it reads back.  The body of
 * its transaction may run again after a race, so it sets the outputs
 * afresh. */
struct version_tx {
	const char *survey, *consultation, *source, *definition, *who, *day;
	int version;      /* IN for publish; OUT: the version written */
	int notfound;     /* OUT: publish found no such draft */
};

/* The newest version's number and status, and whether it is already t's
 * source, consultation and definition (same); 0 if there is none.  DB_DONE,
 * or the failure (logged, but for a race). */
static enum db_rc newest(struct db *db, const struct version_tx *t, int *version, int *published,
			 int *same)
{
	struct db_stmt *s = NULL;
	enum db_rc r = DB_ERROR;

	*version = *published = *same = 0;
	if (db_prepare(db, "SELECT version, status, source = ?2 AND consultation = ?3"
		       " AND definition = ?4 FROM survey_versions"
		       " WHERE survey = ?1 ORDER BY version DESC LIMIT 1", &s) == SV_OK) {
		db_bind_text(s, 1, t->survey);
		db_bind_text(s, 2, t->source);
		db_bind_text(s, 3, t->consultation);
		db_bind_text(s, 4, t->definition);
		r = db_step(s);
		if (r == DB_ROW) {
			*version = db_column_int(s, 0);
			*published = db_column_int(s, 1);
			*same = db_column_int(s, 2);
			r = DB_DONE;
		}
		db_log_failure(db, r, "reading a survey's newest version");
	}
	db_finalize(s);
	return r;
}

/* Runs sql, a write of one version, binding t's survey, version,
 * consultation, status, source, definition, who and day as ?1 to ?8 (a
 * number sql does not name is not sent). */
static enum db_rc run_version(struct db *db, const struct version_tx *t, int status,
			      const char *sql, const char *what)
{
	struct db_stmt *s = NULL;
	enum db_rc r = DB_ERROR;

	if (db_prepare(db, sql, &s) == SV_OK) {
		db_bind_text(s, 1, t->survey);
		db_bind_int64(s, 2, t->version);
		db_bind_text(s, 3, t->consultation);
		db_bind_int64(s, 4, status);
		db_bind_text(s, 5, t->source);
		db_bind_text(s, 6, t->definition);
		db_bind_text(s, 7, t->who);
		db_bind_text(s, 8, t->day);
		r = db_run(s, what);
	}
	db_finalize(s);
	return r;
}

/* Writes version t->version of t->survey with status (a new row, or the
 * draft's replaced). */
static enum db_rc put_row(struct db *db, const struct version_tx *t, int status)
{
	return run_version(db, t, status, "INSERT INTO survey_versions (survey, version,"
			   " consultation, status, source, definition, who, day)"
			   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (survey, version)"
			   " DO UPDATE SET consultation = excluded.consultation, status = excluded.status,"
			   " source = excluded.source, definition = excluded.definition,"
			   " who = excluded.who, day = excluded.day", "saving a survey version");
}

/* store_survey_draft_save's transaction. */
static enum db_rc draft_body(struct db *db, void *ctx)
{
	struct version_tx *t = ctx;
	int published, same;
	enum db_rc r = newest(db, t, &t->version, &published, &same);

	if (r != DB_DONE)
		return r;
	/* A draft is replaced; after a published version comes a new one. */
	if (t->version == 0 || published)
		t->version++;
	return put_row(db, t, 0);
}

/* store_survey_version_add's transaction.  The newest version already
 * published with this very text, source and consultation is the one asked
 * for: two servers starting together with a changed file each add it, and
 * the second finds the first's (one new version, not two). */
static enum db_rc add_body(struct db *db, void *ctx)
{
	struct version_tx *t = ctx;
	int published, same;
	enum db_rc r = newest(db, t, &t->version, &published, &same);

	if (r != DB_DONE || (published && same))
		return r;
	t->version++;
	return put_row(db, t, 1);
}

/* Runs body in a write transaction under the store's lock.  Any failure
 * is SV_ERR_DB, as it has always been (a race that never settles too). */
static enum sv_err write_version(struct store *st, enum db_rc (*body)(struct db *, void *),
				 struct version_tx *t)
{
	char day[11];

	store_today(day);
	t->day = day;
	pthread_mutex_lock(&st->lock);
	enum sv_err rc = db_transaction(st->conn, DB_TX_WRITE, body, t) ? SV_ERR_DB : SV_OK;
	pthread_mutex_unlock(&st->lock);
	t->day = NULL;
	if (rc)
		t->version = 0;
	return rc;
}

enum sv_err store_survey_draft_save(struct store *st, const char *survey,
				    const char *consultation, const char *definition,
				    const char *who, int *version)
{
	struct version_tx t = { .survey = survey, .consultation = consultation, .source = "staff",
				.definition = definition, .who = who };
	enum sv_err rc = write_version(st, draft_body, &t);

	*version = t.version;
	return rc;
}

enum sv_err store_survey_version_add(struct store *st, const char *survey,
				     const char *consultation, const char *source,
				     const char *definition, const char *who, int *version)
{
	struct version_tx t = { .survey = survey, .consultation = consultation, .source = source,
				.definition = definition, .who = who };
	enum sv_err rc = write_version(st, add_body, &t);

	*version = t.version;
	return rc;
}

/* store_survey_publish's transaction: the draft becomes published if it is
 * still the survey's newest version and still a draft. */
static enum db_rc publish_body(struct db *db, void *ctx)
{
	struct version_tx *t = ctx;
	enum db_rc r = run_version(db, t, 1, "UPDATE survey_versions SET status = 1, who = ?7,"
				   " day = ?8 WHERE survey = ?1 AND version = ?2 AND status = 0"
				   " AND version = (SELECT max(version) FROM survey_versions"
				   " WHERE survey = ?1)", "publishing a survey");

	t->notfound = r == DB_DONE && db_changes(db) == 0;
	return r;
}

enum sv_err store_survey_publish(struct store *st, const char *survey, int version,
				 const char *who)
{
	struct version_tx t = { .survey = survey, .who = who, .version = version };
	enum sv_err rc = write_version(st, publish_body, &t);

	return rc ? rc : t.notfound ? SV_ERR_NOTFOUND : SV_OK;
}

struct each_version {
	void (*fn)(void *arg, const struct store_survey_version *v);
	void *arg;
};

static void on_version_row(struct db_stmt *row, void *ctx)
{
	struct each_version *e = ctx;
	struct store_survey_version v;

	read_version(row, 0, &v);
	e->fn(e->arg, &v);
}

enum sv_err store_survey_version_each(struct store *st,
				      void (*fn)(void *arg, const struct store_survey_version *v),
				      void *arg)
{
	struct each_version e = { fn, arg };

	return store_rows(st, "SELECT " VERSION_COLUMNS " FROM survey_versions v"
			  " WHERE version = (SELECT max(version) FROM survey_versions w"
			  " WHERE w.survey = v.survey) ORDER BY consultation, survey",
			  NULL, on_version_row, &e, "listing survey versions");
}

static void on_count(struct db_stmt *row, void *ctx)
{
	*(long long *)ctx = db_column_int64(row, 0);
}

enum sv_err store_survey_answered(struct store *st, const char *survey, long long *out)
{
	*out = 0;
	/* sum() is SQLite's integer and PostgreSQL's numeric: the same digits. */
	return store_rows(st, "SELECT coalesce(sum(responses), 0) FROM survey_counts"
			  " WHERE survey = ?1", survey, on_count, out, "counting a survey's responses");
}
