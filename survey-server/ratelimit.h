/*
 * ratelimit.h - submissions per client, counted in memory only.
 *
 * A client is known only by a keyed hash of its address, with a key that is
 * random and replaced every day (so yesterday's entries cannot be matched to
 * today's, and nothing links to an address after the day ends).  The address
 * itself is never stored, logged or kept past the call.  Each client has a
 * bucket of per_minute requests that refills steadily, so a class of young
 * people behind one school address can all submit, while one script cannot
 * flood a survey.
 */
#ifndef SV_RATELIMIT_H
#define SV_RATELIMIT_H

#include "../core/limits.h"

#define RATE_DEFAULT_PER_MINUTE LIMIT_SUBMISSIONS_PER_MINUTE /* burst and refill per client */
#define RATE_SLOTS 8192               /* clients tracked at once */

struct rate_limiter;

/* per_minute 0 turns limiting off (rate_allow always says yes).  NULL if
 * out of memory. */
struct rate_limiter *rate_new(unsigned per_minute);
void rate_free(struct rate_limiter *rl);

/* 1 if the client at addr may go ahead now (and charges it one request);
 * 0 if it must wait.  now is seconds since the epoch. */
int rate_allow(struct rate_limiter *rl, const char *addr, long long now);

#endif
