/*
 * ratelimit.c - per-client token buckets keyed by a daily-salted hash (see
 * ratelimit.h).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ratelimit.h"

#define ID_BYTES 16
#define PROBE 8       /* slots looked at for one client before evicting */

struct slot {
	unsigned char id[ID_BYTES];  /* keyed hash of the address; all zero = free */
	double tokens;               /* requests it may still make now */
	long long last;              /* when tokens was last brought up to date */
};

struct rate_limiter {
	pthread_mutex_t lock;
	unsigned per_minute;
	long long day;                                   /* the day the salt belongs to */
	unsigned char salt[crypto_generichash_KEYBYTES]; /* random, replaced daily */
	struct slot slots[RATE_SLOTS];
};

static void new_day(struct rate_limiter *rl, long long day)
{
	rl->day = day;
	randombytes_buf(rl->salt, sizeof rl->salt);
	sodium_memzero(rl->slots, sizeof rl->slots); /* forget everyone */
}

struct rate_limiter *rate_new(unsigned per_minute)
{
	struct rate_limiter *rl = calloc(1, sizeof *rl);

	if (!rl)
		return NULL;
	pthread_mutex_init(&rl->lock, NULL);
	rl->per_minute = per_minute;
	rl->day = -1;
	return rl;
}

void rate_free(struct rate_limiter *rl)
{
	if (!rl)
		return;
	pthread_mutex_destroy(&rl->lock);
	sodium_memzero(rl, sizeof *rl);
	free(rl);
}

static int is_free(const struct slot *s)
{
	static const unsigned char zero[ID_BYTES];
	return memcmp(s->id, zero, ID_BYTES) == 0;
}

int rate_allow(struct rate_limiter *rl, const char *addr, long long now)
{
	unsigned char id[ID_BYTES];
	int allowed;

	if (!rl || rl->per_minute == 0)
		return 1;
	pthread_mutex_lock(&rl->lock);
	if (now / 86400 != rl->day)
		new_day(rl, now / 86400);
	crypto_generichash(id, sizeof id, (const unsigned char *)addr, strlen(addr),
			   rl->salt, sizeof rl->salt);
	id[0] |= 1; /* never all zero, which marks a free slot */

	size_t start = ((size_t)id[1] << 8 | id[2]) % RATE_SLOTS;
	struct slot *s = NULL, *victim = NULL;
	for (size_t k = 0; k < PROBE && !s; k++) {
		struct slot *c = &rl->slots[(start + k) % RATE_SLOTS];
		if (memcmp(c->id, id, ID_BYTES) == 0)
			s = c;
		else if (is_free(c))
			victim = victim && is_free(victim) ? victim : c;
		else if (!victim || (!is_free(victim) && c->last < victim->last))
			victim = c;
	}
	if (!s) {
		/* A new client takes a free slot, or the one idle longest. */
		s = victim;
		memcpy(s->id, id, ID_BYTES);
		s->tokens = rl->per_minute;
		s->last = now;
	}
	double refill = (double)(now - s->last) * rl->per_minute / 60.0;
	s->tokens = s->tokens + refill > rl->per_minute ? rl->per_minute : s->tokens + refill;
	s->last = now;
	allowed = s->tokens >= 1.0;
	if (allowed)
		s->tokens -= 1.0;
	pthread_mutex_unlock(&rl->lock);
	sodium_memzero(id, sizeof id);
	return allowed;
}
