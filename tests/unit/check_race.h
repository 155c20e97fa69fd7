/*
 * check_race.h - for the unit tests of the store's rules under races: two
 * stores on one database, as two servers, each driven by a thread, the two
 * started together at every try (a barrier), so that each try is a race.
 * Included after check.h and check_db.h.
 */
#ifndef SV_CHECK_RACE_H
#define SV_CHECK_RACE_H

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/store.h"

/* The first member of each side's own struct. */
struct check_side {
	struct store *st;
	pthread_barrier_t *start;   /* both sides wait here before each try */
	int which;                  /* 0 or 1 */
};

/* A second store on the test's PostgreSQL database: another server.  On
 * SQLite, st itself: one file has one server, whose request threads race
 * on its one connection (as test_store_both does).  NULL if it does not
 * open; close it only if it is not st. */
static inline struct store *check_other_store(const char *folder, struct store *st)
{
	struct store *other = NULL;

	if (!check_on_postgres())
		return st;
	CHECK(store_open_url(folder, getenv("YV_TEST_DB"), &other) == SV_OK && other);
	return other;
}

/* Runs fn in two threads at once, on sides[0] (store a) and sides[1]
 * (store b): sides is two structs of size bytes, each starting with a
 * struct check_side, zeroed first. */
static inline void check_race(struct store *a, struct store *b, void *(*fn)(void *), void *sides,
			      size_t size)
{
	pthread_barrier_t start;
	pthread_t t[2];

	pthread_barrier_init(&start, NULL, 2);
	memset(sides, 0, 2 * size);
	for (int i = 0; i < 2; i++) {
		struct check_side *s = (struct check_side *)((char *)sides + (size_t)i * size);
		s->st = i ? b : a;
		s->start = &start;
		s->which = i;
		pthread_create(&t[i], NULL, fn, s);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start);
}

#endif
