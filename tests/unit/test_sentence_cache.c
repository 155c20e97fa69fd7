/*
 * test_sentence_cache.c - core/sentence_cache: a text is encoded once and
 * then remembered, its vector the same bit for bit as sentence_encode's;
 * texts that differ by a byte are told apart; a cache three quarters full
 * starts again and still gives every text its own vector; its vectors are
 * in locked memory; refused arguments.  Run from the repository root,
 * after make vendor.
 */
#include <stdio.h>
#include <string.h>

#include "../../core/sentence.h"
#include "../../core/sentence_cache.h"
#include "check.h"

static struct sentence_model *model;

static void test_remembered(void)
{
	struct sentence_cache *c = NULL;
	float direct[SENTENCE_DIM], first[SENTENCE_DIM], again[SENTENCE_DIM], other[SENTENCE_DIM];
	long encoded, remembered;
	const char *text = "the buses never come on time";

	CHECK(sentence_cache_new(model, 16, &c) == SV_OK);
	if (!c)
		return;
	CHECK(sentence_cache_locked(c));
	CHECK(sentence_encode(model, text, strlen(text), direct) == SV_OK);
	CHECK(sentence_cache_encode(c, text, strlen(text), first) == SV_OK);
	CHECK(sentence_cache_encode(c, text, strlen(text), again) == SV_OK);
	sentence_cache_counts(c, &encoded, &remembered);
	CHECK(encoded == 1 && remembered == 1);
	CHECK(memcmp(direct, first, sizeof first) == 0 && memcmp(first, again, sizeof again) == 0);
	/* One byte shorter is another text. */
	CHECK(sentence_cache_encode(c, text, strlen(text) - 1, other) == SV_OK);
	sentence_cache_counts(c, &encoded, &remembered);
	CHECK(encoded == 2 && remembered == 1);
	CHECK(memcmp(first, other, sizeof other) != 0);
	/* An empty text is refused as sentence_encode refuses it, and not kept. */
	CHECK(sentence_cache_encode(c, "", 0, other) == SV_ERR_INVALID);
	sentence_cache_counts(c, &encoded, &remembered);
	CHECK(encoded == 2 && remembered == 1);
	sentence_cache_free(c);
}

/* More texts than it holds: it starts again, and each text keeps its own vector. */
static void test_full(void)
{
	struct sentence_cache *c = NULL;
	float got[SENTENCE_DIM], want[SENTENCE_DIM];
	long encoded, remembered;
	char text[32];

	CHECK(sentence_cache_new(model, 8, &c) == SV_OK);  /* holds 6 */
	if (!c)
		return;
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 20; i++) {
			int n = snprintf(text, sizeof text, "answer number %d", i);
			CHECK(sentence_cache_encode(c, text, (size_t)n, got) == SV_OK);
			CHECK(sentence_encode(model, text, (size_t)n, want) == SV_OK);
			CHECK(memcmp(got, want, sizeof got) == 0);
		}
	sentence_cache_counts(c, &encoded, &remembered);
	CHECK(encoded == 40 && remembered == 0);  /* 20 texts never fit in 6 */
	sentence_cache_free(c);
	/* Six fit: asked again, all six are remembered. */
	c = NULL;
	CHECK(sentence_cache_new(model, 8, &c) == SV_OK);
	if (!c)
		return;
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 6; i++) {
			int n = snprintf(text, sizeof text, "kept %d", i);
			CHECK(sentence_cache_encode(c, text, (size_t)n, got) == SV_OK);
		}
	sentence_cache_counts(c, &encoded, &remembered);
	CHECK(encoded == 6 && remembered == 6);
	sentence_cache_free(c);
}

static void test_refused(void)
{
	struct sentence_cache *c = (struct sentence_cache *)&c;

	CHECK(sentence_cache_new(NULL, 16, &c) == SV_ERR_INVALID && c == NULL);
	c = (struct sentence_cache *)&c;
	CHECK(sentence_cache_new(model, 3, &c) == SV_ERR_INVALID && c == NULL);
	sentence_cache_free(NULL);
}

int main(void)
{
	CHECK(sentence_load(SENTENCE_MODEL_DIR, &model) == SV_OK);
	if (model) {
		test_remembered();
		test_full();
		test_refused();
	}
	sentence_free(model);
	return CHECK_DONE();
}
