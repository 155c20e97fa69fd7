/*
 * fuzz_classify.c - libFuzzer target for core/classify: any bytes as an
 * answer.  The first byte picks the themes it is coded with; the rest is the
 * text.  Checks that every confidence is in [0, 1], that suggestions come
 * most confident first and are at most max, that the words a theme leans
 * on lie inside the text, strongest first, at most as many as asked (none
 * for a theme out of range), and that learning then
 * forgetting the answer gives back the confidences of before, bit for bit.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/classify.h"
#include "../../core/taxonomy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct classify *classifier;
static int nthemes;

/* One classifier for every input, from two themes with seed words, learned from nothing. */
static void setup(void)
{
	const char *json = "{\"priorities\": [{\"number\": 1, \"name\": \"One\"}], \"themes\": ["
		"{\"id\": \"a\", \"name\": \"A\", \"priorities\": [1], \"seeds\": [\"bus\", \"self-harm\", \"caf\\u00e9\"]},"
		"{\"id\": \"b\", \"name\": \"B\", \"priorities\": [1], \"seeds\": [\"food\"]},"
		"{\"id\": \"c\", \"name\": \"C\", \"priorities\": [1]}]}";
	struct taxonomy *t = NULL;

	if (taxonomy_parse(json, strlen(json), "fuzz", &t, NULL, 0) != SV_OK ||
	    classify_new(t, NULL, &classifier) != SV_OK)
		abort();
	nthemes = (int)t->nthemes;
	taxonomy_free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	double before[TAXONOMY_MAX_THEMES], after[TAXONOMY_MAX_THEMES];
	struct classify_suggestion out[2];
	int themes[3], n = 0;

	if (!classifier)
		setup();
	if (size == 0)
		return 0;
	for (int k = 0; k < nthemes; k++)
		if (data[0] & (1u << k))
			themes[n++] = k;
	const char *text = (const char *)data + 1;
	size_t len = size - 1;

	classify_scores(classifier, text, len, before);
	for (int k = 0; k < nthemes; k++)
		if (!(before[k] >= 0 && before[k] <= 1))
			abort();
	int got = classify_suggest(classifier, text, len, out, 2);
	if (got < 0 || got > 2 || (got == 2 && out[0].confidence < out[1].confidence))
		abort();
	if (classify_learn(classifier, text, len, themes, n) != SV_OK)
		abort();
	/* Learned, so its words lean to its themes: read why, for each theme,
	 * at most max words, max from the first byte's upper bits (-1 to 6). */
	int max = (data[0] >> 3 & 7) - 1;
	for (int k = -1; k <= nthemes; k++) {
		struct classify_reason why[8];
		int w = classify_reasons(classifier, text, len, k, why, max);
		if (w < 0 || w > CLASSIFY_MAX_REASONS || w > (max > 0 ? max : 0) ||
		    ((k < 0 || k == nthemes) && w != 0))
			abort();
		for (int i = 0; i < w; i++)
			if (why[i].from >= why[i].to || why[i].to > len ||
			    why[i].weight < CLASSIFY_REASON_MIN || (i > 0 && why[i].weight > why[i - 1].weight))
				abort();
	}
	if (classify_forget(classifier, text, len, themes, n) != SV_OK)
		abort();
	classify_scores(classifier, text, len, after);
	if (memcmp(before, after, (size_t)nthemes * sizeof *before) != 0)
		abort();
	return 0;
}
