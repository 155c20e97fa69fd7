/*
 * test_focus_store.c - focus groups in the store (core/store_focus.c), on
 * SQLite and, when YV_TEST_DB names one (tests/pg/pg.sh), on PostgreSQL:
 * groups added, read back, listed newest day first, changed while open, and
 * refused when out of range or for a consultation that does not exist; key
 * messages listed in the order they were added, each moving the
 * consultation's focus_group counters, a deleted one gone with its counts,
 * one with a priority out of range refused whole; sealed notes and quotes
 * counted, their bytes read back as written, an unknown kind refused; a
 * locked group refusing every change.  Then two stores on one database, as
 * two servers: a group is locked while the other store adds key messages
 * and notes to it, and each addition is either stored before the lock or
 * refused, never stored after it (50 rounds).
 *
 * What the tidier leaves in SQLite's file after a message is deleted is
 * test_store_rest's.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "../../core/store.h"
#include "check.h"
#include "check_db.h"

#define CONS "cyp-plan-2027"
#define RACE_CONS "race-plan"
#define ROUNDS 50        /* lock-against-add rounds */
#define MAX_TRIES 60     /* additions one round tries, at most */

static char dir[64];
static const unsigned char sealed_bytes[] = { 0, 1, 2, 0xfe, 0xff, 0, '\\', 'x', 0 };

static struct store_focus group(const char *consultation, const char *day, const char *district)
{
	struct store_focus g = { .participants = 8, .age_from = 12, .age_to = 15,
				 .girls = 3, .boys = 4, .other_gender = -1 };

	snprintf(g.consultation, sizeof g.consultation, "%s", consultation);
	snprintf(g.day, sizeof g.day, "%s", day);
	snprintf(g.district, sizeof g.district, "%s", district);
	return g;
}

/* ---- what the store gives back, as text ---- */

struct text { char s[2048]; };

static void on_group(void *arg, const struct store_focus *g)
{
	struct text *t = arg;
	size_t n = strlen(t->s);
	snprintf(t->s + n, sizeof t->s - n, "%lld:%s:%s ", g->id, g->day, g->district);
}

static void on_message(void *arg, long long id, const char *text, const char *themes)
{
	struct text *t = arg;
	size_t n = strlen(t->s);
	snprintf(t->s + n, sizeof t->s - n, "%lld=%s[%s] ", id, text, themes);
}

/* The focus_group counters of a consultation as "name=count" (priorities
 * as p2), sorted: the store gives them in no set order. */
struct counts { char item[32][80]; int n; };

static void on_theme(void *arg, const char *theme, enum store_source source, long long count)
{
	struct counts *c = arg;
	if (source == STORE_FOCUS_GROUP && c->n < 32)
		snprintf(c->item[c->n++], sizeof c->item[0], "%s=%lld", theme, count);
}

static void on_priority(void *arg, int priority, enum store_source source, long long count)
{
	struct counts *c = arg;
	if (source == STORE_FOCUS_GROUP && c->n < 32)
		snprintf(c->item[c->n++], sizeof c->item[0], "p%d=%lld", priority, count);
}

static int by_text(const void *a, const void *b)
{
	return strcmp(a, b);
}

static const char *counters(struct store *st, const char *consultation, struct text *t)
{
	struct counts c = { .n = 0 };

	t->s[0] = '\0';
	CHECK(store_theme_counts(st, consultation, on_theme, &c) == SV_OK);
	CHECK(store_priority_counts(st, consultation, on_priority, &c) == SV_OK);
	qsort(c.item, (size_t)c.n, sizeof c.item[0], by_text);
	for (int i = 0; i < c.n; i++) {
		size_t n = strlen(t->s);
		snprintf(t->s + n, sizeof t->s - n, "%s ", c.item[i]);
	}
	return t->s;
}

static const char *messages(struct store *st, long long group_id, struct text *t)
{
	t->s[0] = '\0';
	CHECK(store_focus_messages(st, group_id, on_message, t) == SV_OK);
	return t->s;
}

/* The ids of the messages listed, in the order listed. */
struct ids { long long id[16]; int n; };

static void on_message_id(void *arg, long long id, const char *text, const char *themes)
{
	struct ids *ids = arg;
	(void)text;
	(void)themes;
	if (ids->n < 16)
		ids->id[ids->n++] = id;
}

/* ---- one store ---- */

static void test_groups(struct store *st)
{
	struct store_focus g = group(CONS, "2026-11-02", "Northvale"), got;
	long long id1 = 0, id2 = 0, id3 = 0, id = 0;
	struct text t;

	CHECK(store_focus_put(st, &g, &id1) == SV_OK && id1 > 0);
	CHECK(store_focus_get(st, id1, &got) == SV_OK);
	CHECK(got.id == id1 && strcmp(got.consultation, CONS) == 0);
	CHECK_STR(got.day, "2026-11-02");
	CHECK_STR(got.district, "Northvale");
	CHECK(got.participants == 8 && got.age_from == 12 && got.age_to == 15);
	CHECK(got.girls == 3 && got.boys == 4 && got.other_gender == -1);  /* NULL reads -1 */
	CHECK(got.locked == 0 && got.notes == 0 && got.quotes == 0);

	g = group(CONS, "2026-11-05", "Eastmoor");
	CHECK(store_focus_put(st, &g, &id2) == SV_OK && id2 > 0 && id2 != id1);
	g = group(CONS, "2026-11-02", "Westfield");
	CHECK(store_focus_put(st, &g, &id3) == SV_OK && id3 > 0 && id3 != id1 && id3 != id2);
	/* Newest day first; on one day, the one added last first (ids grow,
	 * on both backends). */
	char want[256];
	CHECK(id1 < id2 && id2 < id3);
	snprintf(want, sizeof want, "%lld:2026-11-05:Eastmoor %lld:2026-11-02:Westfield %lld:2026-11-02:Northvale ",
		 id2, id3, id1);
	t.s[0] = '\0';
	CHECK(store_focus_each(st, on_group, &t) == SV_OK);
	CHECK_STR(t.s, want);

	/* Changed while open: the same id back. */
	g = group(CONS, "2026-11-03", "Southvale");
	g.id = id1;
	g.participants = 12;
	g.girls = -1;
	g.other_gender = 2;
	CHECK(store_focus_put(st, &g, &id) == SV_OK && id == id1);
	CHECK(store_focus_get(st, id1, &got) == SV_OK);
	CHECK_STR(got.day, "2026-11-03");
	CHECK_STR(got.district, "Southvale");
	CHECK(got.participants == 12 && got.girls == -1 && got.boys == 4 && got.other_gender == 2);
	CHECK_STR(got.consultation, CONS);   /* a group never moves consultation */

	/* Out of range, or for no consultation: refused, nothing stored. */
	struct store_focus bad = group(CONS, "2026-11-04", "Nowhere");
	bad.age_to = 11;                      /* below age_from */
	CHECK(store_focus_put(st, &bad, &id) == SV_ERR_INVALID);
	bad = group(CONS, "2026-11-04", "Nowhere");
	bad.participants = 0;
	CHECK(store_focus_put(st, &bad, &id) == SV_ERR_INVALID);
	bad = group(CONS, "2026-11-04", "Nowhere");
	bad.age_from = 4;                     /* under 5 */
	CHECK(store_focus_put(st, &bad, &id) == SV_ERR_INVALID);
	bad = group(CONS, "2026-11", "Nowhere");      /* not a day */
	CHECK(store_focus_put(st, &bad, &id) == SV_ERR_INVALID);
	bad = group("no-such-consultation", "2026-11-04", "Nowhere");
	CHECK(store_focus_put(st, &bad, &id) == SV_ERR_INVALID);
	t.s[0] = '\0';
	CHECK(store_focus_each(st, on_group, &t) == SV_OK);
	CHECK(strstr(t.s, "Nowhere") == NULL);
	/* A change out of range leaves the group as it was. */
	bad = group(CONS, "2026-11-03", "Changed");
	bad.id = id1;
	bad.participants = 201;
	CHECK(store_focus_put(st, &bad, &id) == SV_ERR_INVALID);
	CHECK(store_focus_get(st, id1, &got) == SV_OK);
	CHECK_STR(got.district, "Southvale");
	/* A change to a group that is not there. */
	bad.id = id1 + id2 + id3 + 1000;
	bad.participants = 5;
	CHECK(store_focus_put(st, &bad, &id) == SV_ERR_INVALID);
	CHECK(store_focus_get(st, bad.id, &got) == SV_ERR_NOTFOUND);
	CHECK(got.id == 0 && got.district[0] == '\0');
}

static void test_messages(struct store *st)
{
	struct store_focus g = group(CONS, "2026-11-10", "Messages"), other = group(CONS, "2026-11-10", "Other");
	const char *const two[] = { "bullying", "online-safety" }, *const one[] = { "bullying" };
	const int p25[] = { 2, 5 }, p2[] = { 2 }, p0[] = { 0 };
	long long id = 0, other_id = 0;
	struct text t, c;
	struct ids ids = { { 0 }, 0 };

	CHECK(store_focus_put(st, &g, &id) == SV_OK);
	CHECK(store_focus_put(st, &other, &other_id) == SV_OK);
	CHECK_STR(messages(st, id, &t), "");
	CHECK_STR(counters(st, CONS, &c), "");
	CHECK(store_focus_message_add(st, id, "first", two, 2, p25, 2) == SV_OK);
	CHECK(store_focus_message_add(st, id, "second", one, 1, p2, 1) == SV_OK);
	CHECK(store_focus_message_add(st, id, "third", one, 1, p2, 1) == SV_OK);
	CHECK(store_focus_message_add(st, other_id, "elsewhere", one, 1, p2, 1) == SV_OK);

	/* Listed in the order added, each with its themes; the other group's
	 * apart. */
	CHECK(store_focus_messages(st, id, on_message_id, &ids) == SV_OK);
	CHECK(ids.n == 3 && ids.id[0] < ids.id[1] && ids.id[1] < ids.id[2]);
	char want[256];
	snprintf(want, sizeof want, "%lld=first[bullying,online-safety] %lld=second[bullying] %lld=third[bullying] ",
		 ids.id[0], ids.id[1], ids.id[2]);
	CHECK_STR(messages(st, id, &t), want);
	CHECK(strstr(messages(st, other_id, &t), "=elsewhere[bullying] ") != NULL);
	/* Counted under focus_group, in the same write. */
	CHECK_STR(counters(st, CONS, &c), "bullying=4 online-safety=1 p2=4 p5=1 ");

	/* A deleted message is gone, and its counts with it. */
	CHECK(store_focus_message_delete(st, id, ids.id[0]) == SV_OK);
	snprintf(want, sizeof want, "%lld=second[bullying] %lld=third[bullying] ", ids.id[1], ids.id[2]);
	CHECK_STR(messages(st, id, &t), want);
	CHECK_STR(counters(st, CONS, &c), "bullying=3 online-safety=0 p2=3 p5=0 ");
	CHECK(store_focus_message_delete(st, id, ids.id[0]) == SV_ERR_NOTFOUND);
	/* Only from its own group. */
	CHECK(store_focus_message_delete(st, other_id, ids.id[1]) == SV_ERR_NOTFOUND);
	CHECK_STR(messages(st, id, &t), want);
	CHECK(store_focus_message_delete(st, id + other_id + 1000, ids.id[1]) == SV_ERR_INVALID);

	/* A priority out of range is refused whole: no message, no count. */
	CHECK(store_focus_message_add(st, id, "refused", one, 1, p0, 1) == SV_ERR_INVALID);
	CHECK_STR(messages(st, id, &t), want);
	CHECK_STR(counters(st, CONS, &c), "bullying=3 online-safety=0 p2=3 p5=0 ");
	/* No group, no message. */
	CHECK(store_focus_message_add(st, id + other_id + 1000, "lost", one, 1, p2, 1) == SV_ERR_INVALID);
	CHECK_STR(messages(st, id + other_id + 1000, &t), "");
	/* A message with no themes is kept, and counts nothing. */
	CHECK(store_focus_message_add(st, id, "untagged", NULL, 0, NULL, 0) == SV_OK);
	CHECK(strstr(messages(st, id, &t), "=untagged[] ") != NULL);
	CHECK_STR(counters(st, CONS, &c), "bullying=3 online-safety=0 p2=3 p5=0 ");
}

struct quotes { int n, same; };

static void on_quote(void *arg, const struct store_sealed *r)
{
	struct quotes *q = arg;
	q->n++;
	if (r->sealed_len == sizeof sealed_bytes && memcmp(r->sealed, sealed_bytes, sizeof sealed_bytes) == 0 &&
	    strcmp(r->key_id, "k1") == 0 && strcmp(r->day, "2026-11-12") == 0)
		q->same++;
}

static void test_sealed(struct store *st)
{
	struct store_focus g = group(CONS, "2026-11-12", "Sealed"), got;
	long long id = 0;
	struct quotes q = { 0, 0 };

	CHECK(store_focus_put(st, &g, &id) == SV_OK);
	CHECK(store_focus_seal_add(st, id, "note", "k1", sealed_bytes, sizeof sealed_bytes) == SV_OK);
	CHECK(store_focus_seal_add(st, id, "note", "k1", sealed_bytes, sizeof sealed_bytes) == SV_OK);
	CHECK(store_focus_seal_add(st, id, "quote", "k1", sealed_bytes, sizeof sealed_bytes) == SV_OK);
	CHECK(store_focus_get(st, id, &got) == SV_OK && got.notes == 2 && got.quotes == 1);
	/* Another kind is refused (the table's CHECK), nothing stored. */
	CHECK(store_focus_seal_add(st, id, "diary", "k1", sealed_bytes, sizeof sealed_bytes) == SV_ERR_DB);
	CHECK(store_focus_get(st, id, &got) == SV_OK && got.notes == 2 && got.quotes == 1);
	/* No group, nothing sealed. */
	CHECK(store_focus_seal_add(st, id + 1000, "note", "k1", sealed_bytes, sizeof sealed_bytes) == SV_ERR_INVALID);
	/* The quote's bytes come back as they went, zero bytes and all. */
	CHECK(store_focus_quotes(st, CONS, on_quote, &q) == SV_OK);
	CHECK(q.n == 1 && q.same == 1);
}

static void test_locked(struct store *st)
{
	struct store_focus g = group(CONS, "2026-11-14", "Locked"), got;
	const char *const one[] = { "bullying" };
	const int p2[] = { 2 };
	long long id = 0, out = 0;
	struct text t, c, before_c;
	struct ids ids = { { 0 }, 0 };

	CHECK(store_focus_put(st, &g, &id) == SV_OK);
	CHECK(store_focus_message_add(st, id, "kept", one, 1, p2, 1) == SV_OK);
	CHECK(store_focus_seal_add(st, id, "note", "k1", sealed_bytes, sizeof sealed_bytes) == SV_OK);
	CHECK(store_focus_messages(st, id, on_message_id, &ids) == SV_OK && ids.n == 1);
	char before[128];
	snprintf(before, sizeof before, "%s", messages(st, id, &t));
	counters(st, CONS, &before_c);

	CHECK(store_focus_lock(st, id) == SV_OK);
	CHECK(store_focus_get(st, id, &got) == SV_OK && got.locked == 1);
	/* Every change is refused, and nothing moves. */
	g.id = id;
	g.participants = 20;
	CHECK(store_focus_put(st, &g, &out) == SV_ERR_INVALID);
	CHECK(store_focus_message_add(st, id, "late", one, 1, p2, 1) == SV_ERR_INVALID);
	CHECK(store_focus_message_delete(st, id, ids.id[0]) == SV_ERR_INVALID);
	CHECK(store_focus_seal_add(st, id, "quote", "k1", sealed_bytes, sizeof sealed_bytes) == SV_ERR_INVALID);
	CHECK(store_focus_get(st, id, &got) == SV_OK);
	CHECK(got.participants == 8 && got.notes == 1 && got.quotes == 0 && got.locked == 1);
	CHECK_STR(messages(st, id, &t), before);
	CHECK_STR(counters(st, CONS, &c), before_c.s);
	/* Locking again changes nothing; a group that is not there is not found. */
	CHECK(store_focus_lock(st, id) == SV_OK);
	CHECK(store_focus_lock(st, id + 1000) == SV_ERR_NOTFOUND);
	/* The other groups stay open. */
	struct store_focus open = group(CONS, "2026-11-14", "Open");
	long long open_id = 0;
	CHECK(store_focus_put(st, &open, &open_id) == SV_OK);
	CHECK(store_focus_message_add(st, open_id, "fine", one, 1, p2, 1) == SV_OK);
}

/* ---- two stores on one database ---- */

/* A second store on the database the test runs on, as a second server
 * would open it (not emptied first). */
static enum sv_err open_other(struct store **st)
{
	const char *url = getenv("YV_TEST_DB");
	return url && *url ? store_open_url(dir, url, st) : store_open(dir, st);
}

struct race {
	struct store *locker, *adder;
	long long group_id;
	int lock_done;           /* set (atomically) once store_focus_lock has returned */
	/* the locker's: what is stored just after the lock */
	int messages_then, notes_then;
	enum sv_err lock_rc;
	/* the adder's */
	int stored_messages, stored_notes, refused, failed, after_lock;
};

static void on_message_count(void *arg, long long id, const char *text, const char *themes)
{
	(void)id;
	(void)text;
	(void)themes;
	++*(int *)arg;
}

static void *lock_run(void *arg)
{
	struct race *r = arg;
	int n = 0;
	struct store_focus g;
	struct timespec pause = { 0, (long)randombytes_uniform(3000000) };  /* 0 to 3 ms */

	nanosleep(&pause, NULL);
	r->lock_rc = store_focus_lock(r->locker, r->group_id);
	__atomic_store_n(&r->lock_done, 1, __ATOMIC_SEQ_CST);
	r->messages_then = r->notes_then = -1;
	if (store_focus_messages(r->locker, r->group_id, on_message_count, &n) == SV_OK)
		r->messages_then = n;
	if (store_focus_get(r->locker, r->group_id, &g) == SV_OK)
		r->notes_then = g.notes;
	return NULL;
}

static void *add_run(void *arg)
{
	struct race *r = arg;
	const char *const theme[] = { "race-theme" };
	const int prio[] = { 7 };

	for (int i = 0; i < MAX_TRIES; i++) {
		int after = __atomic_load_n(&r->lock_done, __ATOMIC_SEQ_CST);
		int note = i % 3 == 2;
		enum sv_err rc = note ?
			store_focus_seal_add(r->adder, r->group_id, "note", "k1", sealed_bytes, sizeof sealed_bytes) :
			store_focus_message_add(r->adder, r->group_id, "a message", theme, 1, prio, 1);
		if (rc == SV_OK) {
			if (note)
				r->stored_notes++;
			else
				r->stored_messages++;
			r->after_lock += after;   /* began after the lock returned, yet stored */
		} else if (rc == SV_ERR_INVALID) {
			r->refused++;
			break;
		} else {
			r->failed++;
		}
		/* A moment between tries, as between two staff requests, in which
		 * the lock may come (SQLite's busy wait would starve it else). */
		struct timespec pause = { 0, (long)randombytes_uniform(300000) };  /* 0 to 0.3 ms */
		nanosleep(&pause, NULL);
	}
	return NULL;
}

static void test_race(void)
{
	struct store *a = NULL, *b = NULL;
	int stored = 0, stored_messages = 0, rounds_with_both = 0, refused = 0, bad = 0;
	struct text c;

	CHECK(open_other(&a) == SV_OK);
	CHECK(open_other(&b) == SV_OK);
	if (!a || !b) {
		store_close(a);
		store_close(b);
		return;
	}
	CHECK(store_consultation_put(a, RACE_CONS, "Race", "{}") == SV_OK);
	for (int round = 0; round < ROUNDS; round++) {
		struct store_focus g = group(RACE_CONS, "2026-11-20", "Race");
		struct race r = { .locker = round % 2 ? a : b, .adder = round % 2 ? b : a };
		pthread_t tl, ta;
		int messages_now = 0;
		struct store_focus now = { .notes = -1 };

		if (store_focus_put(a, &g, &r.group_id) != SV_OK) {
			bad++;
			continue;
		}
		int with_adder = pthread_create(&ta, NULL, add_run, &r) == 0;
		int with_locker = with_adder && pthread_create(&tl, NULL, lock_run, &r) == 0;
		if (with_adder)
			pthread_join(ta, NULL);
		if (with_locker)
			pthread_join(tl, NULL);
		CHECK(with_locker);
		if (!with_locker)
			break;
		/* Nothing begun after the lock returned was stored; what is
		 * stored now is what was stored when it returned, and exactly
		 * what the adder was told was stored (an addition refused left
		 * nothing).  The adder stops at its first refusal, or after
		 * MAX_TRIES if the lock came later. */
		if (store_focus_messages(a, r.group_id, on_message_count, &messages_now) != SV_OK)
			messages_now = -1;
		store_focus_get(b, r.group_id, &now);
		int ok = r.lock_rc == SV_OK && r.refused <= 1 && r.failed == 0 && r.after_lock == 0 &&
			messages_now == r.messages_then && messages_now == r.stored_messages &&
			now.notes == r.notes_then && now.notes == r.stored_notes && now.locked == 1;
		refused += r.refused;
		if (!ok) {
			fprintf(stderr, "round %d: lock %d, refused %d, failed %d, stored after the lock %d;"
				" messages %d stored, %d then, %d now; notes %d stored, %d then, %d now\n",
				round, (int)r.lock_rc, r.refused, r.failed, r.after_lock,
				r.stored_messages, r.messages_then, messages_now, r.stored_notes, r.notes_then, now.notes);
			bad++;
		}
		stored += r.stored_messages + r.stored_notes;
		stored_messages += r.stored_messages;
		rounds_with_both += r.stored_messages + r.stored_notes > 0 && r.refused;
	}
	CHECK(bad == 0);
	/* Refused messages moved no counter. */
	char want[64];
	snprintf(want, sizeof want, "p7=%d race-theme=%d ", stored_messages, stored_messages);
	CHECK_STR(counters(b, RACE_CONS, &c), want);
	/* The race was run: in some rounds the adder stored before the lock
	 * and was refused after it (a lock always first, or always last,
	 * would prove nothing). */
	CHECK(rounds_with_both > 0 && refused > 0);
	printf("race: %d rounds; %d additions stored before the lock, in %d rounds; %d refused\n",
	       ROUNDS, stored, rounds_with_both, refused);
	store_close(a);
	store_close(b);
}

int main(void)
{
	struct store *st = NULL;

	if (sodium_init() < 0)
		return 1;
	snprintf(dir, sizeof dir, "/tmp/yv-focus-XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	int opened = check_store_open(dir, &st) == SV_OK;
	CHECK(opened && store_consultation_put(st, CONS, "Plan", "{}") == SV_OK);
	if (opened) {
		test_groups(st);
		test_messages(st);
		test_sealed(st);
		test_locked(st);
	}
	store_close(st);
	if (opened)
		test_race();
	check_remove_dir(dir);
	return CHECK_DONE();
}
