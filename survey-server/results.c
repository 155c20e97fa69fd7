/*
 * results.c - a consultation's results as they come in, for commissioners
 * (no passphrase: only the plain counters are read):
 *
 *   GET /staff/consultations/ID/results        the page
 *   GET /staff/consultations/ID/results.json   the same counts, for its script
 *
 * and, through results_tables_with, the same snapshot to the public "you
 * said, we did" page (yousaid.c), which prints some of its cells: both pages
 * move together, under the one differencing rule below.
 *
 * What it shows is a publication, so it is built exactly as the exports
 * are: export_table_build reads the counters, export_suppress_days applies
 * the exports' small-number suppression (with the responses per day, a
 * breakdown only this page prints, audited in the same pass), and the
 * renderer prints the published text of each count and nothing else.
 *
 * Differencing.  A page read before and after one young person answers
 * would, by subtraction, give that person's themes.  So the page shows a
 * snapshot of the counters that moves only when no survey response has
 * arrived since it was taken (focus groups and marketplace counts, which
 * are published exactly anyway, may move), or when at least the threshold
 * (EXPORT_DEFAULT_MIN_CELL) have: two views then differ by the answers of
 * a group at least that large, the smallest group any export shows (the
 * rule is export_may_follow; docs/threat-model.md).  The count last shown is
 * kept in the database, so a restart does not reset the rule.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <civetweb.h>

#include "../export/export.h"
#include "../forms/render_results.h"
#include "http.h"
#include "server.h"

#define RESULTS_FRESH_S 10        /* counters with no new response read again after this */
#define RESULTS_BUILD_TRIES 3     /* reads of the counters that may race a response */
#define RESULTS_MAX_DAYS 1000     /* days filled in between first and last (more: only
				     the days with responses) */

/* The counters as last published, per consultation. */
struct snapshot {
	char id[PARSE_MAX_ID + 1];    /* "" for a free slot */
	struct export_table *t;       /* suppressed */
	struct cell *days;            /* responses per day, suppressed with t */
	char (*day_names)[11];
	size_t ndays;
	long long responses;          /* survey responses it counts */
	time_t computed;              /* when its counters were read */
	long long built_at;           /* the same, monotonic seconds */
};

static struct snapshot cache[FORM_MAX_CONSULTATIONS];
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

static long long monotonic_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec;
}

static void snapshot_clear(struct snapshot *s)
{
	export_table_free(s->t);
	free(s->days);
	free(s->day_names);
	s->t = NULL;
	s->days = NULL;
	s->day_names = NULL;
	s->ndays = 0;
}

/* Responses per day with responses, as the store gives them. */
struct day_list {
	char (*name)[11];
	long long *count;
	size_t n, cap;
	long long total;
	enum sv_err err;
};

static void on_day(void *arg, const char *day, long long count)
{
	struct day_list *l = arg;

	l->total += count;
	if (l->err)
		return;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		void *names = cap <= DISCLOSURE_MAX_RELATION ? realloc(l->name, cap * sizeof *l->name) : NULL;
		if (names)
			l->name = names;
		void *counts = names ? realloc(l->count, cap * sizeof *l->count) : NULL;
		if (!counts) {
			l->err = cap > DISCLOSURE_MAX_RELATION ? SV_ERR_TOOBIG : SV_ERR_NOMEM;
			return;
		}
		l->count = counts;
		l->cap = cap;
	}
	snprintf(l->name[l->n], sizeof l->name[l->n], "%s", day);
	l->count[l->n++] = count;
}

static void day_list_free(struct day_list *l)
{
	free(l->name);
	free(l->count);
	memset(l, 0, sizeof *l);
}

static enum sv_err read_days(struct store *st, const char *id, struct day_list *l)
{
	memset(l, 0, sizeof *l);
	enum sv_err rc = store_response_days(st, id, on_day, l);
	return rc ? rc : l->err;
}

static time_t day_time(const char *day)
{
	struct tm tm = { 0 };
	if (sscanf(day, "%4d-%2d-%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) != 3)
		return (time_t)-1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_hour = 12;
	return timegm(&tm);
}

/* Every day from the first to the last (a day without responses is a true
 * 0), or only the days with responses if that span is too long. */
static enum sv_err fill_days(struct snapshot *s, const struct day_list *l)
{
	size_t n = l->n;
	time_t first = n ? day_time(l->name[0]) : 0, last = n ? day_time(l->name[n - 1]) : 0;
	long long span = n && first != (time_t)-1 && last != (time_t)-1 ?
		(long long)(last - first) / 86400 + 1 : 0;
	int every = span > 0 && span <= RESULTS_MAX_DAYS && (size_t)span >= n;
	size_t total = every ? (size_t)span : n;

	s->days = calloc(total + 1, sizeof *s->days);
	s->day_names = calloc(total + 1, sizeof *s->day_names);
	if (!s->days || !s->day_names)
		return SV_ERR_NOMEM;
	for (size_t i = 0, k = 0; i < total; i++) {
		if (every) {
			time_t t = first + (time_t)i * 86400;
			struct tm tm;
			gmtime_r(&t, &tm);
			strftime(s->day_names[i], sizeof s->day_names[i], "%Y-%m-%d", &tm);
		} else {
			memcpy(s->day_names[i], l->name[i], sizeof s->day_names[i]);
		}
		if (k < n && strcmp(s->day_names[i], l->name[k]) == 0)
			s->days[i].value = l->count[k++];
	}
	s->ndays = total;
	return SV_OK;
}

/*
 * Reads a consultation's counters into next, consistent as to survey
 * responses: the responses per day read before and after the table agree
 * with the table's own count, so no response arrived in between (responses
 * are only ever added).  Then suppresses them.
 */
static enum sv_err snapshot_build(struct store *st, const char *id, struct snapshot *next)
{
	enum sv_err rc = SV_OK;
	int raced = 1;

	for (int tries = 0; !rc && raced && tries < RESULTS_BUILD_TRIES; tries++) {
		struct day_list before, after;
		struct export_table *t = NULL;
		rc = read_days(st, id, &before);
		if (!rc)
			rc = export_table_build(st, id, &t);
		if (!rc)
			rc = read_days(st, id, &after);
		raced = !rc && (before.total != after.total ||
				t->took_part.responses.value != before.total);
		if (!rc && !raced) {
			next->t = t;
			t = NULL;
			next->responses = before.total;
			next->computed = time(NULL);
			next->built_at = monotonic_s();
			rc = fill_days(next, &before);
		}
		export_table_free(t);
		day_list_free(&before);
		day_list_free(&after);
	}
	if (!rc && raced)
		rc = SV_ERR_DB;   /* responses kept arriving: the last snapshot stays */
	if (!rc)
		rc = export_suppress_days(next->t, next->days, next->ndays, EXPORT_DEFAULT_MIN_CELL);
	if (rc)
		snapshot_clear(next);
	return rc;
}

/*
 * The snapshot to show for consultation id, under cache_lock (the caller
 * holds it while rendering).  NULL with *held set when none may be shown
 * yet; NULL with *err set when the counters cannot be read.
 */
static struct snapshot *snapshot_get(struct store *st, const char *id, int *held,
				     enum sv_err *err)
{
	struct snapshot *s = NULL, *spare = NULL;
	struct day_list now;

	*held = 0;
	*err = SV_OK;
	for (int i = 0; i < FORM_MAX_CONSULTATIONS && !s; i++) {
		if (strcmp(cache[i].id, id) == 0)
			s = &cache[i];
		else if (!cache[i].id[0] && !spare)
			spare = &cache[i];
	}
	if (!s && !spare)
		spare = &cache[0];   /* more consultations than slots: cannot happen */
	*err = read_days(st, id, &now);
	long long total = now.total;
	day_list_free(&now);
	if (*err)
		return NULL;
	long long shown = -1;
	if (s && s->t) {
		shown = s->responses;
		if (total == shown && monotonic_s() - s->built_at < RESULTS_FRESH_S)
			return s;
		if (!export_may_follow(shown, total, EXPORT_DEFAULT_MIN_CELL))
			return s;
	} else {
		enum sv_err rc = store_results_shown(st, id, 0, &shown);
		if (rc && rc != SV_ERR_NOTFOUND) {
			*err = rc;
			return NULL;
		}
		if (!rc && !export_may_follow(shown, total, EXPORT_DEFAULT_MIN_CELL)) {
			*held = 1;
			return NULL;
		}
		if (rc)
			shown = -1;
		if (!s) {
			s = spare;
			snapshot_clear(s);
			snprintf(s->id, sizeof s->id, "%s", id);
		}
	}
	struct snapshot next = { 0 };
	enum sv_err rc = snapshot_build(st, id, &next);
	/* A response may have arrived since `now` was read: the rule is
	 * checked again on what was actually read. */
	if (!rc && shown >= 0 && !export_may_follow(shown, next.responses, EXPORT_DEFAULT_MIN_CELL)) {
		snapshot_clear(&next);
		if (s->t)
			return s;
		*held = 1;
		return NULL;
	}
	if (rc) {
		if (s->t)
			return s;      /* show the last one rather than nothing */
		*err = rc;
		return NULL;
	}
	if (next.responses != shown &&
	    store_results_shown(st, id, 1, &next.responses) != SV_OK) {
		/* Not recorded, so not shown: a restart must know it. */
		snapshot_clear(&next);
		*err = SV_ERR_DB;
		return s->t ? s : NULL;
	}
	snapshot_clear(s);
	s->t = next.t;
	s->days = next.days;
	s->day_names = next.day_names;
	s->ndays = next.ndays;
	s->responses = next.responses;
	s->computed = next.computed;
	s->built_at = next.built_at;
	return s;
}

/* The published text of a cell of the table (export_cell_text). */
static void cell_text(const struct export_table *t, const struct cell *c,
		      char out[RENDER_RESULTS_CELL], long long *value)
{
	char text[32];
	export_cell_text(t, c, text);
	snprintf(out, RENDER_RESULTS_CELL, "%s", text);
	if (value)
		*value = c->state == CELL_SHOWN ? c->value : -1;
}

/* The page's view of a snapshot: published text only.  Free with view_free. */
static enum sv_err view_make(const struct snapshot *s, struct render_results *r)
{
	const struct export_table *t = s->t;
	struct tm tm;

	gmtime_r(&s->computed, &tm);
	strftime(r->computed, sizeof r->computed, "%H:%M:%S UTC on %-d %B %Y", &tm);
	strftime(r->computed_iso, sizeof r->computed_iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
	r->min_cell = t->min_cell;
	cell_text(t, &t->took_part.responses, r->responses, NULL);
	cell_text(t, &t->took_part.participants, r->participants, NULL);
	cell_text(t, &t->took_part.messages, r->messages, NULL);
	cell_text(t, &t->took_part.tokens, r->tokens, NULL);
	cell_text(t, &t->took_part.coded, r->coded, NULL);
	r->groups = t->groups.value;
	r->events = t->events.value;
	r->surveys = calloc(t->nsurveys + 1, sizeof *r->surveys);
	r->days = calloc(s->ndays + 1, sizeof *r->days);
	r->priorities = calloc(t->nsubtotals + 1, sizeof *r->priorities);
	if (!r->surveys || !r->days || !r->priorities)
		return SV_ERR_NOMEM;
	for (size_t k = 0; k < t->nsurveys; k++) {
		struct render_results_count *c = &r->surveys[r->nsurveys++];
		c->label = t->surveys[k].title[0] ? t->surveys[k].title : t->surveys[k].id;
		cell_text(t, &t->surveys[k].responses, c->text, &c->value);
	}
	for (size_t i = 0; i < s->ndays; i++) {
		struct render_results_count *c = &r->days[r->ndays++];
		c->label = s->day_names[i];
		cell_text(t, &s->days[i], c->text, &c->value);
	}
	for (size_t p = 0; p < t->nsubtotals; p++) {
		struct render_results_priority *pr = &r->priorities[r->npriorities++];
		pr->number = t->subtotals[p].priority->number;
		pr->name = t->subtotals[p].priority->name;
		for (int c = 0; c < RESULTS_NCOLS; c++)
			cell_text(t, &t->subtotals[p].cells[c], pr->any[c], NULL);
		pr->themes = calloc(t->nrows + 1, sizeof *pr->themes);
		if (!pr->themes)
			return SV_ERR_NOMEM;
		for (size_t i = 0; i < t->nrows; i++) {
			if (t->rows[i].priority != t->subtotals[p].priority)
				continue;
			struct render_results_theme *th = &pr->themes[pr->nthemes++];
			th->name = t->rows[i].theme->name;
			for (int c = 0; c < RESULTS_NCOLS; c++)
				cell_text(t, &t->rows[i].cells[c], th->cells[c], NULL);
		}
	}
	return SV_OK;
}

static void view_free(struct render_results *r)
{
	for (size_t p = 0; r->priorities && p < r->npriorities; p++)
		free(r->priorities[p].themes);
	free(r->priorities);
	free(r->surveys);
	free(r->days);
}

static int results_send(struct req_ctx *rc, const struct staff_session *sess,
			const struct form_consultation *c, int json)
{
	struct render_staff_user who = { sess->user.name, (enum render_staff_role)sess->user.role,
					 sess->csrf };
	struct render_results r = { .who = &who, .consultation = c->id, .title = c->title,
				    .min_cell = EXPORT_DEFAULT_MIN_CELL };
	int held;
	enum sv_err err;

	pthread_mutex_lock(&cache_lock);
	struct snapshot *s = snapshot_get(rc->srv->store, c->id, &held, &err);
	if (s)
		err = view_make(s, &r);
	else if (held)
		r.held = 1;
	if (!err) {
		if (json)
			render_results_json(&rc->page, &r);
		else
			render_results_page(&rc->page, &r);
	}
	pthread_mutex_unlock(&cache_lock);
	view_free(&r);
	if (err)
		return http_send_problem(rc, 503, "The results cannot be counted just now. Try again "
					 "in a minute.");
	if (rc->page.err)
		return http_send_problem(rc, 503, "The results page is too large to show.");
	if (json)
		return http_send(rc, 200, "application/json", rc->page.buf, rc->page.len,
				 "Cache-Control: no-store\r\n");
	return http_send_page(rc, 200);
}

enum sv_err results_tables_with(struct server *srv, const char *const *ids, size_t n,
				void (*fn)(void *arg, const struct export_table *const *tables),
				void *arg)
{
	const struct export_table *tables[FORM_MAX_CONSULTATIONS];
	struct snapshot *slots[FORM_MAX_CONSULTATIONS];
	enum sv_err err = n <= FORM_MAX_CONSULTATIONS ? SV_OK : SV_ERR_TOOBIG;
	int held;

	pthread_mutex_lock(&cache_lock);
	for (size_t i = 0; i < n && !err; i++) {
		slots[i] = snapshot_get(srv->store, ids[i], &held, &err);
		tables[i] = slots[i] ? slots[i]->t : NULL;
	}
	/* A later read may only have reused an earlier one's slot if there were
	 * more consultations than slots: then none is shown. */
	for (size_t i = 0; i < n && !err; i++)
		if (slots[i] && (strcmp(slots[i]->id, ids[i]) != 0 || slots[i]->t != tables[i]))
			err = SV_ERR_TOOBIG;
	if (!err)
		fn(arg, tables);
	pthread_mutex_unlock(&cache_lock);
	return err;
}

int results_route(struct req_ctx *rc, const struct staff_session *sess,
		  const struct form_consultation *c, int json)
{
	if (strcmp(rc->method, "GET") != 0 && !rc->head_only)
		return http_send_not_allowed(rc, "GET, HEAD", "This page cannot be used that way.");
	return results_send(rc, sess, c, json);
}

void results_free(void)
{
	pthread_mutex_lock(&cache_lock);
	for (int i = 0; i < FORM_MAX_CONSULTATIONS; i++) {
		snapshot_clear(&cache[i]);
		cache[i].id[0] = '\0';
	}
	pthread_mutex_unlock(&cache_lock);
}
