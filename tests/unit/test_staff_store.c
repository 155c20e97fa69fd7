/*
 * test_staff_store.c - core/store's staff side (store_staff.c): accounts
 * (a taken name is SV_ERR_EXISTS, an unknown one SV_ERR_NOTFOUND), sessions
 * (found within the idle time, forgotten after it, ended, tidied after a
 * day), the append-only audit log in order, marketplace events and their
 * options in stall order, and tally changes: +1, -1, a set total, refusals
 * that store nothing (below zero, an option not at the event, a closed
 * event), a replayed client id that counts once, and the consultation's
 * marketplace counters moving with every change.  An event deleted on one
 * server while a tap for it arrives at another: one of the two is refused,
 * never both done.
 *
 * On SQLite, or on PostgreSQL when YV_TEST_DB names one (tests/pg/pg.sh);
 * test_migrate_11 (SQLite's schema 10, its file's free space) runs on
 * SQLite only, and says so on PostgreSQL.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../core/limits.h"
#include "../../core/store.h"
#include "check.h"
#include "check_db.h"

#define CONS "cyp-plan-2027"
#define HASH "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g"
#define T0 1700000000LL     /* a fixed "now" for sessions */
#define IDLE 7200LL
#define LIFE 43200LL       /* the absolute lifetime, as LIMIT_SESSION_LIFE */

static char dir[64];

/* One integer from a query on a second connection; -1 if it failed. */
static long long query_int(const char *sql)
{
	return check_sql_number(dir, sql);
}

static long long tally_rows(void)
{
	return query_int("SELECT count(*) FROM tally_changes");
}

/* ---- accounts ---- */

static void test_users(struct store *st)
{
	struct store_user u;

	CHECK(store_user_add(st, "alice", STORE_YOUTH_WORKER, HASH) == SV_OK);
	CHECK(store_user_add(st, "carol", STORE_COMMISSIONER, HASH) == SV_OK);
	CHECK(store_user_add(st, "dan", STORE_ADMIN, HASH "x") == SV_OK);
	CHECK(store_user_get(st, "alice", &u) == SV_OK);
	CHECK(u.id > 0);
	CHECK_STR(u.name, "alice");
	CHECK(u.role == STORE_YOUTH_WORKER);
	CHECK_STR(u.password, HASH);
	long long alice = u.id;
	CHECK(store_user_get(st, "carol", &u) == SV_OK);
	CHECK(u.role == STORE_COMMISSIONER);
	CHECK(u.id != alice);
	CHECK(store_user_get(st, "dan", &u) == SV_OK);
	CHECK(u.role == STORE_ADMIN);
	CHECK_STR(u.password, HASH "x");

	/* A taken name, whatever the role, is refused and changes nothing. */
	CHECK(store_user_add(st, "alice", STORE_ADMIN, "other") == SV_ERR_EXISTS);
	CHECK(store_user_get(st, "alice", &u) == SV_OK);
	CHECK(u.role == STORE_YOUTH_WORKER);
	CHECK_STR(u.password, HASH);
	CHECK(u.id == alice);
	CHECK(query_int("SELECT count(*) FROM users") == 3);

	/* Names match exactly. */
	CHECK(store_user_get(st, "nobody", &u) == SV_ERR_NOTFOUND);
	CHECK(u.id == 0 && u.name[0] == '\0' && u.password[0] == '\0');
	CHECK(store_user_get(st, "Alice", &u) == SV_ERR_NOTFOUND);
	CHECK(store_user_get(st, "alice ", &u) == SV_ERR_NOTFOUND);
	CHECK(store_user_get(st, "", &u) == SV_ERR_NOTFOUND);

	/* A role outside 1..3 is not stored. */
	CHECK(store_user_add(st, "eve", (enum store_role)4, HASH) != SV_OK);
	CHECK(store_user_get(st, "eve", &u) == SV_ERR_NOTFOUND);
}

/* ---- sessions ---- */

static void test_sessions(struct store *st)
{
	struct store_user alice, u;
	char csrf[65];
	const char *h1 = "1111111111111111111111111111111111111111111111111111111111111111";
	const char *h2 = "2222222222222222222222222222222222222222222222222222222222222222";
	const char *h3 = "3333333333333333333333333333333333333333333333333333333333333333";
	const char *h4 = "4444444444444444444444444444444444444444444444444444444444444444";
	const char *c1 = "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1";

	CHECK(LIFE == LIMIT_SESSION_LIFE && IDLE == LIMIT_SESSION_IDLE && LIFE > IDLE);
	CHECK(store_user_get(st, "alice", &alice) == SV_OK);
	CHECK(store_session_add(st, h1, alice.id, c1, T0) == SV_OK);
	/* The same id twice is refused. */
	CHECK(store_session_add(st, h1, alice.id, "other", T0) != SV_OK);

	CHECK(store_session_get(st, h1, T0 + 30, IDLE, LIFE, &u, csrf) == SV_OK);
	CHECK_STR(u.name, "alice");
	CHECK(u.id == alice.id);
	CHECK(u.role == STORE_YOUTH_WORKER);
	CHECK_STR(csrf, c1);
	/* Exactly the idle time after its last use is still within it ... */
	CHECK(store_session_get(st, h1, T0 + IDLE, IDLE, LIFE, &u, csrf) == SV_OK);
	CHECK_STR(csrf, c1);
	/* ... and that use counts: another idle time on, it is still there. */
	CHECK(store_session_get(st, h1, T0 + 2 * IDLE, IDLE, LIFE, &u, csrf) == SV_OK);
	CHECK_STR(u.name, "alice");

	/* Unused for longer than the idle time: not found, and forgotten. */
	CHECK(store_session_get(st, h1, T0 + 3 * IDLE + 1, IDLE, LIFE, &u, csrf) == SV_ERR_NOTFOUND);
	CHECK(u.id == 0 && u.name[0] == '\0');
	CHECK(csrf[0] == '\0');
	CHECK(query_int("SELECT count(*) FROM sessions WHERE id = '"
			"1111111111111111111111111111111111111111111111111111111111111111'") == 0);
	CHECK(store_session_get(st, h1, T0 + 2 * IDLE + 10, IDLE, LIFE, &u, csrf) == SV_ERR_NOTFOUND);

	/* A session used every few minutes, as a page that refreshes itself
	 * uses it, ends all the same once its lifetime since sign-in is up. */
	const char *h5 = "5555555555555555555555555555555555555555555555555555555555555555";
	CHECK(store_session_add(st, h5, alice.id, "c5", T0) == SV_OK);
	long long t = T0;
	for (; t <= T0 + LIFE; t += 300)
		CHECK(store_session_get(st, h5, t, IDLE, LIFE, &u, csrf) == SV_OK);
	CHECK(store_session_get(st, h5, T0 + LIFE + 1, IDLE, LIFE, &u, csrf) == SV_ERR_NOTFOUND);
	CHECK(u.id == 0 && csrf[0] == '\0');
	/* ... and is forgotten: a later look, even with a long lifetime, finds nothing. */
	CHECK(store_session_get(st, h5, T0 + LIFE + 2, IDLE, 10 * LIFE, &u, csrf) == SV_ERR_NOTFOUND);
	CHECK(query_int("SELECT count(*) FROM sessions WHERE id LIKE '5555%'") == 0);
	/* Its creation time is what counts, not its last use: one made up to
	 * have started long ago is refused at once. */
	CHECK(store_session_add(st, h5, alice.id, "c5", T0) == SV_OK);
	CHECK(check_sql_exec(dir, "UPDATE sessions SET created = created - 43201 WHERE id LIKE '5555%'") == 0);
	CHECK(store_session_get(st, h5, T0 + 1, IDLE, LIFE, &u, csrf) == SV_ERR_NOTFOUND);

	/* An unknown id. */
	CHECK(store_session_get(st, h2, T0, IDLE, LIFE, &u, csrf) == SV_ERR_NOTFOUND);
	CHECK(csrf[0] == '\0');

	/* Ending one. */
	CHECK(store_session_add(st, h2, alice.id, "c2", T0) == SV_OK);
	CHECK(store_session_add(st, h3, alice.id, "c3", T0) == SV_OK);
	CHECK(store_session_get(st, h2, T0 + 1, IDLE, LIFE, &u, csrf) == SV_OK);
	/* Its role, read without touching it (the analysis checks its holder). */
	int role = -1;
	CHECK(store_session_role(st, h2, &role) == SV_OK && role == STORE_YOUTH_WORKER);
	CHECK(store_session_end(st, h2) == SV_OK);
	CHECK(store_session_role(st, h2, &role) == SV_OK && role == 0);
	CHECK(store_session_get(st, h2, T0 + 2, IDLE, LIFE, &u, csrf) == SV_ERR_NOTFOUND);
	/* ... leaves the others. */
	CHECK(store_session_get(st, h3, T0 + 2, IDLE, LIFE, &u, csrf) == SV_OK);
	CHECK_STR(csrf, "c3");

	/* A session for no account is not stored. */
	CHECK(store_session_add(st, h4, 999999, "c4", T0) != SV_OK);
	CHECK(store_session_get(st, h4, T0, IDLE, LIFE, &u, csrf) == SV_ERR_NOTFOUND);

	/* Starting a session tidies those unused for a day. */
	CHECK(store_session_add(st, h4, alice.id, "c4", T0 + 86400 + 100) == SV_OK);
	CHECK(query_int("SELECT count(*) FROM sessions") == 1);
	/* (So even a very long idle time no longer finds the old one.) */
	CHECK(store_session_get(st, h3, T0 + 3, 1000000, 1000000, &u, csrf) == SV_ERR_NOTFOUND);
	CHECK(store_session_end(st, h4) == SV_OK);
	CHECK(query_int("SELECT count(*) FROM sessions") == 0);
	/* The table holds the ids it was given (hashes), nothing else of ours. */
	CHECK(query_int("SELECT count(*) FROM sessions WHERE length(id) != 64") == 0);
}

/* ---- audit ---- */

struct audit_rows {
	char who[8][32];
	char action[8][48];
	char detail[8][64];
	char at[8][32];
	int n;
};

static void on_audit(void *arg, const char *at, const char *who, const char *action,
		     const char *detail)
{
	struct audit_rows *a = arg;

	if (a->n < 8) {
		snprintf(a->at[a->n], sizeof a->at[0], "%s", at ? at : "(null)");
		snprintf(a->who[a->n], sizeof a->who[0], "%s", who ? who : "(null)");
		snprintf(a->action[a->n], sizeof a->action[0], "%s", action ? action : "(null)");
		snprintf(a->detail[a->n], sizeof a->detail[0], "%s", detail ? detail : "(null)");
	}
	a->n++;
}

static int at_is_minute(const char *at)
{
	/* YYYY-MM-DDTHH:MMZ: to the minute, no seconds. */
	static const char shape[] = "dddd-dd-ddTdd:ddZ";
	if (strlen(at) != sizeof shape - 1)
		return 0;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !(at[i] >= '0' && at[i] <= '9') : at[i] != shape[i])
			return 0;
	return 1;
}

static void test_audit(struct store *st)
{
	struct audit_rows a;

	memset(&a, 0, sizeof a);
	CHECK(store_audit_each(st, on_audit, &a) == SV_OK);
	CHECK(a.n == 0);

	CHECK(store_audit(st, "alice", "signed in", "") == SV_OK);
	CHECK(store_audit(st, "carol", "exported the themes table", CONS) == SV_OK);
	CHECK(store_audit(st, "alice", "started an event", "event 1: Fair") == SV_OK);
	memset(&a, 0, sizeof a);
	CHECK(store_audit_each(st, on_audit, &a) == SV_OK);
	CHECK(a.n == 3);
	CHECK_STR(a.who[0], "alice");
	CHECK_STR(a.action[0], "signed in");
	CHECK_STR(a.detail[0], "");
	CHECK_STR(a.who[1], "carol");
	CHECK_STR(a.action[1], "exported the themes table");
	CHECK_STR(a.detail[1], CONS);
	CHECK_STR(a.action[2], "started an event");
	CHECK_STR(a.detail[2], "event 1: Fair");
	CHECK(at_is_minute(a.at[0]));
	CHECK(at_is_minute(a.at[2]));

	/* Append-only, even to a second connection. */
	CHECK(check_sql_exec(dir, "UPDATE audit SET who = 'x'") != 0);
	CHECK(check_sql_exec(dir, "DELETE FROM audit") != 0);
	CHECK(check_sql_exec(dir, "DELETE FROM audit WHERE id = 1") != 0);
	CHECK(query_int("SELECT count(*) FROM audit") == 3);
	CHECK(query_int("SELECT count(*) FROM audit WHERE who = 'x'") == 0);
}

/* ---- events ---- */

struct option_rows {
	int priority[16];
	char theme[16][32];
	long long count[16];
	int n;
};

static void on_option(void *arg, int priority, const char *theme, long long count)
{
	struct option_rows *o = arg;

	if (o->n < 16) {
		o->priority[o->n] = priority;
		snprintf(o->theme[o->n], sizeof o->theme[0], "%s", theme);
		o->count[o->n] = count;
	}
	o->n++;
}

/* The count of one option, or -1 if the event does not list it. */
static long long option_count(struct store *st, long long event, int priority, const char *theme)
{
	struct option_rows o;

	memset(&o, 0, sizeof o);
	if (store_event_options(st, event, on_option, &o) != SV_OK)
		return -2;
	for (int i = 0; i < o.n && i < 16; i++)
		if (o.priority[i] == priority && strcmp(o.theme[i], theme) == 0)
			return o.count[i];
	return -1;
}

struct event_rows {
	long long id[8];
	char name[8][STORE_MAX_EVENT_NAME + 1];
	int closed[8];
	int n;
};

static void on_event(void *arg, const struct store_event *e)
{
	struct event_rows *r = arg;

	if (r->n < 8) {
		r->id[r->n] = e->id;
		snprintf(r->name[r->n], sizeof r->name[0], "%s", e->name);
		r->closed[r->n] = e->closed;
	}
	r->n++;
}

/* Stalls given out of order: the store lists them by priority, then as given. */
static const int fair_prios[] = { 5, 2, 5, 2, 2 };
static const char *const fair_themes[] = {
	"sport-activity", "online-safety", "someone-to-talk-to", "someone-to-talk-to", "bullying"
};

static void test_events(struct store *st, long long *fair, long long *winter)
{
	struct store_event e;
	struct event_rows r;
	struct option_rows o;

	*fair = *winter = 0;
	CHECK(store_event_add(st, CONS, "Summer fair", "2027-06-01", fair_prios, fair_themes, 5,
			      fair) == SV_OK);
	CHECK(*fair > 0);
	CHECK(store_event_get(st, *fair, &e) == SV_OK);
	CHECK(e.id == *fair);
	CHECK_STR(e.name, "Summer fair");
	CHECK_STR(e.day, "2027-06-01");
	CHECK_STR(e.consultation, CONS);
	CHECK(e.closed == 0);

	memset(&o, 0, sizeof o);
	CHECK(store_event_options(st, *fair, on_option, &o) == SV_OK);
	CHECK(o.n == 5);
	CHECK(o.priority[0] == 2);
	CHECK_STR(o.theme[0], "online-safety");
	CHECK(o.priority[1] == 2);
	CHECK_STR(o.theme[1], "someone-to-talk-to");
	CHECK(o.priority[2] == 2);
	CHECK_STR(o.theme[2], "bullying");
	CHECK(o.priority[3] == 5);
	CHECK_STR(o.theme[3], "sport-activity");
	CHECK(o.priority[4] == 5);
	CHECK_STR(o.theme[4], "someone-to-talk-to");
	CHECK(o.count[0] == 0 && o.count[1] == 0 && o.count[2] == 0 && o.count[3] == 0 &&
	      o.count[4] == 0);

	static const int w_prios[] = { 2 };
	static const char *const w_themes[] = { "online-safety" };
	CHECK(store_event_add(st, CONS, "Winter \"market\" <1>", "2027-12-01", w_prios, w_themes, 1,
			      winter) == SV_OK);
	CHECK(*winter > *fair);
	/* Newest day first. */
	memset(&r, 0, sizeof r);
	CHECK(store_event_each(st, on_event, &r) == SV_OK);
	CHECK(r.n == 2);
	CHECK(r.id[0] == *winter);
	CHECK_STR(r.name[0], "Winter \"market\" <1>");
	CHECK(r.id[1] == *fair);

	/* Unknown events. */
	CHECK(store_event_get(st, 999999, &e) == SV_ERR_NOTFOUND);
	memset(&o, 0, sizeof o);
	CHECK(store_event_options(st, 999999, on_option, &o) == SV_OK);
	CHECK(o.n == 0);

	/* Refused events store nothing, not even their options. */
	long long bad = 0;
	long long options_before = query_int("SELECT count(*) FROM event_options");
	CHECK(store_event_add(st, "no-such-consultation", "X", "2027-01-01", w_prios, w_themes, 1,
			      &bad) != SV_OK);
	CHECK(store_event_add(st, CONS, "Y", "2027-1-1", w_prios, w_themes, 1, &bad) != SV_OK);
	static const int dup_prios[] = { 2, 2 };
	static const char *const dup_themes[] = { "online-safety", "online-safety" };
	CHECK(store_event_add(st, CONS, "Z", "2027-01-01", dup_prios, dup_themes, 2, &bad) != SV_OK);
	memset(&r, 0, sizeof r);
	CHECK(store_event_each(st, on_event, &r) == SV_OK);
	CHECK(r.n == 2);
	CHECK(query_int("SELECT count(*) FROM event_options") == options_before);
	CHECK(options_before == 6);
}

/* ---- tallies ---- */

/* The consultation's marketplace counters (and, to see they stay, survey). */
struct market {
	long long theme[4];        /* online-safety, someone-to-talk-to, bullying, sport-activity */
	long long survey_themes;
	long long prio[8];
	long long survey_prios;
};

static const char *const market_themes[4] = {
	"online-safety", "someone-to-talk-to", "bullying", "sport-activity"
};

static void on_theme(void *arg, const char *theme, enum store_source source, long long count)
{
	struct market *m = arg;

	if (source != STORE_MARKETPLACE) {
		m->survey_themes += count;
		return;
	}
	for (int i = 0; i < 4; i++)
		if (strcmp(theme, market_themes[i]) == 0)
			m->theme[i] += count;
}

static void on_priority(void *arg, int priority, enum store_source source, long long count)
{
	struct market *m = arg;

	if (source != STORE_MARKETPLACE)
		m->survey_prios += count;
	else if (priority >= 0 && priority < 8)
		m->prio[priority] += count;
}

/* Tokens per (stall, theme), added up per theme over its stalls. */
static void on_market(void *arg, int priority, const char *theme, long long count)
{
	struct market *m = arg;

	(void)priority;
	for (int i = 0; i < 4; i++)
		if (strcmp(theme, market_themes[i]) == 0)
			m->theme[i] += count;
}

static void read_market(struct store *st, struct market *m)
{
	memset(m, 0, sizeof *m);
	/* theme_counts holds no marketplace rows: tokens are counted per stall. */
	CHECK(store_theme_counts(st, CONS, on_theme, m) == SV_OK);
	CHECK(m->theme[0] == 0 && m->theme[1] == 0 && m->theme[2] == 0 && m->theme[3] == 0);
	CHECK(store_marketplace_counts(st, CONS, on_market, m) == SV_OK);
	CHECK(store_priority_counts(st, CONS, on_priority, m) == SV_OK);
}

static struct store_tally tally(long long event, int priority, const char *theme,
				long long delta, int set_total, const char *client_id)
{
	struct store_tally t = {
		.event_id = event, .priority = priority, .theme = theme, .delta = delta,
		.set_total = set_total, .who = "alice", .day = "2027-06-01", .client_id = client_id,
	};
	return t;
}

/* The sum of an option's changes, read straight from the table. */
static long long sum_deltas(long long event, int priority, const char *theme)
{
	char sql[256];

	snprintf(sql, sizeof sql, "SELECT coalesce(sum(delta), 0) FROM tally_changes WHERE event_id = %lld"
		 " AND priority = %d AND theme = '%s'", event, priority, theme);
	return query_int(sql);
}

static void test_tallies(struct store *st, long long fair, long long winter)
{
	struct store_tally t;
	struct market m;
	long long count = -1, rows;

	read_market(st, &m);
	CHECK(m.theme[0] == 0 && m.prio[2] == 0);

	/* +1, +1. */
	t = tally(fair, 2, "online-safety", 1, 0, "c-1");
	CHECK(store_tally_change(st, &t, &count) == SV_OK);
	CHECK(count == 1);
	read_market(st, &m);
	CHECK(m.theme[0] == 1);
	CHECK(m.prio[2] == 1);
	CHECK(m.prio[5] == 0);
	t = tally(fair, 2, "online-safety", 1, 0, "c-2");
	CHECK(store_tally_change(st, &t, &count) == SV_OK);
	CHECK(count == 2);
	CHECK(option_count(st, fair, 2, "online-safety") == 2);
	CHECK(query_int("SELECT count(*) FROM tally_changes WHERE client_id = 'c-2' AND who = 'alice'"
			" AND day = '2027-06-01' AND delta = 1 AND event_id = 1") == 1);

	/* Setting the total records the difference. */
	t = tally(fair, 2, "online-safety", 7, 1, "c-3");
	CHECK(store_tally_change(st, &t, &count) == SV_OK);
	CHECK(count == 7);
	CHECK(option_count(st, fair, 2, "online-safety") == 7);
	CHECK(query_int("SELECT delta FROM tally_changes WHERE client_id = 'c-3'") == 5);
	read_market(st, &m);
	CHECK(m.theme[0] == 7);
	CHECK(m.prio[2] == 7);
	/* The same total again changes nothing but is fine. */
	t = tally(fair, 2, "online-safety", 7, 1, "c-4");
	CHECK(store_tally_change(st, &t, &count) == SV_OK);
	CHECK(count == 7);
	read_market(st, &m);
	CHECK(m.theme[0] == 7);

	/* A replayed client id counts once, and says the count now. */
	rows = tally_rows();
	t = tally(fair, 2, "online-safety", 1, 0, "c-1");
	count = -1;
	CHECK(store_tally_change(st, &t, &count) == SV_ERR_EXISTS);
	CHECK(count == 7);
	CHECK(tally_rows() == rows);
	CHECK(option_count(st, fair, 2, "online-safety") == 7);
	read_market(st, &m);
	CHECK(m.theme[0] == 7);
	CHECK(m.prio[2] == 7);
	/* ... a replayed total too, even one that would now be a change. */
	t = tally(fair, 2, "online-safety", 1, 0, "c-x");
	CHECK(store_tally_change(st, &t, &count) == SV_OK);
	CHECK(count == 8);
	rows = tally_rows();
	t = tally(fair, 2, "online-safety", 7, 1, "c-3");
	count = -1;
	CHECK(store_tally_change(st, &t, &count) == SV_ERR_EXISTS);
	CHECK(count == 8);
	CHECK(tally_rows() == rows);
	read_market(st, &m);
	CHECK(m.theme[0] == 8);

	/* Below zero: refused, nothing stored, and the id is not used up. */
	t = tally(fair, 2, "bullying", -1, 0, "c-5");
	CHECK(store_tally_change(st, &t, &count) == SV_ERR_INVALID);
	CHECK(tally_rows() == rows);
	CHECK(option_count(st, fair, 2, "bullying") == 0);
	t = tally(fair, 2, "online-safety", -9, 0, "c-6");
	CHECK(store_tally_change(st, &t, &count) == SV_ERR_INVALID);
	t = tally(fair, 2, "online-safety", -1, 1, "c-7");      /* a total below zero */
	CHECK(store_tally_change(st, &t, &count) == SV_ERR_INVALID);
	CHECK(tally_rows() == rows);
	CHECK(option_count(st, fair, 2, "online-safety") == 8);
	read_market(st, &m);
	CHECK(m.theme[0] == 8);
	CHECK(m.theme[2] == 0);
	CHECK(m.prio[2] == 8);
	t = tally(fair, 2, "bullying", 1, 0, "c-5");            /* c-5 was not used up */
	CHECK(store_tally_change(st, &t, &count) == SV_OK);
	CHECK(count == 1);
	read_market(st, &m);
	CHECK(m.theme[2] == 1);
	CHECK(m.prio[2] == 9);

	/* Going down: -1, and a lower total. */
	t = tally(fair, 2, "online-safety", -1, 0, "c-8");
	CHECK(store_tally_change(st, &t, &count) == SV_OK);
	CHECK(count == 7);
	CHECK(option_count(st, fair, 2, "online-safety") == 7);
	t = tally(fair, 2, "online-safety", 3, 1, "c-9");
	CHECK(store_tally_change(st, &t, &count) == SV_OK);
	CHECK(count == 3);
	CHECK(option_count(st, fair, 2, "online-safety") == 3);
	read_market(st, &m);
	CHECK(m.theme[0] == 3);
	CHECK(m.prio[2] == 4);
	/* Whatever happened, the counters agree with the changes stored. */
	CHECK(m.theme[0] == sum_deltas(fair, 2, "online-safety"));
	CHECK(m.prio[2] == query_int("SELECT sum(delta) FROM tally_changes WHERE priority = 2"));

	/* A retried -1 that took a count to zero is a replay: SV_ERR_EXISTS with
	 * the count, not a refusal as going below zero.  (The changes are put in
	 * directly, so this does not depend on the store's own -1.) */
	static const int r_prios[] = { 2 };
	static const char *const r_themes[] = { "knife-crime" };
	long long replay_event = 0;
	CHECK(store_event_add(st, CONS, "Replays", "2027-03-01", r_prios, r_themes, 1,
			      &replay_event) == SV_OK);
	char sql[300];
	snprintf(sql, sizeof sql, "INSERT INTO tally_changes (event_id, priority, theme, delta, who, day,"
		 " client_id) VALUES (%lld, 2, 'knife-crime', 1, 'alice', '2027-03-01', 'z-1'),"
		 " (%lld, 2, 'knife-crime', -1, 'alice', '2027-03-01', 'z-2')", replay_event, replay_event);
	CHECK(check_sql_exec(dir, sql) == 0);
	CHECK(option_count(st, replay_event, 2, "knife-crime") == 0);
	rows = tally_rows();
	t = tally(replay_event, 2, "knife-crime", -1, 0, "z-2");
	count = -1;
	CHECK(store_tally_change(st, &t, &count) == SV_ERR_EXISTS);
	CHECK(count == 0);
	CHECK(tally_rows() == rows);
	t = tally(replay_event, 2, "knife-crime", 1, 0, "z-1");  /* a replayed +1 is fine */
	CHECK(store_tally_change(st, &t, &count) == SV_ERR_EXISTS);
	CHECK(count == 0);
	CHECK(tally_rows() == rows);

	long long os = option_count(st, fair, 2, "online-safety");
	long long p2 = query_int("SELECT sum(delta) FROM tally_changes WHERE priority = 2");

	/* An option that is not the event's: refused, nothing stored. */
	t = tally(fair, 5, "online-safety", 1, 0, "c-11");      /* not at stall 5 */
	CHECK(store_tally_change(st, &t, &count) == SV_ERR_INVALID);
	t = tally(fair, 2, "sport-activity", 1, 0, "c-12");     /* at stall 5 only */
	CHECK(store_tally_change(st, &t, &count) == SV_ERR_INVALID);
	t = tally(fair, 2, "no-such-theme", 1, 0, "c-13");
	CHECK(store_tally_change(st, &t, &count) == SV_ERR_INVALID);
	t = tally(winter, 2, "bullying", 1, 0, "c-14");         /* the other event lacks it */
	CHECK(store_tally_change(st, &t, &count) == SV_ERR_INVALID);
	t = tally(999999, 2, "online-safety", 1, 0, "c-15");
	CHECK(store_tally_change(st, &t, &count) == SV_ERR_INVALID);
	CHECK(tally_rows() == rows);
	read_market(st, &m);
	CHECK(m.theme[0] == os);
	CHECK(m.theme[3] == 0);
	CHECK(m.prio[2] == p2);
	CHECK(m.prio[5] == 0);

	/* One theme at two stalls: each stall has its own count; the theme's
	 * counter has both, and each priority its own stall's. */
	t = tally(fair, 2, "someone-to-talk-to", 2, 1, "c-16");
	CHECK(store_tally_change(st, &t, &count) == SV_OK);
	CHECK(count == 2);
	t = tally(fair, 5, "someone-to-talk-to", 1, 0, "c-17");
	CHECK(store_tally_change(st, &t, &count) == SV_OK);
	CHECK(count == 1);
	CHECK(option_count(st, fair, 2, "someone-to-talk-to") == 2);
	CHECK(option_count(st, fair, 5, "someone-to-talk-to") == 1);
	read_market(st, &m);
	CHECK(m.theme[1] == 3);
	CHECK(m.prio[2] == p2 + 2);
	CHECK(m.prio[5] == 1);

	/* A second event adds to the same consultation counters. */
	t = tally(winter, 2, "online-safety", 4, 1, "c-18");
	CHECK(store_tally_change(st, &t, &count) == SV_OK);
	CHECK(count == 4);
	CHECK(option_count(st, winter, 2, "online-safety") == 4);
	CHECK(option_count(st, fair, 2, "online-safety") == os);
	read_market(st, &m);
	CHECK(m.theme[0] == os + 4);
	CHECK(m.prio[2] == p2 + 6);
	/* The survey counters never move with tallies. */
	CHECK(m.survey_themes == 0);
	CHECK(m.survey_prios == 0);

	/* Closing locks that event's tallies. */
	CHECK(store_event_close(st, fair) == SV_OK);
	struct store_event e;
	CHECK(store_event_get(st, fair, &e) == SV_OK);
	CHECK(e.closed == 1);
	CHECK(store_event_close(st, 999999) == SV_ERR_NOTFOUND);
	rows = tally_rows();
	t = tally(fair, 2, "online-safety", 1, 0, "c-19");
	CHECK(store_tally_change(st, &t, &count) == SV_ERR_INVALID);
	t = tally(fair, 2, "online-safety", 10, 1, "c-20");
	CHECK(store_tally_change(st, &t, &count) == SV_ERR_INVALID);
	CHECK(tally_rows() == rows);
	CHECK(option_count(st, fair, 2, "online-safety") == os);
	/* A change that counted before the event closed, sent again (its answer
	 * was lost): a replay with the count, not a refusal. */
	t = tally(fair, 2, "someone-to-talk-to", 2, 1, "c-16");
	count = -1;
	CHECK(store_tally_change(st, &t, &count) == SV_ERR_EXISTS);
	CHECK(count == 2);
	CHECK(tally_rows() == rows);
	read_market(st, &m);
	CHECK(m.theme[0] == os + 4);
	t = tally(winter, 2, "online-safety", 1, 0, "c-21");
	CHECK(store_tally_change(st, &t, &count) == SV_OK);
	CHECK(count == 5);
	read_market(st, &m);
	CHECK(m.theme[0] == os + 5);
	CHECK(m.theme[0] == sum_deltas(fair, 2, "online-safety") + sum_deltas(winter, 2, "online-safety"));

	/* Tally changes are append-only. */
	CHECK(check_sql_exec(dir, "UPDATE tally_changes SET delta = 100") != 0);
	CHECK(check_sql_exec(dir, "DELETE FROM tally_changes") != 0);
	CHECK(tally_rows() == rows + 1);
	CHECK(option_count(st, winter, 2, "online-safety") == 5);
}

/* Many changes in a row: the count and the counters agree at the end. */
static void test_many(struct store *st, long long winter)
{
	struct store_tally t;
	struct market before, after;
	long long count = 0, start = option_count(st, winter, 2, "online-safety");
	char cid[32];
	int ok = 1;

	read_market(st, &before);
	for (int i = 0; i < 200; i++) {
		snprintf(cid, sizeof cid, "many-%d", i);
		t = tally(winter, 2, "online-safety", 1, 0, cid);
		if (store_tally_change(st, &t, &count) != SV_OK)
			ok = 0;
	}
	CHECK(ok);
	CHECK(count == start + 200);
	CHECK(option_count(st, winter, 2, "online-safety") == start + 200);
	read_market(st, &after);
	CHECK(after.theme[0] == before.theme[0] + 200);
	CHECK(after.prio[2] == before.prio[2] + 200);
	/* Replaying all of them changes nothing. */
	ok = 1;
	for (int i = 0; i < 200; i++) {
		snprintf(cid, sizeof cid, "many-%d", i);
		t = tally(winter, 2, "online-safety", 1, 0, cid);
		if (store_tally_change(st, &t, &count) != SV_ERR_EXISTS || count != start + 200)
			ok = 0;
	}
	CHECK(ok);
	read_market(st, &after);
	CHECK(after.theme[0] == before.theme[0] + 200);
}

/* 1 if the data folder's file name holds text, 0 if not (or it is absent). */
static int file_has(const char *name, const char *text)
{
	char path[128], buf[65536];
	size_t n, m = strlen(text), keep = 0;
	int found = 0;
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return 0;
	/* Each read keeps the last m - 1 bytes of the one before. */
	while (!found && (n = fread(buf + keep, 1, sizeof buf - keep, f)) > 0) {
		n += keep;
		for (size_t i = 0; !found && i + m <= n; i++)
			found = memcmp(buf + i, text, m) == 0;
		keep = n < m - 1 ? n : m - 1;
		memmove(buf, buf + n - keep, keep);
	}
	fclose(f);
	return found;
}

/* A schema 10 folder: sessions gain their start (old ones count as too old),
 * and refused sign-ins under names that are no account lose what was typed;
 * the audit log stays append-only. */
static void test_migrate_11(void)
{
	struct store *st = NULL;
	struct store_user u;
	char csrf[65];
	const char *h6 = "6666666666666666666666666666666666666666666666666666666666666666";

	CHECK(store_open(dir, &st) == SV_OK);
	if (!st)
		return;
	CHECK(store_user_get(st, "alice", &u) == SV_OK);
	CHECK(store_session_add(st, h6, u.id, "c6", T0) == SV_OK);
	store_close(st);
	CHECK(check_db_exec(dir, "ALTER TABLE sessions DROP COLUMN created;"
			  " INSERT INTO audit (at, who, action, detail) VALUES"
			  " ('2026-11-01T10:00Z', 'hunter2-typed-in-the-name-box', 'sign-in refused',"
			  "  'wrong name or password'),"
			  " ('2026-11-01T10:01Z', 'alice', 'sign-in refused', 'wrong name or password');"
			  " PRAGMA user_version = 10;") == 0);
	CHECK(store_open(dir, &st) == SV_OK);
	if (!st)
		return;
	CHECK(query_int("PRAGMA user_version") == STORE_SCHEMA_VERSION);
	CHECK(query_int("SELECT count(*) FROM audit WHERE who LIKE '%hunter2%' OR detail LIKE '%hunter2%'") == 0);
	CHECK(query_int("SELECT count(*) FROM audit WHERE who = '(no account)' AND action = 'sign-in refused'"
			" AND detail = 'unknown name'") == 1);
	CHECK(query_int("SELECT count(*) FROM audit WHERE who = 'alice' AND action = 'sign-in refused'") == 1);
	CHECK(check_db_exec(dir, "UPDATE audit SET who = 'x'") != 0);
	/* A session from before the migration has no known start: it is over. */
	CHECK(store_session_get(st, h6, T0 + 1, IDLE, LIFE, &u, csrf) == SV_ERR_NOTFOUND);
	store_close(st);
	/* Nor is the typed text left in the file's free space (secure_delete). */
	CHECK(file_has(STORE_FILE, "hunter2-typed") == 0);
	CHECK(file_has(STORE_FILE "-wal", "hunter2-typed") == 0);
}

/* Correcting, reopening and deleting events (event_admin.c's store calls). */
static void test_event_admin(struct store *st, long long fair)
{
	struct store_event e;
	long long id = 0, taps = -1, count = 0;

	/* fair is closed with taps: no correction, no delete, and reopening
	 * keeps its counts and takes taps again. */
	CHECK(store_event_get(st, fair, &e) == SV_OK && e.closed == 1);
	CHECK(store_event_edit(st, fair, "Renamed", "2027-06-02") == SV_ERR_INVALID);
	CHECK(store_event_get(st, fair, &e) == SV_OK && strcmp(e.name, "Summer fair") == 0);
	CHECK(store_event_taps(st, fair, &taps) == SV_OK && taps > 0);
	long long rows = tally_rows(), before = option_count(st, fair, 2, "online-safety");
	CHECK(store_event_delete(st, fair, &id) == SV_ERR_INVALID && id == taps);
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM events WHERE id = %lld", fair);
	CHECK(query_int(sql) == 1 && tally_rows() == rows);
	CHECK(store_event_reopen(st, fair) == SV_OK);
	CHECK(store_event_get(st, fair, &e) == SV_OK && e.closed == 0);
	CHECK(option_count(st, fair, 2, "online-safety") == before);
	struct store_tally t = { .event_id = fair, .priority = 2, .theme = "online-safety", .delta = 1,
				 .who = "alice", .day = "2027-06-01", .client_id = "admin-1" };
	CHECK(store_tally_change(st, &t, &count) == SV_OK && count == before + 1);
	CHECK(store_event_edit(st, fair, "Summer \"fair\" <2>", "2027-06-02") == SV_OK);
	CHECK(store_event_get(st, fair, &e) == SV_OK && strcmp(e.name, "Summer \"fair\" <2>") == 0 &&
	      strcmp(e.day, "2027-06-02") == 0);
	CHECK(store_event_reopen(st, 999999) == SV_ERR_NOTFOUND);
	CHECK(store_event_edit(st, 999999, "x", "2027-06-02") == SV_ERR_INVALID);

	/* An event with no tally change is deleted with its options, and a tap
	 * sent to it afterwards is refused. */
	static const int prios[] = { 2, 5 };
	static const char *const themes[] = { "online-safety", "mental-health" };
	CHECK(store_event_add(st, CONS, "By mistake", "2027-06-03", prios, themes, 2, &id) == SV_OK);
	CHECK(store_event_taps(st, id, &taps) == SV_OK && taps == 0);
	CHECK(store_event_delete(st, id, &taps) == SV_OK && taps == 0);
	CHECK(store_event_get(st, id, &e) == SV_ERR_NOTFOUND);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM event_options WHERE event_id = %lld", id);
	CHECK(query_int(sql) == 0);
	t.event_id = id;
	t.client_id = "admin-2";
	CHECK(store_tally_change(st, &t, &count) == SV_ERR_INVALID);
	CHECK(store_event_delete(st, id, &taps) == SV_ERR_NOTFOUND);

	/* A total set to 0 is a tally change too: no delete. */
	CHECK(store_event_add(st, CONS, "Zero", "2027-06-03", prios, themes, 2, &id) == SV_OK);
	t = (struct store_tally){ .event_id = id, .priority = 2, .theme = "online-safety", .delta = 0,
				  .set_total = 1, .who = "alice", .day = "2027-06-03", .client_id = "admin-3" };
	CHECK(store_tally_change(st, &t, &count) == SV_OK && count == 0);
	CHECK(store_event_delete(st, id, &taps) == SV_ERR_INVALID && taps == 1);
	CHECK(store_event_get(st, id, &e) == SV_OK);
}

/* ---- an event deleted while a tap for it arrives ---- */

#define TRIES 50

struct deleter { struct store *st; pthread_barrier_t *go; long long id, taps; enum sv_err rc; };
struct tapper { struct store *st; pthread_barrier_t *go; struct store_tally t; long long count; enum sv_err rc; };

static void *delete_side(void *arg)
{
	struct deleter *d = arg;

	pthread_barrier_wait(d->go);
	d->rc = store_event_delete(d->st, d->id, &d->taps);
	return NULL;
}

static void *tap_side(void *arg)
{
	struct tapper *t = arg;

	pthread_barrier_wait(t->go);
	t->rc = store_tally_change(t->st, &t->t, &t->count);
	return NULL;
}

/* Two stores on one database, as two servers: an event with no tap yet is
 * deleted on one while a tap for it comes to the other.  Either the delete
 * goes and the tap is refused, or the tap counts and the delete is refused
 * for it; never both, and no tap is left for an event that is gone. */
static void test_delete_race(struct store *st)
{
	static const int prios[] = { 2 };
	static const char *const themes[] = { "online-safety" };
	struct store *other = NULL;
	int deleted = 0, tapped = 0, made = 1;

	CHECK(check_store_again(dir, &other) == SV_OK);
	if (!other)
		return;
	for (int i = 0; i < TRIES; i++) {
		pthread_barrier_t go;
		pthread_t td, tt;
		char cid[32];
		struct deleter d = { .st = st, .go = &go };
		struct tapper t = { .st = other, .go = &go };

		made &= store_event_add(st, CONS, "Race", "2027-07-01", prios, themes, 1, &d.id) == SV_OK;
		snprintf(cid, sizeof cid, "race-%d", i);
		t.t = tally(d.id, 2, "online-safety", 1, 0, cid);
		pthread_barrier_init(&go, NULL, 2);
		pthread_create(&td, NULL, delete_side, &d);
		pthread_create(&tt, NULL, tap_side, &t);
		pthread_join(td, NULL);
		pthread_join(tt, NULL);
		pthread_barrier_destroy(&go);
		deleted += d.rc == SV_OK && d.taps == 0 && t.rc == SV_ERR_INVALID;
		tapped += d.rc == SV_ERR_INVALID && d.taps == 1 && t.rc == SV_OK && t.count == 1;
	}
	CHECK(made);
	CHECK(deleted + tapped == TRIES);
	CHECK(query_int("SELECT count(*) FROM tally_changes t"
			" WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = t.event_id)") == 0);
	CHECK(query_int("SELECT count(*) FROM events WHERE name = 'Race'") == tapped);
	printf("# %d races of a delete and a tap on %s: %d deleted, %d tapped\n", TRIES,
	       check_on_postgres() ? "PostgreSQL" : "SQLite", deleted, tapped);
	store_close(other);
}

int main(void)
{
	struct store *st = NULL;
	char tmpl[] = "/tmp/yv-staff-XXXXXX";
	long long fair = 0, winter = 0;

	if (!mkdtemp(tmpl)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(dir, sizeof dir, "%s", tmpl);

	CHECK(check_store_open(dir, &st) == SV_OK);
	if (st) {
		/* Events need their consultation; the taxonomy text is not read here. */
		CHECK(store_consultation_put(st, CONS, "Plan", "{}") == SV_OK);
		test_users(st);
		test_sessions(st);
		test_audit(st);
		test_events(st, &fair, &winter);
		if (fair && winter) {
			test_tallies(st, fair, winter);
			test_many(st, winter);
			test_event_admin(st, fair);
		}
		test_delete_race(st);
		store_close(st);
	}
	if (check_on_postgres())
		printf("# SQLite only: the 13 checks of test_migrate_11 (SQLite's schema 10, the file)\n");
	else
		test_migrate_11();
	check_remove_dir(dir);
	return CHECK_DONE();
}
