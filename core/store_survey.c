/*
 * store_survey.c - survey definitions with versions (see store.h).
 *
 * Each row of survey_versions is one version of one survey: its JSON text
 * as a commissioner or a file wrote it, never parsed here (forms/ checks it
 * with form_survey_parse before it is saved).  Versions only grow: a
 * published version is never changed or deleted, because responses were
 * answered under it and an export reads them by it.  Only the newest row
 * may be a draft, and saving a draft again replaces it in place.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"
#include "store_int.h"

static void today(char out[11])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static void copy_text(char *out, size_t cap, sqlite3_stmt *row, int col)
{
	const char *v = (const char *)sqlite3_column_text(row, col);
	size_t n = v ? strlen(v) : 0;

	if (n >= cap)
		n = cap - 1;
	memcpy(out, v ? v : "", n);
	out[n] = '\0';
}

#define VERSION_COLUMNS "survey, version, consultation, status, source, who, day"

/* A row of VERSION_COLUMNS (and the definition in column 7, if asked). */
static enum sv_err read_version(sqlite3_stmt *row, int with_definition,
				struct store_survey_version *v)
{
	memset(v, 0, sizeof *v);
	copy_text(v->survey, sizeof v->survey, row, 0);
	v->version = sqlite3_column_int(row, 1);
	copy_text(v->consultation, sizeof v->consultation, row, 2);
	v->published = sqlite3_column_int(row, 3);
	copy_text(v->source, sizeof v->source, row, 4);
	copy_text(v->who, sizeof v->who, row, 5);
	copy_text(v->day, sizeof v->day, row, 6);
	if (with_definition) {
		const char *d = (const char *)sqlite3_column_text(row, 7);
		v->definition = strdup(d ? d : "");
		if (!v->definition)
			return SV_ERR_NOMEM;
	}
	return SV_OK;
}

enum sv_err store_survey_version_get(struct store *st, const char *survey, int published_only,
				     struct store_survey_version *out)
{
	sqlite3_stmt *s = NULL;
	enum sv_err rc;

	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&st->lock);
	rc = store_prepare(st, "SELECT " VERSION_COLUMNS ", definition FROM survey_versions"
			   " WHERE survey = ?1 AND (status = 1 OR NOT ?2)"
			   " ORDER BY version DESC LIMIT 1", &s);
	if (!rc) {
		sqlite3_bind_text(s, 1, survey, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 2, published_only);
		int step = sqlite3_step(s);
		if (step == SQLITE_ROW)
			rc = read_version(s, 1, out);
		else if (step == SQLITE_DONE)
			rc = SV_ERR_NOTFOUND;
		else {
			store_log(st->db, "reading a survey version");
			rc = SV_ERR_DB;
		}
	}
	sqlite3_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* The newest version's number and status, under the lock; 0 if none. */
static enum sv_err newest(struct store *st, const char *survey, int *version, int *published)
{
	sqlite3_stmt *s = NULL;
	enum sv_err rc = store_prepare(st, "SELECT version, status FROM survey_versions"
				       " WHERE survey = ?1 ORDER BY version DESC LIMIT 1", &s);

	*version = *published = 0;
	if (!rc) {
		sqlite3_bind_text(s, 1, survey, -1, SQLITE_STATIC);
		int step = sqlite3_step(s);
		if (step == SQLITE_ROW) {
			*version = sqlite3_column_int(s, 0);
			*published = sqlite3_column_int(s, 1);
		} else if (step != SQLITE_DONE) {
			store_log(st->db, "reading a survey's newest version");
			rc = SV_ERR_DB;
		}
	}
	sqlite3_finalize(s);
	return rc;
}

/* Writes one version row (insert or replace), under the lock. */
static enum sv_err put_row(struct store *st, const char *survey, int version,
			   const char *consultation, int status, const char *source,
			   const char *definition, const char *who)
{
	sqlite3_stmt *s = NULL;
	char day[11];
	enum sv_err rc = store_prepare(st, "INSERT OR REPLACE INTO survey_versions (survey, version,"
				       " consultation, status, source, definition, who, day)"
				       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &s);

	today(day);
	if (!rc) {
		sqlite3_bind_text(s, 1, survey, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 2, version);
		sqlite3_bind_text(s, 3, consultation, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 4, status);
		sqlite3_bind_text(s, 5, source, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 6, definition, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 7, who, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 8, day, -1, SQLITE_STATIC);
		rc = store_step_done(st->db, s, "saving a survey version");
	}
	sqlite3_finalize(s);
	return rc;
}

enum sv_err store_survey_draft_save(struct store *st, const char *survey,
				    const char *consultation, const char *definition,
				    const char *who, int *version)
{
	int v, published;

	pthread_mutex_lock(&st->lock);
	enum sv_err rc = newest(st, survey, &v, &published);
	if (!rc) {
		/* A draft is replaced; after a published version comes a new one. */
		if (v == 0 || published)
			v++;
		rc = put_row(st, survey, v, consultation, 0, "staff", definition, who);
	}
	pthread_mutex_unlock(&st->lock);
	*version = rc ? 0 : v;
	return rc;
}

enum sv_err store_survey_version_add(struct store *st, const char *survey,
				     const char *consultation, const char *source,
				     const char *definition, const char *who, int *version)
{
	int v, published;

	pthread_mutex_lock(&st->lock);
	enum sv_err rc = newest(st, survey, &v, &published);
	if (!rc)
		rc = put_row(st, survey, v + 1, consultation, 1, source, definition, who);
	pthread_mutex_unlock(&st->lock);
	*version = rc ? 0 : v + 1;
	return rc;
}

enum sv_err store_survey_publish(struct store *st, const char *survey, int version,
				 const char *who)
{
	sqlite3_stmt *s = NULL;
	char day[11];
	enum sv_err rc;

	today(day);
	pthread_mutex_lock(&st->lock);
	rc = store_prepare(st, "UPDATE survey_versions SET status = 1, who = ?3, day = ?4"
			   " WHERE survey = ?1 AND version = ?2 AND status = 0"
			   " AND version = (SELECT max(version) FROM survey_versions WHERE survey = ?1)", &s);
	if (!rc) {
		sqlite3_bind_text(s, 1, survey, -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 2, version);
		sqlite3_bind_text(s, 3, who, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, day, -1, SQLITE_STATIC);
		rc = store_step_done(st->db, s, "publishing a survey");
		if (!rc && sqlite3_changes(st->db) == 0)
			rc = SV_ERR_NOTFOUND;
	}
	sqlite3_finalize(s);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

struct each_version {
	void (*fn)(void *arg, const struct store_survey_version *v);
	void *arg;
};

static void on_version_row(sqlite3_stmt *row, void *ctx)
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

	return store_query_each(st, "SELECT " VERSION_COLUMNS " FROM survey_versions v"
				" WHERE version = (SELECT max(version) FROM survey_versions w"
				" WHERE w.survey = v.survey) ORDER BY consultation, survey",
				NULL, on_version_row, &e, "listing survey versions");
}

static void on_count(sqlite3_stmt *row, void *ctx)
{
	*(long long *)ctx = sqlite3_column_int64(row, 0);
}

enum sv_err store_survey_answered(struct store *st, const char *survey, long long *out)
{
	*out = 0;
	return store_query_each(st, "SELECT coalesce(sum(responses), 0) FROM survey_counts"
				" WHERE survey = ?1", survey, on_count, out, "counting a survey's responses");
}
