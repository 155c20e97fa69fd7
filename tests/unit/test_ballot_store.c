/*
 * test_ballot_store.c - core/store's youth ballot (store_ballot.c, schema
 * 24; docs/ballot.md), on SQLite and, when YV_TEST_DB names one
 * (tests/pg/pg.sh), on PostgreSQL: paper returns entered twice counted
 * once, a setting once, corrected, locked refuses, votes above the papers
 * returned refused; online votes counted with the response; an import
 * replaced whole.  Two stores on one database, as two servers, racing
 * (2 threads x RACES tries; on SQLite two threads of one store, as one
 * file has one server): the same return sent to both at once is
 * stored once; a return locked on one cannot be corrected from the other
 * once the lock has returned, and a correction that won the race is the
 * one the locked return keeps, whole (its row and its votes); imports sent to both leave one import
 * whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/store.h"
#include "check.h"
#include "check_db.h"
#include "check_race.h"

#define RACES 50

static char dir[64];

struct counts {
	long long v[STORE_BALLOT_NSOURCES][4]; /* source, rank: for issue "mental-health" */
	long long other;                         /* any other issue, any source */
};

static void on_count(void *arg, enum store_ballot_source source, const char *issue, int rank,
		     long long count)
{
	struct counts *c = arg;

	if (strcmp(issue, "mental-health") == 0 && rank >= 1 && rank <= 3)
		c->v[source][rank] += count;
	else
		c->other += count;
}

static struct counts counts_of(struct store *st, const char *survey)
{
	struct counts c;

	memset(&c, 0, sizeof c);
	CHECK(store_ballot_counts(st, survey, on_count, &c) == SV_OK);
	return c;
}

static struct store_ballot_return paper(const char *setting, long long out, long long back,
					long long mh, long long food)
{
	struct store_ballot_return r;

	memset(&r, 0, sizeof r);
	snprintf(r.survey, sizeof r.survey, "youth-ballot");
	snprintf(r.setting, sizeof r.setting, "%s", setting);
	snprintf(r.who, sizeof r.who, "sam");
	r.handed_out = out;
	r.returned = back;
	r.nissues = 2;
	snprintf(r.issues[0], sizeof r.issues[0], "mental-health");
	snprintf(r.issues[1], sizeof r.issues[1], "food");
	r.votes[0] = mh;
	r.votes[1] = food;
	return r;
}

static int nreturns;
static void on_return(void *arg, const struct store_ballot_return *r)
{
	(void)arg;
	(void)r;
	nreturns++;
}

static void test_store(void)
{
	struct store *st = NULL;
	long long id = 0, again = 0;
	int replay = 0;

	if (check_store_open(dir, &st) != SV_OK) {
		CHECK(!"the store opens");
		return;
	}
	CHECK(store_consultation_put(st, "cyp-plan-2027", "Plan", "{}") == SV_OK);
	struct store_ballot_return r = paper("Northvale Academy", 120, 97, 40, 30);
	CHECK(store_ballot_return_add(st, &r, "key-1", &id, &replay) == SV_OK);
	CHECK(id > 0 && !replay);
	/* The same form sent twice: one return, counted once. */
	CHECK(store_ballot_return_add(st, &r, "key-1", &again, &replay) == SV_OK);
	CHECK(again == id && replay == 1);
	struct counts c = counts_of(st, "youth-ballot");
	CHECK(c.v[STORE_BALLOT_PAPER][1] == 40);
	CHECK(c.other == 30);
	/* A second return for the same setting, from another form: refused. */
	CHECK(store_ballot_return_add(st, &r, "key-2", &again, &replay) == SV_ERR_EXISTS);
	CHECK(again == 0 && replay == 0);
	/* More votes than papers returned, more returned than handed out. */
	struct store_ballot_return over = paper("Southbank Youth Club", 20, 10, 8, 5);
	CHECK(store_ballot_return_add(st, &over, "key-3", &again, &replay) == SV_ERR_INVALID);
	over = paper("Southbank Youth Club", 20, 25, 8, 5);
	CHECK(store_ballot_return_add(st, &over, "key-3", &again, &replay) == SV_ERR_INVALID);
	struct store_ballot_return youth = paper("Southbank Youth Club", 20, 14, 8, 5);
	CHECK(store_ballot_return_add(st, &youth, "key-3", &again, &replay) == SV_OK);
	c = counts_of(st, "youth-ballot");
	CHECK(c.v[STORE_BALLOT_PAPER][1] == 48);
	/* Corrected: replaced, never added. */
	r.id = id;
	r.votes[0] = 41;
	snprintf(r.who, sizeof r.who, "alex");
	CHECK(store_ballot_return_update(st, &r) == SV_OK);
	CHECK(store_ballot_return_update(st, &r) == SV_OK);
	c = counts_of(st, "youth-ballot");
	CHECK(c.v[STORE_BALLOT_PAPER][1] == 49);
	struct store_ballot_return got;
	CHECK(store_ballot_return_get(st, "youth-ballot", id, &got) == SV_OK);
	CHECK(got.returned == 97 && got.handed_out == 120 && got.nissues == 2 && !got.locked);
	CHECK_STR(got.who, "alex");
	/* Renamed onto another return's setting: refused. */
	struct store_ballot_return clash = r;
	snprintf(clash.setting, sizeof clash.setting, "Southbank Youth Club");
	CHECK(store_ballot_return_update(st, &clash) == SV_ERR_EXISTS);
	/* Locked: a correction is refused and changes nothing. */
	CHECK(store_ballot_return_lock(st, "youth-ballot", id, 1) == SV_OK);
	r.votes[0] = 1;
	CHECK(store_ballot_return_update(st, &r) == SV_ERR_EXISTS);
	c = counts_of(st, "youth-ballot");
	CHECK(c.v[STORE_BALLOT_PAPER][1] == 49);
	CHECK(store_ballot_return_get(st, "youth-ballot", id, &got) == SV_OK && got.locked == 1);
	CHECK(store_ballot_return_lock(st, "youth-ballot", 9999, 1) == SV_ERR_NOTFOUND);
	CHECK(store_ballot_return_lock(st, "other-survey", id, 1) == SV_ERR_NOTFOUND);
	r.id = 9999;
	CHECK(store_ballot_return_update(st, &r) == SV_ERR_NOTFOUND);
	nreturns = 0;
	CHECK(store_ballot_return_each(st, "youth-ballot", on_return, NULL) == SV_OK);
	CHECK(nreturns == 2);

	/* Online votes are counted with their response. */
	static const struct store_vote votes[] = { { "issues", "mental-health", 1 },
						   { "issues", "food", 2 } };
	static const unsigned char sealed[48] = { 1 };
	struct store_response resp = { .consultation = "cyp-plan-2027", .survey = "youth-ballot",
				       .day = "2026-12-01", .key_id = "k", .sealed = sealed,
				       .sealed_len = sizeof sealed, .votes = votes, .nvotes = 2 };
	CHECK(store_response_insert(st, &resp) == SV_OK);
	CHECK(store_response_insert(st, &resp) == SV_OK);
	c = counts_of(st, "youth-ballot");
	CHECK(c.v[STORE_BALLOT_ONLINE][1] == 2);
	CHECK(c.v[STORE_BALLOT_ONLINE][2] == 0);

	/* An import replaces the one before, whole. */
	const char *issues[] = { "mental-health", "food" };
	long long iv[] = { 1204, 264 };
	CHECK(store_ballot_import(st, "youth-ballot", issues, iv, 2, "commissioner") == SV_OK);
	CHECK(store_ballot_import(st, "youth-ballot", issues, iv, 1, "commissioner") == SV_OK);
	c = counts_of(st, "youth-ballot");
	CHECK(c.v[STORE_BALLOT_IMPORT][1] == 1204);
	long long toomany[] = { STORE_MAX_IMPORT_VOTES + 1 };
	CHECK(store_ballot_import(st, "youth-ballot", issues, toomany, 1, "c") == SV_ERR_INVALID);
	c = counts_of(st, "youth-ballot");
	CHECK(c.v[STORE_BALLOT_IMPORT][1] == 1204);
	store_close(st);
}


/* ---- two stores on one database ---- */

/* One side of a race: its store, and what each try gave. */
struct side {
	struct check_side c;        /* first */
	enum sv_err rc[RACES];
	long long id[RACES];
	int replay[RACES];
	int late_ok;                /* corrections that passed after the lock had returned */
	int errors;                 /* results that are none of those allowed */
};

/* The same form (key race-N) sent to both stores at once. */
static void *send_twice(void *arg)
{
	struct side *s = arg;
	char key[32], setting[32];

	for (int i = 0; i < RACES; i++) {
		snprintf(key, sizeof key, "race-%d", i);
		snprintf(setting, sizeof setting, "Race school %d", i);
		struct store_ballot_return r = paper(setting, 10, 5, 1, 2);
		snprintf(r.survey, sizeof r.survey, "race-ballot");
		pthread_barrier_wait(s->c.start);
		s->rc[i] = store_ballot_return_add(s->c.st, &r, key, &s->id[i], &s->replay[i]);
	}
	return NULL;
}

static long long lock_ids[RACES];
static int lock_done[RACES];   /* set (atomically) once the lock has returned */

/* Side 0 locks return N; side 1 corrects it until it is refused. */
static void *lock_or_correct(void *arg)
{
	struct side *s = arg;

	for (int i = 0; i < RACES; i++) {
		char setting[32];
		snprintf(setting, sizeof setting, "Lock school %d", i);
		pthread_barrier_wait(s->c.start);
		if (s->c.which == 0) {
			s->rc[i] = store_ballot_return_lock(s->c.st, "lock-ballot", lock_ids[i], 1);
			__atomic_store_n(&lock_done[i], 1, __ATOMIC_SEQ_CST);
			continue;
		}
		s->rc[i] = SV_ERR_DB;
		for (int n = 0; n < 2000; n++) {
			struct store_ballot_return r = paper(setting, 10, 5, 3, 2);
			snprintf(r.survey, sizeof r.survey, "lock-ballot");
			snprintf(r.who, sizeof r.who, "corrector");
			r.id = lock_ids[i];
			int after = __atomic_load_n(&lock_done[i], __ATOMIC_SEQ_CST);
			enum sv_err rc = store_ballot_return_update(s->c.st, &r);
			if (rc == SV_OK) {
				s->id[i] = 1; /* a correction was stored */
				s->late_ok += after;
				continue;
			}
			if (rc != SV_ERR_EXISTS)
				s->errors++;
			s->rc[i] = rc;
			break;
		}
	}
	return NULL;
}

/* Two imports of different sizes sent to both stores at once. */
static void *import_twice(void *arg)
{
	struct side *s = arg;
	const char *issues[] = { "mental-health", "food", "jobs" };
	long long votes[] = { 100 + s->c.which, 200, 300 };

	for (int i = 0; i < RACES; i++) {
		pthread_barrier_wait(s->c.start);
		s->rc[i] = store_ballot_import(s->c.st, "import-ballot", issues, votes, 2 + s->c.which, "c");
	}
	return NULL;
}

struct import_seen { long long mh; int rows; };

static void on_import(void *arg, enum store_ballot_source source, const char *issue, int rank,
		      long long count)
{
	struct import_seen *s = arg;

	(void)rank;
	if (source != STORE_BALLOT_IMPORT)
		return;
	s->rows++;
	if (strcmp(issue, "mental-health") == 0)
		s->mh = count;
}

static void test_races(void)
{
	struct store *st = NULL, *other = NULL;
	static struct side s[2];

	if (check_store_open(dir, &st) != SV_OK) {
		CHECK(!"the store opens");
		return;
	}
	other = check_other_store(dir, st);
	if (!other) {
		store_close(st);
		return;
	}

	/* The same return sent to two servers at once: stored once. */
	check_race(st, other, send_twice, s, sizeof *s);
	int stored = 0, replays = 0, same = 0;
	for (int i = 0; i < RACES; i++) {
		stored += s[0].rc[i] == SV_OK && !s[0].replay[i];
		stored += s[1].rc[i] == SV_OK && !s[1].replay[i];
		replays += s[0].rc[i] == SV_OK && s[0].replay[i];
		replays += s[1].rc[i] == SV_OK && s[1].replay[i];
		same += s[0].id[i] > 0 && s[0].id[i] == s[1].id[i];
	}
	CHECK(stored == RACES);
	CHECK(replays == RACES);
	CHECK(same == RACES);
	nreturns = 0;
	CHECK(store_ballot_return_each(other, "race-ballot", on_return, NULL) == SV_OK);
	CHECK(nreturns == RACES);
	struct counts c = counts_of(st, "race-ballot");
	CHECK(c.v[STORE_BALLOT_PAPER][1] == RACES);
	CHECK(c.other == 2 * RACES);

	/* Locked on one server: from then on never corrected from the other. */
	long long id = 0;
	int replay = 0, added = 0;
	for (int i = 0; i < RACES; i++) {
		char key[32], setting[32];
		snprintf(key, sizeof key, "lock-%d", i);
		snprintf(setting, sizeof setting, "Lock school %d", i);
		struct store_ballot_return r = paper(setting, 10, 5, 1, 1);
		snprintf(r.survey, sizeof r.survey, "lock-ballot");
		added += store_ballot_return_add(st, &r, key, &id, &replay) == SV_OK && !replay;
		lock_ids[i] = id;
		lock_done[i] = 0;
	}
	CHECK(added == RACES);
	check_race(st, other, lock_or_correct, s, sizeof *s);
	int locked = 0, refused = 0, kept = 0;
	for (int i = 0; i < RACES; i++) {
		struct store_ballot_return got;
		locked += s[0].rc[i] == SV_OK;
		refused += s[1].rc[i] == SV_ERR_EXISTS;
		/* Locked with whatever correction won the race, whole. */
		if (store_ballot_return_get(other, "lock-ballot", lock_ids[i], &got) == SV_OK &&
		    got.locked && strcmp(got.who, s[1].id[i] ? "corrector" : "sam") == 0 && got.nissues == 2 && strcmp(got.issues[0], "food") == 0 &&
		    got.votes[0] == (s[1].id[i] ? 2 : 1) && got.votes[1] == (s[1].id[i] ? 3 : 1))
			kept++;
	}
	CHECK(locked == RACES);
	CHECK(refused == RACES);
	CHECK(s[1].late_ok == 0);
	CHECK(s[1].errors == 0);
	CHECK(kept == RACES);

	/* Imports sent to both at once: one of them, whole. */
	check_race(st, other, import_twice, s, sizeof *s);
	int ok = 0;
	for (int i = 0; i < RACES; i++)
		ok += (s[0].rc[i] == SV_OK) + (s[1].rc[i] == SV_OK);
	CHECK(ok == 2 * RACES);
	struct import_seen seen = { 0, 0 };
	CHECK(store_ballot_counts(st, "import-ballot", on_import, &seen) == SV_OK);
	CHECK((seen.mh == 100 && seen.rows == 2) || (seen.mh == 101 && seen.rows == 3));

	if (other != st)
		store_close(other);
	store_close(st);
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/yv-ballot-store-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_store();
	test_races();
	check_remove_dir(dir);
	printf("# %s\n", check_on_postgres() ? "PostgreSQL" : "SQLite");
	return CHECK_DONE();
}
