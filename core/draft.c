/*
 * draft.c - the in-memory, encrypted drafts behind Post/Redirect/Get
 * (draft.h).
 *
 * A fixed table of DRAFT_SLOTS entries under one mutex.  An entry is found
 * by the BLAKE2b hash of its key: slot = first bytes of the hash, then up to
 * PROBE slots on; every probed slot is compared, so freeing a slot never
 * hides another.  Expired entries are wiped when a put passes over them and
 * in a sweep of the whole table at most once a minute.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "draft.h"
#include "limits.h"

_Static_assert(DRAFT_MAX_LEN >= LIMIT_BODY_BYTES + 64, "a draft holds a whole form body and its line");

#define PROBE 32
#define ID_BYTES 32

struct draft {
	unsigned char id[ID_BYTES];      /* BLAKE2b of the key; all zero: free */
	unsigned char journey[ID_BYTES]; /* BLAKE2b of the journey's name */
	long long expires;               /* seconds (the caller's clock) */
	int sent;                        /* the journey was sent: box wiped */
	unsigned char *box;              /* nonce, then the secretbox; NULL when sent */
	size_t box_len;
};

struct drafts {
	pthread_mutex_t lock;
	struct draft slot[DRAFT_SLOTS];
	size_t bytes;                    /* box bytes held */
	long long swept;                 /* when the whole table was last swept */
};

struct drafts *drafts_new(void)
{
	struct drafts *d = calloc(1, sizeof *d);

	if (d && pthread_mutex_init(&d->lock, NULL) != 0) {
		free(d);
		return NULL;
	}
	return d;
}

static int used(const struct draft *e)
{
	static const unsigned char zero[ID_BYTES];
	return memcmp(e->id, zero, ID_BYTES) != 0;
}

/* Wipes an entry and frees its box. */
static void wipe(struct drafts *d, struct draft *e)
{
	if (e->box) {
		sodium_memzero(e->box, e->box_len);
		free(e->box);
		d->bytes -= e->box_len;
	}
	sodium_memzero(e, sizeof *e);
}

void drafts_free(struct drafts *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < DRAFT_SLOTS; i++)
		wipe(d, &d->slot[i]);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

static void hash(unsigned char out[ID_BYTES], const void *p, size_t n)
{
	crypto_generichash(out, ID_BYTES, p, n, NULL, 0);
}

/* A draft's id: the hash of its key and its scope, so that a key opens
 * nothing under another scope. */
static void draft_id(unsigned char out[ID_BYTES], const unsigned char *key, size_t n,
		     const char *scope)
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, NULL, 0, ID_BYTES);
	crypto_generichash_update(&st, key, n);
	crypto_generichash_update(&st, (const unsigned char *)scope, strlen(scope) + 1);
	crypto_generichash_final(&st, out, ID_BYTES);
}

static size_t home(const unsigned char id[ID_BYTES])
{
	return ((size_t)id[0] | (size_t)id[1] << 8) % DRAFT_SLOTS;
}

static void sweep(struct drafts *d, long long now)
{
	if (now - d->swept < 60)
		return;
	d->swept = now;
	for (size_t i = 0; i < DRAFT_SLOTS; i++)
		if (used(&d->slot[i]) && d->slot[i].expires <= now)
			wipe(d, &d->slot[i]);
}

enum sv_err drafts_put(struct drafts *d, const char *scope, const char *journey,
		       const void *plain, size_t len, long long now,
		       char key_out[DRAFT_KEY_LEN + 1])
{
	unsigned char key[crypto_secretbox_KEYBYTES], id[ID_BYTES];
	size_t box_len = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
	enum sv_err rc = SV_ERR_TOOBIG;

	if (len > DRAFT_MAX_LEN)
		return SV_ERR_TOOBIG;
	unsigned char *box = malloc(box_len);
	if (!box)
		return SV_ERR_NOMEM;
	randombytes_buf(key, sizeof key);
	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, plain, len, box, key);
	draft_id(id, key, sizeof key, scope);

	pthread_mutex_lock(&d->lock);
	sweep(d, now);
	struct draft *free_slot = NULL;
	for (size_t k = 0; k < PROBE; k++) {
		struct draft *e = &d->slot[(home(id) + k) % DRAFT_SLOTS];
		if (used(e) && e->expires <= now)
			wipe(d, e);
		if (!used(e) && !free_slot)
			free_slot = e;
	}
	if (free_slot && d->bytes + box_len <= DRAFT_MAX_BYTES) {
		memcpy(free_slot->id, id, ID_BYTES);
		hash(free_slot->journey, journey ? journey : "", journey ? strlen(journey) : 0);
		free_slot->expires = now + DRAFT_TTL;
		free_slot->box = box;
		free_slot->box_len = box_len;
		d->bytes += box_len;
		box = NULL;
		rc = SV_OK;
	}
	pthread_mutex_unlock(&d->lock);
	if (!rc)
		sodium_bin2base64(key_out, DRAFT_KEY_LEN + 1, key, sizeof key,
				  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(key, sizeof key);
	if (box) {
		sodium_memzero(box, box_len);
		free(box);
	}
	return rc;
}

enum sv_err drafts_get(struct drafts *d, const char *scope, const char *key_text, size_t n,
		       long long now, struct sbuf *out)
{
	unsigned char key[crypto_secretbox_KEYBYTES], id[ID_BYTES];
	size_t key_len = 0;
	enum sv_err rc = SV_ERR_NOTFOUND;

	if (n != DRAFT_KEY_LEN ||
	    sodium_base642bin(key, sizeof key, key_text, n, NULL, &key_len, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    key_len != sizeof key)
		return SV_ERR_NOTFOUND;
	draft_id(id, key, sizeof key, scope);
	pthread_mutex_lock(&d->lock);
	for (size_t k = 0; k < PROBE; k++) {
		struct draft *e = &d->slot[(home(id) + k) % DRAFT_SLOTS];
		if (!used(e) || sodium_memcmp(e->id, id, ID_BYTES) != 0)
			continue;
		if (e->expires <= now) {
			wipe(d, e);
			break;
		}
		if (e->sent) {
			rc = SV_ERR_EXISTS;
			break;
		}
		size_t len = e->box_len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
		unsigned char *plain = malloc(len ? len : 1);
		if (!plain) {
			rc = SV_ERR_NOMEM;
			break;
		}
		if (crypto_secretbox_open_easy(plain, e->box + crypto_secretbox_NONCEBYTES,
					       e->box_len - crypto_secretbox_NONCEBYTES, e->box,
					       key) == 0) {
			sbuf_add(out, plain, len);
			rc = out->err;
		}
		sodium_memzero(plain, len);
		free(plain);
		break;
	}
	pthread_mutex_unlock(&d->lock);
	sodium_memzero(key, sizeof key);
	return rc;
}

void drafts_sent(struct drafts *d, const char *journey)
{
	unsigned char j[ID_BYTES];

	hash(j, journey ? journey : "", journey ? strlen(journey) : 0);
	pthread_mutex_lock(&d->lock);
	for (size_t i = 0; i < DRAFT_SLOTS; i++) {
		struct draft *e = &d->slot[i];
		if (!used(e) || e->sent || memcmp(e->journey, j, ID_BYTES) != 0)
			continue;
		sodium_memzero(e->box, e->box_len);
		free(e->box);
		d->bytes -= e->box_len;
		e->box = NULL;
		e->box_len = 0;
		e->sent = 1;
	}
	pthread_mutex_unlock(&d->lock);
}

int drafts_count(struct drafts *d)
{
	int n = 0;

	pthread_mutex_lock(&d->lock);
	for (size_t i = 0; i < DRAFT_SLOTS; i++)
		n += used(&d->slot[i]) && !d->slot[i].sent;
	pthread_mutex_unlock(&d->lock);
	return n;
}

int drafts_holds(struct drafts *d, const void *p, size_t n)
{
	int found = 0;

	pthread_mutex_lock(&d->lock);
	found = memmem(d->slot, sizeof d->slot, p, n) != NULL;
	for (size_t i = 0; !found && i < DRAFT_SLOTS; i++)
		if (d->slot[i].box)
			found = memmem(d->slot[i].box, d->slot[i].box_len, p, n) != NULL;
	pthread_mutex_unlock(&d->lock);
	return found;
}
