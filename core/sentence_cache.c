/*
 * sentence_cache.c - the sentence vectors of texts seen lately (see
 * sentence_cache.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "sentence_cache.h"

struct slot {
	uint64_t hash;               /* the text's keyed hash, its low bit set; 0: empty */
	float vector[SENTENCE_DIM];
};

struct sentence_cache {
	const struct sentence_model *model;
	struct slot *slots;
	size_t nslots, used;
	int locked;                  /* the slots are in locked memory (sodium_mlock) */
	long encoded, remembered;
	unsigned char key[crypto_shorthash_KEYBYTES];
};

enum sv_err sentence_cache_new(const struct sentence_model *model, size_t slots,
			       struct sentence_cache **out)
{
	*out = NULL;
	if (!model || slots < 4 || slots > SIZE_MAX / sizeof(struct slot))
		return SV_ERR_INVALID;
	struct sentence_cache *c = calloc(1, sizeof *c);
	if (!c)
		return SV_ERR_NOMEM;
	c->slots = calloc(slots, sizeof *c->slots);
	if (!c->slots) {
		free(c);
		return SV_ERR_NOMEM;
	}
	c->model = model;
	c->nslots = slots;
	c->locked = sodium_mlock(c->slots, slots * sizeof *c->slots) == 0;
	randombytes_buf(c->key, sizeof c->key);
	*out = c;
	return SV_OK;
}

enum sv_err sentence_cache_encode(struct sentence_cache *c, const char *text, size_t len,
				  float out[SENTENCE_DIM])
{
	uint64_t hash;

	crypto_shorthash((unsigned char *)&hash, (const unsigned char *)text, len, c->key);
	hash |= 1;
	/* Linear probing: the text's slot, or the first empty one after it. */
	size_t at = (size_t)(hash >> 1) % c->nslots;
	while (c->slots[at].hash && c->slots[at].hash != hash)
		at = (at + 1) % c->nslots;
	if (c->slots[at].hash == hash) {
		memcpy(out, c->slots[at].vector, sizeof c->slots[at].vector);
		c->remembered++;
		return SV_OK;
	}
	enum sv_err err = sentence_encode(c->model, text, len, out);
	if (err)
		return err;
	c->encoded++;
	/* Three quarters full: forget them all and start again (probes stay short). */
	if (c->used + 1 > c->nslots / 4 * 3) {
		sodium_memzero(c->slots, c->nslots * sizeof *c->slots);
		c->used = 0;
		at = (size_t)(hash >> 1) % c->nslots;
	}
	c->slots[at].hash = hash;
	memcpy(c->slots[at].vector, out, sizeof c->slots[at].vector);
	c->used++;
	return SV_OK;
}

void sentence_cache_counts(const struct sentence_cache *c, long *encoded, long *remembered)
{
	*encoded = c->encoded;
	*remembered = c->remembered;
}

int sentence_cache_locked(const struct sentence_cache *c)
{
	return c->locked;
}

void sentence_cache_free(struct sentence_cache *c)
{
	if (!c)
		return;
	if (c->locked)
		sodium_munlock(c->slots, c->nslots * sizeof *c->slots);  /* wipes, then unlocks */
	else
		sodium_memzero(c->slots, c->nslots * sizeof *c->slots);
	free(c->slots);
	sodium_memzero(c, sizeof *c);
	free(c);
}
