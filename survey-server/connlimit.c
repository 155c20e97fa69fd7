/*
 * connlimit.c - open connections per client, keyed by a hash of the address
 * (see connlimit.h).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "connlimit.h"

#define ID_BYTES 16
#define PROBE 16      /* slots looked at for one address */

struct conn_slot {
	unsigned char id[ID_BYTES];  /* keyed hash of the address; wiped when free */
	unsigned open;               /* its connections open now; 0 = a free slot */
};

struct conn_limit {
	pthread_mutex_t lock;
	unsigned per_client;                             /* 0: no cap */
	unsigned char key[crypto_generichash_KEYBYTES];  /* random, made at start */
	struct conn_slot slots[CONN_SLOTS];
};

struct conn_limit *conn_limit_new(unsigned per_client)
{
	struct conn_limit *cl = calloc(1, sizeof *cl);

	if (!cl)
		return NULL;
	pthread_mutex_init(&cl->lock, NULL);
	cl->per_client = per_client;
	randombytes_buf(cl->key, sizeof cl->key);
	return cl;
}

void conn_limit_free(struct conn_limit *cl)
{
	if (!cl)
		return;
	pthread_mutex_destroy(&cl->lock);
	sodium_memzero(cl, sizeof *cl);
	free(cl);
}

/* The slot holding the address whose keyed hash is id, or NULL; *empty gets
 * the first free slot of its window (NULL if none).  Called with the lock
 * held.  Every slot of the window is looked at: a freed slot may sit before
 * the one that holds the address. */
static struct conn_slot *find(struct conn_limit *cl, const unsigned char id[ID_BYTES],
			      struct conn_slot **empty)
{
	size_t start = ((size_t)id[0] << 8 | id[1]) % CONN_SLOTS;

	*empty = NULL;
	for (size_t k = 0; k < PROBE; k++) {
		struct conn_slot *s = &cl->slots[(start + k) % CONN_SLOTS];
		if (s->open == 0) {
			if (!*empty)
				*empty = s;
		} else if (sodium_memcmp(s->id, id, ID_BYTES) == 0) {
			return s;
		}
	}
	return NULL;
}

static void hash_addr(const struct conn_limit *cl, const char *addr, unsigned char id[ID_BYTES])
{
	crypto_generichash(id, ID_BYTES, (const unsigned char *)addr, strlen(addr),
			   cl->key, sizeof cl->key);
}

int conn_limit_take(struct conn_limit *cl, const char *addr)
{
	unsigned char id[ID_BYTES];
	struct conn_slot *s, *empty;
	int allowed = 1;

	if (!cl || cl->per_client == 0)
		return 1;
	hash_addr(cl, addr, id);
	pthread_mutex_lock(&cl->lock);
	s = find(cl, id, &empty);
	if (!s && empty) {
		s = empty;
		memcpy(s->id, id, ID_BYTES);
	}
	/* With no slot free in its window (more addresses open at once than the
	 * table was sized for), the connection goes in uncounted rather than
	 * every address that hashes there being refused. */
	if (s && s->open >= cl->per_client)
		allowed = 0;
	else if (s)
		s->open++;
	pthread_mutex_unlock(&cl->lock);
	sodium_memzero(id, sizeof id);
	return allowed;
}

void conn_limit_give(struct conn_limit *cl, const char *addr)
{
	unsigned char id[ID_BYTES];
	struct conn_slot *s, *empty;

	if (!cl || cl->per_client == 0)
		return;
	hash_addr(cl, addr, id);
	pthread_mutex_lock(&cl->lock);
	s = find(cl, id, &empty);
	if (s && --s->open == 0)
		sodium_memzero(s->id, ID_BYTES);  /* the address is forgotten */
	pthread_mutex_unlock(&cl->lock);
	sodium_memzero(id, sizeof id);
}
