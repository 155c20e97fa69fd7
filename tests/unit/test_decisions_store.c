/*
 * test_decisions_store.c - core/store's "you said, we did" (store_decisions.c,
 * schema 22): entries added, read, listed by priority then id and changed
 * (changed today, UTC); an entry belongs to one consultation; a text of
 * exactly its limit taken, an entry without what a row needs refused
 * (SV_ERR_TOOBIG) and nothing stored; the lead and
 * the reason kept only where they mean something; the CSV and JSON
 * evidence (export/decisions.c) formula-safe; a public page published,
 * withdrawn and read back with its day; one entry changed from two stores
 * at once (as two servers on PostgreSQL, two processes on SQLite):
 * every change saved and audit-logged, the entry left as one of them whole,
 * the log complete and in each one's order; and migration 22 on a database
 * of schema 20 (SQLite only).  Runs on PostgreSQL too (tests/pg/pg.sh,
 * check_store_open).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../core/store.h"
#include "../../export/export.h"
#include "check.h"
#include "check_db.h"

#define CONS "cyp-plan-2027"
#define OTHER "other-2027"

static char dir[64];

static void today(char out[11])
{
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static struct store_decision entry(const char *consultation, int priority, const char *said)
{
	struct store_decision d;
	memset(&d, 0, sizeof d);
	snprintf(d.consultation, sizeof d.consultation, "%s", consultation);
	d.priority = priority;
	snprintf(d.said, sizeof d.said, "%s", said);
	snprintf(d.decided, sizeof d.decided, "Brighter lights");
	d.by_board = 1;
	snprintf(d.lead, sizeof d.lead, "ignored for the board");
	d.status = STORE_PLANNED;
	snprintf(d.why, sizeof d.why, "ignored unless not possible");
	snprintf(d.decided_on, sizeof d.decided_on, "2026-11-30");
	return d;
}

struct seen {
	long long ids[8];
	int n;
};

static void on_entry(void *arg, const struct store_decision *d)
{
	struct seen *s = arg;
	if (s->n < 8)
		s->ids[s->n++] = d->id;
}

static void test_log(struct store *st)
{
	struct store_decision d = entry(CONS, 5, "Somewhere to talk"), got;
	long long a = 0, b = 0, c = 0, x = 0;
	char day[11];

	today(day);
	CHECK(store_decision_add(st, &d, &a) == SV_OK && a > 0);
	d = entry(CONS, 2, "Buses at night");
	CHECK(store_decision_add(st, &d, &b) == SV_OK && b > a);
	d = entry(OTHER, 1, "Elsewhere");
	CHECK(store_decision_add(st, &d, &x) == SV_OK);
	d = entry(CONS, 2, "Knives");
	CHECK(store_decision_add(st, &d, &c) == SV_OK);

	CHECK(store_decision_get(st, CONS, a, &got) == SV_OK);
	CHECK(got.id == a && got.priority == 5 && strcmp(got.said, "Somewhere to talk") == 0);
	CHECK(strcmp(got.changed_on, day) == 0 && strcmp(got.decided_on, "2026-11-30") == 0);
	CHECK(strcmp(got.lead, "") == 0 && strcmp(got.why, "") == 0);  /* the board; not "not possible" */

	/* By priority, then id; one consultation's only. */
	struct seen s = { { 0 }, 0 };
	CHECK(store_decision_each(st, CONS, on_entry, &s) == SV_OK);
	CHECK(s.n == 3 && s.ids[0] == b && s.ids[1] == c && s.ids[2] == a);
	CHECK(store_decision_get(st, CONS, x, &got) == SV_ERR_NOTFOUND);
	CHECK(store_decision_get(st, OTHER, a, &got) == SV_ERR_NOTFOUND);

	/* A change: a lead, not possible with why. */
	d = entry(CONS, 2, "Buses at night");
	d.id = b;
	d.by_board = 0;
	snprintf(d.lead, sizeof d.lead, "Head of Transport");
	d.status = STORE_NOT_POSSIBLE;
	snprintf(d.why, sizeof d.why, "No money");
	CHECK(store_decision_update(st, &d) == SV_OK);
	CHECK(store_decision_get(st, CONS, b, &got) == SV_OK);
	CHECK(got.status == STORE_NOT_POSSIBLE && !got.by_board && strcmp(got.lead, "Head of Transport") == 0);
	CHECK(strcmp(got.why, "No money") == 0);
	/* Not across consultations, nor an entry that is not there. */
	d.id = x;
	CHECK(store_decision_update(st, &d) == SV_ERR_NOTFOUND);
	d.id = 999999;
	CHECK(store_decision_update(st, &d) == SV_ERR_NOTFOUND);

	/* Exactly the limit is taken; an entry missing what a row needs is
	 * refused before SQL, and nothing stored. */
	long long rows = 0, none = 0;
	s.n = 0;
	CHECK(store_decision_each(st, CONS, on_entry, &s) == SV_OK);
	rows = s.n;
	d = entry(CONS, 1, "");
	memset(d.said, 'x', STORE_MAX_DECISION_TEXT);
	CHECK(store_decision_add(st, &d, &none) == SV_OK);  /* exactly the limit */
	rows++;
	d = entry(CONS, 1, "ok");
	d.decided[0] = '\0';
	CHECK(store_decision_add(st, &d, &none) == SV_ERR_TOOBIG);  /* empty decided */
	d = entry(CONS, 1, "ok");
	d.status = STORE_NSTATUSES;
	CHECK(store_decision_add(st, &d, &none) == SV_ERR_TOOBIG);
	d = entry(CONS, 1, "ok");
	snprintf(d.decided_on, sizeof d.decided_on, "2026-1-1");
	CHECK(store_decision_add(st, &d, &none) == SV_ERR_TOOBIG);
	s.n = 0;
	CHECK(store_decision_each(st, CONS, on_entry, &s) == SV_OK);
	CHECK(s.n == rows);
	CHECK(strcmp(store_decision_status_name(STORE_IN_PROGRESS), "in-progress") == 0);
	CHECK(store_decision_status_name(-1) == NULL && store_decision_status_name(STORE_NSTATUSES) == NULL);
}

static void test_evidence(void)
{
	struct store_decision d[2] = { entry(CONS, 2, "=1+1"), entry(CONS, 9, "say \"hi\"") };
	struct priority prios[] = { { 2, "Keep children safe" } };
	struct taxonomy t = { .priorities = prios, .npriorities = 1 };
	struct sbuf out;

	d[0].id = 1;
	d[1].id = 2;
	snprintf(d[1].decided, sizeof d[1].decided, "@once");
	snprintf(d[0].changed_on, sizeof d[0].changed_on, "2026-12-01");
	snprintf(d[1].changed_on, sizeof d[1].changed_on, "2026-12-01");
	sbuf_init(&out, 1 << 16);
	export_decisions_csv(&t, d, 2, &out);
	CHECK(out.err == SV_OK);
	CHECK(out.buf && strstr(out.buf, "1,2,\"Keep children safe\",\"'=1+1\",\"Brighter lights\",board,") != NULL);
	CHECK(out.buf && strstr(out.buf, "2,9,\"\",\"say \"\"hi\"\"\",\"'@once\",board,") != NULL);
	sbuf_reset(&out);
	export_decisions_json(CONS, "2026-12-01", &t, d, 2, &out);
	CHECK(out.err == SV_OK);
	CHECK(out.buf && strstr(out.buf, "\"young_people_said\":\"=1+1\"") != NULL);
	CHECK(out.buf && strstr(out.buf, "\"young_people_said\":\"say \\\"hi\\\"\"") != NULL);
	sbuf_free(&out);
}

static void test_published(struct store *st)
{
	int on = 7;
	char day[11] = "x", now[11];

	today(now);
	CHECK(store_results_published(st, CONS, 0, &on, day) == SV_OK);
	CHECK(on == 0 && strcmp(day, "") == 0);
	on = 1;
	CHECK(store_results_published(st, CONS, 1, &on, day) == SV_OK && strcmp(day, now) == 0);
	on = 0;
	CHECK(store_results_published(st, CONS, 0, &on, day) == SV_OK && on == 1 && strcmp(day, now) == 0);
	CHECK(store_results_published(st, OTHER, 0, &on, NULL) == SV_OK && on == 0);
	on = 0;
	CHECK(store_results_published(st, CONS, 1, &on, NULL) == SV_OK);
	on = 1;
	CHECK(store_results_published(st, CONS, 0, &on, NULL) == SV_OK && on == 0);
	/* Only a consultation there is. */
	on = 1;
	CHECK(store_results_published(st, "no-such", 1, &on, NULL) == SV_ERR_DB);
}

/* ---- one entry changed from two stores at once ---- */

#define RACE_TRIES 50

struct changer {
	struct store *st;
	long long id;
	const char *who;          /* "ana" or "bea": the staff name audited too */
	pthread_barrier_t *go;
	int saved, audited;
};

/* Change i by who: every text says who and i, so a row mixed from two
 * changes shows. */
static struct store_decision change_by(const char *who, long long id, int i)
{
	struct store_decision d = entry(CONS, 4, "");
	d.id = id;
	snprintf(d.said, sizeof d.said, "%s %d", who, i);
	snprintf(d.decided, sizeof d.decided, "%s %d", who, i);
	d.by_board = 0;
	snprintf(d.lead, sizeof d.lead, "%s %d", who, i);
	d.status = who[0] == 'a' ? STORE_IN_PROGRESS : STORE_DONE;
	return d;
}

static void *change_many(void *arg)
{
	struct changer *c = arg;
	char detail[64];

	for (int i = 0; i < RACE_TRIES; i++) {
		struct store_decision d = change_by(c->who, c->id, i);
		pthread_barrier_wait(c->go);
		if (store_decision_update(c->st, &d) != SV_OK)
			continue;
		c->saved++;
		/* As survey-server/yousaid.c does after a change. */
		snprintf(detail, sizeof detail, CONS ": entry %lld; %s %d", c->id, c->who, i);
		c->audited += store_audit(c->st, c->who, "changed a decision", detail) == SV_OK;
	}
	return NULL;
}

struct history { long long id; int next[2], in_order, other; };

static void on_audit(void *arg, const char *at, const char *who, const char *action,
		     const char *detail)
{
	struct history *h = arg;
	char want[64];
	int k = strcmp(who, "bea") == 0;

	(void)at;
	if (strcmp(action, "changed a decision") != 0)
		return;
	snprintf(want, sizeof want, CONS ": entry %lld; %s %d", h->id, who, h->next[k]);
	if (strcmp(detail, want) == 0)
		h->next[k]++;
	else if (strncmp(detail, want, strlen(CONS)) == 0)
		h->in_order = 0;
	else
		h->other++;
}

static void test_race(struct store *st)
{
	struct store *other = NULL;
	struct store_decision d = entry(CONS, 4, "Raced"), got;
	pthread_barrier_t go;
	struct changer c[2];
	pthread_t t[2];
	long long id = 0;

	/* A second store on the same database, as a second server opens it
	 * (on SQLite: as a second process on the same file would). */
	CHECK((check_on_postgres() ? store_open_url(dir, getenv("YV_TEST_DB"), &other) :
	       store_open(dir, &other)) == SV_OK);
	CHECK(store_decision_add(st, &d, &id) == SV_OK && id > 0);
	pthread_barrier_init(&go, NULL, 2);
	c[0] = (struct changer){ st, id, "ana", &go, 0, 0 };
	c[1] = (struct changer){ other ? other : st, id, "bea", &go, 0, 0 };
	for (int i = 0; i < 2; i++)
		CHECK(pthread_create(&t[i], NULL, change_many, &c[i]) == 0);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&go);

	/* Every change saved, and audit-logged. */
	CHECK(c[0].saved == RACE_TRIES && c[1].saved == RACE_TRIES);
	CHECK(c[0].audited == RACE_TRIES && c[1].audited == RACE_TRIES);
	/* The entry is one of the two last changes, whole. */
	CHECK(store_decision_get(other ? other : st, CONS, id, &got) == SV_OK);
	struct store_decision last[2] = { change_by("ana", id, RACE_TRIES - 1),
					  change_by("bea", id, RACE_TRIES - 1) };
	int k = got.said[0] == 'b';
	CHECK(strcmp(got.said, last[k].said) == 0 && strcmp(got.decided, last[k].decided) == 0 &&
	      strcmp(got.lead, last[k].lead) == 0 && got.status == last[k].status && !got.by_board);
	/* The history: each one's changes, all there, in its order. */
	struct history h = { id, { 0, 0 }, 1, 0 };
	CHECK(store_audit_each(st, on_audit, &h) == SV_OK);
	CHECK(h.next[0] == RACE_TRIES && h.next[1] == RACE_TRIES && h.in_order && h.other == 0);
	store_close(other);
}

/* Migration 22 on SQLite's schema 20 (SQLite only: PostgreSQL starts at
 * the baseline, docs/postgresql.md). */
#define MIGRATE_22_CHECKS 4

static void test_migrate_22(void)
{
	struct store *st = NULL;
	long long id = 0;

	CHECK(check_db_exec(dir, "DROP TABLE decisions; DROP TABLE results_public; PRAGMA user_version = 20;") == 0);
	CHECK(store_open(dir, &st) == SV_OK);
	if (!st)
		return;
	struct store_decision d = entry(CONS, 3, "After the upgrade");
	CHECK(store_decision_add(st, &d, &id) == SV_OK && id == 1);
	int on = 1;
	CHECK(store_results_published(st, CONS, 1, &on, NULL) == SV_OK);
	store_close(st);
}

int main(void)
{
	struct store *st = NULL;

	snprintf(dir, sizeof dir, "/tmp/yv-decisions-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	int opened = check_store_open(dir, &st) == SV_OK;
	CHECK(opened && store_consultation_put(st, CONS, "Plan", "{}") == SV_OK &&
	      store_consultation_put(st, OTHER, "Other", "{}") == SV_OK);
	if (opened) {
		test_log(st);
		test_published(st);
		test_race(st);
	}
	store_close(st);
	test_evidence();
	if (check_on_postgres()) {
		printf("# PostgreSQL: %d checks are SQLite-only and not run here"
		       " (migration 22 on a schema-20 file)\n", MIGRATE_22_CHECKS);
	} else if (opened) {
		int before = check_passed + check_failed;
		test_migrate_22();
		CHECK(check_passed + check_failed - before == MIGRATE_22_CHECKS);
	}
	check_remove_dir(dir);
	return CHECK_DONE();
}
