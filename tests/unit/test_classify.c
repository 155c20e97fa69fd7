/*
 * test_classify.c - core/classify: suggestions from seed words alone (the
 * real forms/taxonomy.json), learning from confirmed tags, giving back a
 * corrected tag exactly, the same suggestions for the same calls, hostile
 * text (huge, invalid UTF-8, NUL bytes, empty), refused themes, the cap on
 * answers learned, misspelt words known by their n-grams, seed words of
 * two words, the words a suggestion leans on, and Cohen's kappa on worked
 * examples.  Run from the repository root.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/classify.h"
#include "../../core/files.h"
#include "../../core/sbuf.h"
#include "../../core/sentence.h"
#include "../../core/sentence_cache.h"
#include "../../core/taxonomy.h"
#include "check.h"

static struct taxonomy *real_taxonomy(void)
{
	char *text = NULL, err[512] = "";
	size_t len = 0;
	struct taxonomy *t = NULL;

	if (files_read_all("forms/taxonomy.json", 1024 * 1024, &text, &len) != SV_OK || !text) {
		fprintf(stderr, "  cannot read forms/taxonomy.json: run from the repository root\n");
		return NULL;
	}
	if (taxonomy_parse(text, len, "forms/taxonomy.json", &t, err, sizeof err) != SV_OK)
		fprintf(stderr, "  %s\n", err);
	free(text);
	return t;
}

/*
 * The sentence vectors the classifiers of the tests run in both modes use:
 * NULL (words alone) the first time, then the model's (make vendor).
 */
static struct sentence_cache *vectors;

/* A taxonomy of three themes with no seed words: what is learned is all there is. */
static struct taxonomy *plain_taxonomy(void)
{
	const char *json = "{\"priorities\": [{\"number\": 1, \"name\": \"One\"}], \"themes\": ["
		"{\"id\": \"food\", \"name\": \"Food\", \"priorities\": [1]},"
		"{\"id\": \"buses\", \"name\": \"Buses\", \"priorities\": [1]},"
		"{\"id\": \"sport\", \"name\": \"Sport\", \"priorities\": [1]}]}";
	struct taxonomy *t = NULL;

	CHECK(taxonomy_parse(json, strlen(json), "plain", &t, NULL, 0) == SV_OK);
	return t;
}

/* A classifier for t (checked), or NULL when t is NULL or it fails. */
static struct classify *new_classifier(const struct taxonomy *t)
{
	struct classify *c = NULL;

	if (t)
		CHECK(classify_new(t, NULL, &c) == SV_OK);
	return c;
}

/* The themes suggested for text, as "id,id" (empty for none). */
static const char *suggested(struct classify *c, const struct taxonomy *t, const char *text)
{
	static char out[512];
	struct classify_suggestion s[TAXONOMY_MAX_THEMES];
	int n = classify_suggest(c, text, strlen(text), s, TAXONOMY_MAX_THEMES);

	out[0] = 0;
	for (int i = 0; i < n; i++) {
		size_t used = strlen(out);
		snprintf(out + used, sizeof out - used, "%s%s", i ? "," : "", t->themes[s[i].theme].id);
	}
	return out;
}

/* Seeds only: with no tag yet, a seed word (in any form the stemmer joins) suggests its theme. */
static void test_seeds_only(void)
{
	struct taxonomy *t = real_taxonomy();
	struct classify *c = new_classifier(t);
	struct classify_suggestion s[4];

	if (!c) {
		taxonomy_free(t);
		return;
	}
	CHECK(classify_tagged(c) == 0);
	/* The weights, 4 bytes x (65,536 + themes) a theme, are most of it (README). */
	size_t weights = 4 * (65536 + t->nthemes) * t->nthemes;
	CHECK(classify_bytes(c) > weights && classify_bytes(c) < weights + 256 * 1024);
	CHECK_STR(suggested(c, t, "the buses never come on time"), "transport");
	CHECK_STR(suggested(c, t, "I was BULLIED every day in year 8"), "bullying");
	CHECK_STR(suggested(c, t, "camhs waiting lists"), "mental-health");
	CHECK_STR(suggested(c, t, "cheaper swimming"), "sport-activity");
	/* Words no seed knows, and nothing at all, suggest nothing. */
	CHECK_STR(suggested(c, t, "idk"), "");
	CHECK_STR(suggested(c, t, ""), "");
	CHECK(classify_suggest(c, NULL, 0, s, 4) == 0);

	/* Suggestions come most confident first, each above the threshold, at most max. */
	int n = classify_suggest(c, "the bus fare to my job costs more than i earn", 44, s, 4);
	CHECK(n == 2);
	/* Two themes in one answer: both suggested. */
	CHECK_STR(suggested(c, t, "the bus fare to my job costs more than i earn"),
		  "jobs-careers-money,transport");
	for (int i = 0; i < n; i++) {
		CHECK(s[i].confidence >= CLASSIFY_BEST && s[i].confidence <= 1);
		if (i > 0)
			CHECK(s[i].confidence >= CLASSIFY_THRESHOLD && s[i].confidence <= s[i - 1].confidence);
	}
	struct classify_suggestion one[1];
	CHECK(classify_suggest(c, "the bus fare to my job costs more than i earn", 44, one, 1) == 1);
	CHECK(one[0].theme == s[0].theme);
	CHECK(classify_suggest(c, "the bus fare to my job costs more than i earn", 44, one, 0) == 0);

	/* Every confidence is in [0, 1]. */
	double conf[TAXONOMY_MAX_THEMES];
	classify_scores(c, "knife crime and online safety", 29, conf);
	for (size_t i = 0; i < t->nthemes; i++)
		CHECK(conf[i] >= 0 && conf[i] <= 1);
	classify_free(c);
	taxonomy_free(t);
}

static const char *const food_texts[] = {
	"school dinners are tiny", "the canteen dinners are too dear", "free breakfast club please",
	"i go hungry at lunch", "cheaper dinners and lunch", NULL
};
static const char *const bus_texts[] = {
	"the 42 never turns up", "bus fares cost too much", "the last bus leaves at 7",
	"bus drivers are rude to us", "no bus route to college", NULL
};

/* Learns each text with one theme (index th). */
static void learn_all(struct classify *c, const char *const *texts, int th)
{
	for (int i = 0; texts[i]; i++)
		CHECK(classify_learn(c, texts[i], strlen(texts[i]), &th, 1) == SV_OK);
}

/* Learning: with no seeds nothing is suggested; after tags, their words are. */
static void test_learning(void)
{
	struct taxonomy *t = plain_taxonomy();
	struct classify *c = new_classifier(t);

	if (!c) {
		taxonomy_free(t);
		return;
	}
	CHECK_STR(suggested(c, t, "dinners and fares"), "");
	learn_all(c, food_texts, 0);
	learn_all(c, bus_texts, 1);
	CHECK(classify_tagged(c) == 10);
	/* Answers that say nothing in particular, coded "no theme". */
	CHECK(classify_learn(c, "nothing really", 14, NULL, 0) == SV_OK);
	CHECK(classify_learn(c, "its fine", 8, NULL, 0) == SV_OK);
	CHECK(classify_tagged(c) == 12);
	CHECK_STR(suggested(c, t, "dinners are too small"), "food");
	CHECK_STR(suggested(c, t, "bus fares!!"), "buses");
	/* Speaking of both: both themes rank well above the one never mentioned. */
	double cf[3];
	classify_scores(c, "bus fares and school dinners", 28, cf);
	CHECK(cf[0] > 5 * cf[2] && cf[1] > 5 * cf[2]);

	CHECK_STR(suggested(c, t, "nothing"), "");
	/* A theme never coded is never suggested. */
	classify_scores(c, "sport sport sport", 17, cf);
	CHECK(cf[2] < CLASSIFY_BEST);
	classify_free(c);
	taxonomy_free(t);
}

/*
 * Misspelt words: a word never seen, but sharing most of its letters with
 * words tagged with a theme, leans to that theme through the n-grams of
 * its stem, where a word sharing nothing gets only what the themes' biases
 * give (the same for every such word).
 */
static void test_misspelt(void)
{
	struct taxonomy *t = plain_taxonomy();
	struct classify *c = new_classifier(t);
	double unseen[3], cf[3];
	static const char *const food_like[] = { "dinnerz", "canteeen", "breakfst", "lunchtime", NULL };
	static const char *const bus_like[] = { "bussess", "farez", "drivr", NULL };

	if (!c) {
		taxonomy_free(t);
		return;
	}
	learn_all(c, food_texts, 0);
	learn_all(c, bus_texts, 1);
	classify_scores(c, "qqqq", 4, unseen);
	for (int i = 0; food_like[i]; i++) {
		classify_scores(c, food_like[i], strlen(food_like[i]), cf);
		CHECK(cf[0] > unseen[0] + 0.05 && cf[0] > cf[1] && cf[0] > cf[2]);
	}
	for (int i = 0; bus_like[i]; i++) {
		classify_scores(c, bus_like[i], strlen(bus_like[i]), cf);
		CHECK(cf[1] > unseen[1] + 0.02 && cf[1] > cf[0] && cf[1] > cf[2]);
	}
	classify_free(c);
	taxonomy_free(t);
}

/*
 * Seed words: one of two words ("kicked-out") is known in an answer by its
 * two words in that order, stop words between them aside; an answer of
 * seed words of every theme, as many words as are read (each theme's
 * seed-word feature once, however many of its seed words the answer
 * holds), scores, is learned and is given back.
 */
static void test_seed_words(void)
{
	const char *json = "{\"priorities\": [{\"number\": 1, \"name\": \"One\"}], \"themes\": ["
		"{\"id\": \"homeless\", \"name\": \"Homeless\", \"priorities\": [1],"
		" \"seeds\": [\"kicked-out\", \"sofa\"]},"
		"{\"id\": \"buses\", \"name\": \"Buses\", \"priorities\": [1], \"seeds\": [\"bus\"]}]}";
	struct taxonomy *t = NULL;
	struct classify *c = NULL;
	double in_order[2], reversed[2], apart[2];

	CHECK(taxonomy_parse(json, strlen(json), "seeds", &t, NULL, 0) == SV_OK);
	c = new_classifier(t);
	if (c) {
		classify_scores(c, "kicked out", 10, in_order);
		classify_scores(c, "out kicked", 10, reversed);
		classify_scores(c, "kicked ball out", 15, apart);
		CHECK_STR(suggested(c, t, "i got kicked out at 16"), "homeless");
		CHECK(in_order[0] > reversed[0] + 0.05 && in_order[0] > apart[0] + 0.05);
		/* Stop words between them do not part them ("me" is one). */
		classify_scores(c, "kicked me out", 13, apart);
		CHECK(memcmp(apart, in_order, sizeof apart) == 0);
		classify_free(c);
	}
	taxonomy_free(t);

	t = real_taxonomy();
	c = new_classifier(t);
	if (c) {
		/* Seed words of every theme in turn, as many as an answer's words are read. */
		struct sbuf all;
		int words = 0;
		sbuf_init(&all, 64 * 1024);
		for (int k = 0; k < TAXONOMY_MAX_SEEDS; k++)
			for (size_t i = 0; i < t->nthemes; i++)
				if (k < t->themes[i].nseeds && words++ < CLASSIFY_MAX_WORDS)
					sbuf_addf(&all, "%s ", t->themes[i].seeds[k]);
		CHECK(all.err == SV_OK && all.len <= CLASSIFY_MAX_TEXT);
		double conf[TAXONOMY_MAX_THEMES];
		int mental = taxonomy_theme_index(t, "mental-health");
		classify_scores(c, all.buf, all.len, conf);
		for (size_t i = 0; i < t->nthemes; i++)
			CHECK(conf[i] >= 0 && conf[i] <= 1);
		CHECK(classify_learn(c, all.buf, all.len, &mental, 1) == SV_OK);
		CHECK(classify_forget(c, all.buf, all.len, &mental, 1) == SV_OK);
		CHECK(classify_tagged(c) == 0);
		sbuf_free(&all);
		classify_free(c);
	}
	taxonomy_free(t);
}

/* Two classifiers agree bit for bit on every theme's confidence. */
static int same_scores(struct classify *a, struct classify *b, int nthemes)
{
	static const char *const probes[] = {
		"dinners are too small", "bus fares!!", "hungry and the fares are too much",
		"nothing", "the 42 is late and i am hungry", NULL
	};
	double x[TAXONOMY_MAX_THEMES], y[TAXONOMY_MAX_THEMES];

	for (int i = 0; probes[i]; i++) {
		classify_scores(a, probes[i], strlen(probes[i]), x);
		classify_scores(b, probes[i], strlen(probes[i]), y);
		if (memcmp(x, y, (size_t)nthemes * sizeof *x) != 0)
			return 0;
	}
	return 1;
}

/*
 * Forgetting: a wrongly tagged answer given back leaves the classifier as
 * if it had never learned it, and the corrected tag as if it had been
 * right from the start; what was never learned cannot be forgotten.
 */
static void test_forgetting(void)
{
	struct taxonomy *t = plain_taxonomy();
	struct classify *fixed = NULL, *right = NULL, *never = NULL;
	const char *answer = "the canteen queue is so long i miss lunch";
	int food = 0, buses = 1, both[2] = { 1, 0 };

	if (!t)
		return;
	CHECK(classify_new(t, vectors, &fixed) == SV_OK && classify_new(t, vectors, &right) == SV_OK &&
	      classify_new(t, vectors, &never) == SV_OK);
	if (!fixed || !right || !never)
		goto out;
	struct classify *all[3] = { fixed, right, never };
	for (int i = 0; i < 3; i++) {
		learn_all(all[i], food_texts, 0);
		learn_all(all[i], bus_texts, 1);
	}
	/* Tagged "buses" by mistake, then corrected to "food". */
	CHECK(classify_learn(fixed, answer, strlen(answer), &buses, 1) == SV_OK);
	CHECK(!same_scores(fixed, never, 3));
	/* Given back with other themes than it was learned with: refused, nothing changes. */
	CHECK(classify_forget(fixed, answer, strlen(answer), &food, 1) == SV_ERR_INVALID);
	CHECK(classify_forget(fixed, answer, strlen(answer), both, 2) == SV_ERR_INVALID);
	CHECK(classify_forget(fixed, answer, strlen(answer), NULL, 0) == SV_ERR_INVALID);
	CHECK(classify_forget(fixed, "never learned", 13, &buses, 1) == SV_ERR_INVALID);
	CHECK(classify_tagged(fixed) == 11);
	CHECK(classify_forget(fixed, answer, strlen(answer), &buses, 1) == SV_OK);
	CHECK(classify_tagged(fixed) == 10);
	CHECK(same_scores(fixed, never, 3));
	CHECK(classify_learn(fixed, answer, strlen(answer), &food, 1) == SV_OK);
	CHECK(classify_learn(right, answer, strlen(answer), &food, 1) == SV_OK);
	CHECK(same_scores(fixed, right, 3));
	/* Given back twice: the second time there is nothing to give back. */
	CHECK(classify_forget(fixed, answer, strlen(answer), &food, 1) == SV_OK);
	CHECK(classify_forget(fixed, answer, strlen(answer), &food, 1) == SV_ERR_INVALID);
	CHECK(same_scores(fixed, never, 3));
	/* Themes in another order are the same themes. */
	CHECK(classify_learn(fixed, answer, strlen(answer), both, 2) == SV_OK);
	int other_order[2] = { 0, 1 };
	CHECK(classify_forget(fixed, answer, strlen(answer), other_order, 2) == SV_OK);
	CHECK(same_scores(fixed, never, 3));
	/* A seed word is not an answer: it cannot be forgotten. */
	struct taxonomy *real = real_taxonomy();
	struct classify *seeded = NULL;
	int transport = real ? taxonomy_theme_index(real, "transport") : -1;
	if (real && transport >= 0 && classify_new(real, vectors, &seeded) == SV_OK) {
		CHECK(classify_forget(seeded, "bus", 3, &transport, 1) == SV_ERR_INVALID);
		classify_free(seeded);
	}
	taxonomy_free(real);
out:
	classify_free(fixed);
	classify_free(right);
	classify_free(never);
	taxonomy_free(t);
}

/*
 * An answer given back from the middle of those learned (its features and,
 * with sentence vectors, its vector): the rest stay as if it had never been.
 */
static void test_forget_middle(void)
{
	struct taxonomy *t = plain_taxonomy();
	struct classify *fixed = NULL, *never = NULL;
	const char *answer = "the canteen queue is so long i miss lunch";
	int buses = 1;

	if (!t)
		return;
	CHECK(classify_new(t, vectors, &fixed) == SV_OK && classify_new(t, vectors, &never) == SV_OK);
	if (fixed && never) {
		learn_all(fixed, food_texts, 0);
		CHECK(classify_learn(fixed, answer, strlen(answer), &buses, 1) == SV_OK);
		learn_all(fixed, bus_texts, 1);
		learn_all(never, food_texts, 0);
		learn_all(never, bus_texts, 1);
		CHECK(!same_scores(fixed, never, 3));
		CHECK(classify_forget(fixed, answer, strlen(answer), &buses, 1) == SV_OK);
		CHECK(same_scores(fixed, never, 3));
	}
	classify_free(fixed);
	classify_free(never);
	/*
	 * Two answers with the same words, one shouted: the one given back
	 * goes, whose vector (with sentence vectors) is not the other's.
	 */
	fixed = never = NULL;
	CHECK(classify_new(t, vectors, &fixed) == SV_OK && classify_new(t, vectors, &never) == SV_OK);
	if (fixed && never) {
		learn_all(fixed, food_texts, 0);
		CHECK(classify_learn(fixed, "BUSES LATE!!!", 13, &buses, 1) == SV_OK);
		CHECK(classify_learn(fixed, "buses late", 10, &buses, 1) == SV_OK);
		learn_all(fixed, bus_texts, 1);
		learn_all(never, food_texts, 0);
		CHECK(classify_learn(never, "buses late", 10, &buses, 1) == SV_OK);
		learn_all(never, bus_texts, 1);
		CHECK(classify_forget(fixed, "BUSES LATE!!!", 13, &buses, 1) == SV_OK);
		CHECK(same_scores(fixed, never, 3));
	}
	classify_free(fixed);
	classify_free(never);
	taxonomy_free(t);
}

/* The same calls give the same confidences, bit for bit, in a fresh classifier. */
static void test_determinism(void)
{
	struct taxonomy *t = real_taxonomy();
	struct classify *a = NULL, *b = NULL;
	int talk, mental;

	if (!t)
		return;
	talk = taxonomy_theme_index(t, "someone-to-talk-to");
	mental = taxonomy_theme_index(t, "mental-health");
	CHECK(classify_new(t, vectors, &a) == SV_OK && classify_new(t, vectors, &b) == SV_OK);
	if (a && b && talk >= 0 && mental >= 0) {
		int two[2] = { talk, mental };
		struct classify *both[2] = { a, b };
		for (int i = 0; i < 2; i++) {
			CHECK(classify_learn(both[i], "nobody listens when im low", 26, two, 2) == SV_OK);
			CHECK(classify_learn(both[i], "a youth worker to chat to", 25, &talk, 1) == SV_OK);
			CHECK(classify_learn(both[i], "more bins", 9, NULL, 0) == SV_OK);
		}
		CHECK(same_scores(a, b, (int)t->nthemes));
		/* Asking again (the model is trained once) changes nothing. */
		CHECK(same_scores(a, b, (int)t->nthemes));
	}
	classify_free(a);
	classify_free(b);
	taxonomy_free(t);
}

/* Hostile text: huge, invalid UTF-8, NUL bytes, one endless word, empty. */
static void test_hostile(void)
{
	struct taxonomy *t = real_taxonomy();
	struct classify *c = NULL;
	double conf[TAXONOMY_MAX_THEMES], cut[TAXONOMY_MAX_THEMES];
	static const char *const bad[] = {
		"\xff\xfe bus \xc0\xaf", "\xed\xa0\x80 surrogate", "\xf4\x90\x80\x80 past U+10FFFF",
		"overlong \xe0\x80\xaf slash", "cut at the end \xe2\x80", "\x80\x80\x80\x80",
		"caf\xc3\xa9 \xe2\x80\x99s and don\xe2\x80\x99t", "\xf0\x9f\x98\xad\xf0\x9f\x98\xad", NULL
	};
	int transport;

	if (!t)
		return;
	transport = taxonomy_theme_index(t, "transport");
	CHECK(classify_new(t, vectors, &c) == SV_OK);
	if (!c || transport < 0) {
		classify_free(c);
		taxonomy_free(t);
		return;
	}
	for (int i = 0; bad[i]; i++) {
		classify_scores(c, bad[i], strlen(bad[i]), conf);
		for (size_t k = 0; k < t->nthemes; k++)
			CHECK(conf[k] >= 0 && conf[k] <= 1);
		CHECK(classify_learn(c, bad[i], strlen(bad[i]), &transport, 1) == SV_OK);
		CHECK(classify_forget(c, bad[i], strlen(bad[i]), &transport, 1) == SV_OK);
	}
	/* Bytes beyond the first CLASSIFY_MAX_TEXT are not read. */
	size_t big = 8 * 1024 * 1024;
	char *huge = malloc(big);
	if (huge) {
		for (size_t i = 0; i < big; i++)
			huge[i] = "ab \0"[i % 4];
		memcpy(huge + CLASSIFY_MAX_TEXT + 10, " buses ", 7);
		classify_scores(c, huge, big, conf);
		classify_scores(c, huge, CLASSIFY_MAX_TEXT, cut);
		CHECK(memcmp(conf, cut, t->nthemes * sizeof *conf) == 0);
		CHECK(classify_learn(c, huge, big, &transport, 1) == SV_OK);
		CHECK(classify_forget(c, huge, big, &transport, 1) == SV_OK);
		/* One word as long as the text. */
		memset(huge, 'x', big);
		classify_scores(c, huge, big, conf);
		for (size_t k = 0; k < t->nthemes; k++)
			CHECK(conf[k] >= 0 && conf[k] <= 1);
		/* A seed word after CLASSIFY_MAX_WORDS other words is not read either. */
		size_t at = 0;
		for (int w = 0; w < CLASSIFY_MAX_WORDS; w++)
			at += (size_t)snprintf(huge + at, 16, "word%d ", w);
		memcpy(huge + at, "buses", 5);
		classify_scores(c, huge, at + 5, conf);
		classify_scores(c, huge, at, cut);
		CHECK(memcmp(conf, cut, t->nthemes * sizeof *conf) == 0);
		/*
		 * Long distinct words, as many as are read (18 bytes each, within
		 * CLASSIFY_MAX_TEXT): an answer keeps a bounded number of n-grams, and
		 * a seed word after that budget still counts.
		 */
		at = 0;
		for (int w = 0; w < CLASSIFY_MAX_WORDS - 1; w++)
			at += (size_t)snprintf(huge + at, 24, "q%017d ", w);
		CHECK(at + 5 <= CLASSIFY_MAX_TEXT);
		classify_scores(c, huge, at, cut);
		memcpy(huge + at, "buses", 5);
		classify_scores(c, huge, at + 5, conf);
		CHECK(conf[transport] > cut[transport] + 0.1);
		/* What it keeps is within CLASSIFY_MAX_ANSWER_BYTES (docs/limits.md). */
		size_t before = classify_bytes(c);
		CHECK(classify_learn(c, huge, at + 5, &transport, 1) == SV_OK);
		size_t grew = classify_bytes(c) - before;
		CHECK(grew > 4 * 2 * (CLASSIFY_MAX_WORDS - 10) + (vectors ? CLASSIFY_VECTOR_BYTES : 0) &&
		      grew <= CLASSIFY_MAX_ANSWER_BYTES(t->nthemes) + (vectors ? CLASSIFY_VECTOR_BYTES : 0));
		CHECK(CLASSIFY_MAX_ANSWER_BYTES(15) == 3328);
		CHECK(CLASSIFY_MAX_ANSWER_BYTES(TAXONOMY_MAX_THEMES) == 4808);
		CHECK(classify_forget(c, huge, at + 5, &transport, 1) == SV_OK);
		CHECK(classify_bytes(c) == before);
		free(huge);
	}
	/* NUL bytes are word breaks, not the end. */
	CHECK_STR(suggested(c, t, ""), "");
	struct classify_suggestion s[4];
	CHECK(classify_suggest(c, "idk\0buses", 9, s, 4) == 1 && s[0].theme == transport);
	/* Refused themes: out of range, twice, a negative count; nothing is learned. */
	int bad_themes[2] = { (int)t->nthemes, 0 }, twice[2] = { 1, 1 }, neg = -1;
	CHECK(classify_learn(c, "x", 1, bad_themes, 1) == SV_ERR_INVALID);
	CHECK(classify_learn(c, "x", 1, &neg, 1) == SV_ERR_INVALID);
	CHECK(classify_learn(c, "x", 1, twice, 2) == SV_ERR_INVALID);
	CHECK(classify_learn(c, "x", 1, twice, -1) == SV_ERR_INVALID);
	CHECK(classify_learn(c, "x", 1, NULL, 1) == SV_ERR_INVALID);
	CHECK(classify_tagged(c) == 0);
	classify_free(c);
	taxonomy_free(t);

	/* A taxonomy with no themes cannot be classified into. */
	struct taxonomy empty = { 0 };
	c = (struct classify *)&c;
	CHECK(classify_new(&empty, NULL, &c) == SV_ERR_INVALID && c == NULL);
	classify_free(NULL);
}

/*
 * With sentence vectors, an answer that holds no seed word and no word
 * learned is suggested its theme from what it means, as words alone
 * cannot.
 */
static void test_sentences(void)
{
	struct taxonomy *t = real_taxonomy();
	struct classify *c = NULL, *words = NULL;

	if (!t)
		return;
	int mental = taxonomy_theme_index(t, "mental-health");
	CHECK(classify_new(t, vectors, &c) == SV_OK && classify_new(t, NULL, &words) == SV_OK);
	if (!c || !words || mental < 0)
		goto out;
	/*
	 * Meaning beyond the words: after the same few coded answers, answers
	 * that share no word with them or with a seed word of mental health
	 * (one from the held-out answers the words alone miss,
	 * docs/analysis.md) are suggested it with vectors, not with words.
	 */
	static const struct { const char *text; const char *theme; } coded[] = {
		{ "i feel anxious all the time", "mental-health" },
		{ "my depression has got really bad", "mental-health" },
		{ "panic attacks before exams", "mental-health" },
		{ "buses never come on time", "transport" },
		{ "more football pitches", "sport-activity" },
		{ NULL, NULL }
	};
	for (int i = 0; coded[i].text; i++) {
		int th = taxonomy_theme_index(t, coded[i].theme);
		CHECK(classify_learn(c, coded[i].text, strlen(coded[i].text), &th, 1) == SV_OK);
		CHECK(classify_learn(words, coded[i].text, strlen(coded[i].text), &th, 1) == SV_OK);
	}
	CHECK(classify_locked(c));  /* the vectors, like the answers, are kept out of swap */
	static const char *const unseen[] = { "im always worried about everything", "my head is a mess",
					      NULL };
	for (int i = 0; unseen[i]; i++) {
		struct classify_suggestion with[4], without[4];
		int n = classify_suggest(c, unseen[i], strlen(unseen[i]), with, 4);
		int m = classify_suggest(words, unseen[i], strlen(unseen[i]), without, 4);
		CHECK(n >= 1 && with[0].theme == mental);
		CHECK(m == 0 || without[0].theme != mental);
		if (!(n >= 1 && with[0].theme == mental) || !(m == 0 || without[0].theme != mental))
			fprintf(stderr, "  \"%s\": %s first with vectors (%.2f), %s with words\n", unseen[i],
				n ? t->themes[with[0].theme].id : "none", n ? with[0].confidence : 0,
				m ? t->themes[without[0].theme].id : "none");
	}
out:
	classify_free(c);
	classify_free(words);
	taxonomy_free(t);
}

/* At most CLASSIFY_MAX_TAGGED answers are learned; giving one back makes room. */
static void test_cap(void)
{
	struct taxonomy *t = real_taxonomy();
	struct classify *c = NULL;

	if (!t)
		return;
	int transport = taxonomy_theme_index(t, "transport");
	CHECK(classify_new(t, NULL, &c) == SV_OK);
	if (c && transport >= 0) {
		enum sv_err rc = SV_OK;
		for (int i = 0; i < CLASSIFY_MAX_TAGGED && !rc; i++) {
			char line[32];
			int n = snprintf(line, sizeof line, "answer %d", i);
			rc = classify_learn(c, line, (size_t)n, &transport, 1);
		}
		CHECK(rc == SV_OK && classify_tagged(c) == CLASSIFY_MAX_TAGGED);
		CHECK(classify_learn(c, "one more", 8, &transport, 1) == SV_ERR_TOOBIG);
		CHECK(classify_forget(c, "answer 7", 8, &transport, 1) == SV_OK);
		CHECK(classify_learn(c, "one more", 8, &transport, 1) == SV_OK);
		CHECK(classify_tagged(c) == CLASSIFY_MAX_TAGGED);
	}
	classify_free(c);
	taxonomy_free(t);
}

static int near(double got, double want)
{
	int ok = fabs(got - want) < 1e-12;
	if (!ok)
		fprintf(stderr, "  kappa %.15f, want %.15f\n", got, want);
	return ok;
}

/*
 * Kappa on worked examples.  Wikipedia's "Cohen's kappa" example: 50
 * proposals, both yes 20, only A 5, only B 10, both no 15: po 0.7, pe 0.5,
 * kappa 0.4.  And 45/15/25/15 of 100: po 0.6, pe 0.54, kappa 0.06/0.46.
 */
static void test_kappa(void)
{
	struct classify_agreement wiki = { 20, 5, 10, 15 }, second = { 45, 15, 25, 15 };

	CHECK(near(classify_kappa(&wiki), 0.4));
	CHECK(near(classify_kappa(&second), 0.06 / 0.46));
	struct classify_agreement same = { 7, 0, 0, 3 }, opposite = { 0, 5, 5, 0 };
	CHECK(near(classify_kappa(&same), 1));
	CHECK(near(classify_kappa(&opposite), -1));
	struct classify_agreement none = { 0, 0, 0, 0 }, all_no = { 0, 0, 0, 9 }, all_yes = { 9, 0, 0, 0 };
	CHECK(isnan(classify_kappa(&none)));
	CHECK(isnan(classify_kappa(&all_no)));
	CHECK(isnan(classify_kappa(&all_yes)));

	/*
	 * Two coders, 100 answers, two themes: theme 0 is the Wikipedia table
	 * doubled (40, 10, 20, 30: kappa 0.4 again), theme 1 the second table.
	 * Pooled, 85, 25, 45, 45 of 200: po 0.65, pe 0.55 x 0.65 + 0.45 x 0.35
	 * = 0.515, kappa 0.135 / 0.485 = 27/97.
	 */
	enum { N = 100 };
	static unsigned char first[N * 2], second_coder[N * 2];
	const long t0[4] = { 40, 10, 20, 30 }, t1[4] = { 45, 15, 25, 15 };
	for (int th = 0; th < 2; th++) {
		const long *tab = th ? t1 : t0;
		int i = 0;
		for (int cell = 0; cell < 4; cell++)
			for (long k = 0; k < tab[cell]; k++, i++) {
				first[i * 2 + th] = cell == 0 || cell == 1;
				second_coder[i * 2 + th] = cell == 0 || cell == 2;
			}
		CHECK(i == N);
	}
	double per[2] = { 0, 0 }, overall = 0;
	CHECK(classify_kappa_codes(2, N, first, second_coder, per, &overall) == SV_OK);
	CHECK(near(per[0], 0.4));
	CHECK(near(per[1], 0.06 / 0.46));
	CHECK(near(overall, 27.0 / 97.0));
	/* Swapping the coders changes nothing. */
	CHECK(classify_kappa_codes(2, N, second_coder, first, per, &overall) == SV_OK);
	CHECK(near(per[0], 0.4) && near(overall, 27.0 / 97.0));
	CHECK(classify_kappa_codes(-1, N, first, second_coder, per, &overall) == SV_ERR_INVALID);
	CHECK(classify_kappa_codes(2, N, NULL, second_coder, per, &overall) == SV_ERR_INVALID);
	CHECK(classify_kappa_codes(2, 0, NULL, NULL, per, &overall) == SV_OK);
	CHECK(isnan(per[0]) && isnan(overall));
}

/* The words of text reasons gives, as "word,word" (empty for none). */
static const char *reasons(struct classify *c, const char *text, int theme, int max)
{
	static char out[512];
	struct classify_reason r[CLASSIFY_MAX_REASONS + 2];
	int n = classify_reasons(c, text, strlen(text), theme, r, max);

	out[0] = 0;
	CHECK(n >= 0 && n <= CLASSIFY_MAX_REASONS && n <= (max > 0 ? max : 0));
	for (int i = 0; i < n; i++) {
		size_t used = strlen(out);
		CHECK(r[i].from < r[i].to && r[i].to <= strlen(text));
		CHECK(r[i].weight >= CLASSIFY_REASON_MIN);
		if (i > 0)
			CHECK(r[i].weight <= r[i - 1].weight);
		snprintf(out + used, sizeof out - used, "%s%.*s", i ? "," : "", (int)(r[i].to - r[i].from),
			 text + r[i].from);
	}
	return out;
}

/*
 * Why a theme leans: the words that raise it, strongest first, as typed
 * (case and apostrophes kept), each stem once, never a stop word or a word
 * never seen with the theme; none for a theme out of range.
 */
static void test_reasons(void)
{
	struct taxonomy *t = plain_taxonomy();
	struct classify *c = new_classifier(t);

	if (!c) {
		taxonomy_free(t);
		return;
	}
	/* The bounds docs/limits.md and docs/analysis.md give. */
	CHECK(CLASSIFY_MAX_REASONS == 3 && CLASSIFY_REASON_MIN == 1.0);
	CHECK_STR(reasons(c, "dinners and fares", 0, 3), "");  /* nothing learned: nothing says much */
	learn_all(c, food_texts, 0);
	learn_all(c, bus_texts, 1);
	CHECK(classify_learn(c, "nothing really", 14, NULL, 0) == SV_OK);
	/* "dinners" (in three food answers) before "lunch" (in two); "the" and "xylophone" never. */
	CHECK_STR(reasons(c, "the xylophone lunch DINNERS", 0, 3), "DINNERS,lunch");
	CHECK_STR(reasons(c, "the xylophone lunch DINNERS", 0, 1), "DINNERS");
	CHECK_STR(reasons(c, "the xylophone lunch DINNERS", 0, 0), "");
	/* The same stem twice is one reason, the first as typed. */
	CHECK_STR(reasons(c, "Dinners, dinner and dinners", 0, 3), "Dinners");
	/* Each theme its own words: "bus" for buses, and for food not. */
	CHECK_STR(reasons(c, "dinners on the bus", 1, 3), "bus");
	CHECK_STR(reasons(c, "dinners on the bus", 0, 3), "dinners");
	/* A word with an apostrophe is given whole. */
	CHECK(classify_learn(c, "the bus driver's rude", 21, (int[]){ 1 }, 1) == SV_OK);
	CHECK(strstr(reasons(c, "that driver's late", 1, 3), "driver's") != NULL);
	/* Out of range, or nothing to read. */
	struct classify_reason r[CLASSIFY_MAX_REASONS];
	CHECK(classify_reasons(c, "dinners", 7, 3, r, CLASSIFY_MAX_REASONS) == 0);
	CHECK(classify_reasons(c, "dinners", 7, -1, r, CLASSIFY_MAX_REASONS) == 0);
	CHECK(classify_reasons(c, NULL, 0, 0, r, CLASSIFY_MAX_REASONS) == 0);
	/* More than CLASSIFY_MAX_REASONS asked: at most that many given (reasons checks). */
	learn_all(c, food_texts, 0);
	learn_all(c, food_texts, 0);
	CHECK_STR(reasons(c, "canteen breakfast tiny", 0, 3), "breakfast,canteen,tiny");
	CHECK_STR(reasons(c, "dinners lunch canteen breakfast hungry tiny", 0, CLASSIFY_MAX_REASONS + 2),
		  "hungry,dinners,lunch");
	classify_free(c);
	taxonomy_free(t);
}

/*
 * Apostrophes: a clitic that says nothing ends the word ("I'll" is "i", a
 * stop word, not the young carers' seed word "ill"; "bus'll" is "bus"),
 * where "n't" stays part of it ("can't" is "cant").
 */
static void test_clitics(void)
{
	struct taxonomy *t = real_taxonomy();
	struct classify *c = new_classifier(t);
	int carers = t ? taxonomy_theme_index(t, "young-carers") : -1;

	if (!c || carers < 0) {
		CHECK(carers >= 0);
		classify_free(c);
		taxonomy_free(t);
		return;
	}
	CHECK_STR(reasons(c, "my mum is ill", carers, 3), "ill");
	CHECK_STR(reasons(c, "I'll be late", carers, 3), "");
	CHECK_STR(reasons(c, "I\xe2\x80\x99ll be late", carers, 3), "");  /* a curly apostrophe too */
	CHECK_STR(reasons(c, "I'LL be late", carers, 3), "");
	CHECK_STR(reasons(c, "ill'll", carers, 3), "ill'll");   /* the word before it still counts */
	/* In quotes too, straight or curly: the closing quote is not another letter. */
	CHECK_STR(reasons(c, "the 'I'll' answer", carers, 3), "");
	CHECK_STR(reasons(c, "he said \xe2\x80\x98I\xe2\x80\x99ll\xe2\x80\x99 and left", carers, 3), "");
	double conf[TAXONOMY_MAX_THEMES];
	classify_scores(c, "the 'I'll' answer", 17, conf);
	CHECK(conf[carers] < CLASSIFY_BEST);
	classify_free(c);

	/* Learned: "cant" and "can't" are one word; "bus'll" and "bus" another. */
	struct taxonomy *p = plain_taxonomy();
	c = new_classifier(p);
	if (c) {
		for (int k = 0; k < 4; k++) {
			CHECK(classify_learn(c, "cant afford dinners", 19, (int[]){ 0 }, 1) == SV_OK);
			CHECK(classify_learn(c, "late bus", 8, (int[]){ 1 }, 1) == SV_OK);
		}
		CHECK(strstr(reasons(c, "i can't", 0, 3), "can't") != NULL);
		CHECK_STR(reasons(c, "the bus'll", 1, 3), "bus'll");
	}
	classify_free(c);
	taxonomy_free(p);
	taxonomy_free(t);
}

int main(void)
{
	test_seeds_only();
	test_learning();
	test_misspelt();
	test_seed_words();
	test_forgetting();
	test_determinism();
	test_hostile();
	test_cap();
	test_reasons();
	test_clitics();
	test_kappa();
	/* Again with sentence vectors, and what only they add. */
	struct sentence_model *model = NULL;
	CHECK(sentence_load(SENTENCE_MODEL_DIR, &model) == SV_OK);
	if (model && sentence_cache_new(model, 256, &vectors) == SV_OK) {
		test_forgetting();
		test_forget_middle();
		test_determinism();
		test_hostile();
		test_sentences();
	}
	sentence_cache_free(vectors);
	sentence_free(model);
	return CHECK_DONE();
}
