/*
 * sentence_cache.h - the sentence vectors (core/sentence.h) of texts seen
 * lately, so that a text is encoded once: the analysis page, learning a
 * code and the running score each ask for the same answer's vector, and
 * an encoding costs milliseconds where a suggestion costs microseconds.
 *
 * A hash table keyed by a hash of the text's bytes, keyed afresh for each
 * cache (SipHash, libsodium's crypto_shorthash: 64 bits, so two texts share
 * a vector only by a collision no text can be made to cause on purpose).
 * It holds up to three quarters of its slots; one more text clears it and
 * it fills again, so give it room for every text of a session: the
 * answers and the seed words.  The vectors say something of what the texts
 * said, so they are kept in locked memory where the system allows
 * (sodium_mlock: never written to swap) and clearing and
 * sentence_cache_free wipe them.  Not thread-safe: one
 * per analysis session, like the classifier that uses it.
 */
#ifndef SV_SENTENCE_CACHE_H
#define SV_SENTENCE_CACHE_H

#include <stddef.h>

#include "err.h"
#include "sentence.h"

struct sentence_cache;

/*
 * A cache of slots vectors (SENTENCE_DIM floats, 2 KiB, each; it keeps at
 * most three quarters of them) from model, which must outlive it.
 * SV_ERR_INVALID for no model or fewer than 4 slots, SV_ERR_NOMEM.
 */
enum sv_err sentence_cache_new(const struct sentence_model *model, size_t slots,
			       struct sentence_cache **out /* OUT */);

/* text's vector (as sentence_encode gives it) into out, encoded or remembered. */
enum sv_err sentence_cache_encode(struct sentence_cache *cache, const char *text, size_t len,
				  float out[SENTENCE_DIM] /* OUT */);

/* Texts encoded and texts found remembered, since the cache was made. */
void sentence_cache_counts(const struct sentence_cache *cache, long *encoded, long *remembered);

/* Whether its vectors are in locked memory (the memory-lock limit allowed it). */
int sentence_cache_locked(const struct sentence_cache *cache);

void sentence_cache_free(struct sentence_cache *cache);

#endif
