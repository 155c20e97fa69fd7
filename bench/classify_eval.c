/*
 * classify_eval.c - how good and how fast the theme suggestions of
 * core/classify.h are, on the labelled answers in tests/data/classify.tsv.
 *
 *   classify_eval [--seed S] [--data FILE] [--taxonomy FILE]
 *       `make classify-eval`: shuffles the "train" answers in a fixed order
 *       (S, default 15), learns the first 0 (seed words only), 50, 100 and
 *       200 of them as confirmed tags, and prints the micro-F1 of the
 *       suggestions on the held-out "test" answers beside published figures.
 *   classify_eval --dev [--seed S]
 *       the same, but scored on the "train" answers not learned: for choosing
 *       the model's constants without looking at the test answers.
 *   classify_eval --time N
 *       learns every "train" answer, then times suggestions for N answers
 *       (the "test" ones over and over); prints "classify-time N SECONDS".
 *
 * Micro-F1 counts each (answer, theme) pair: a suggested theme the answer
 * has is a true positive, one it has not a false positive, a theme of the
 * answer not suggested a false negative (an answer with no theme and no
 * suggestion adds nothing).  Run from the repository root.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/classify.h"
#include "../core/files.h"
#include "../core/taxonomy.h"

#define MAX_ROWS 4000
#define MAX_LABELS 8

struct row {
	int test;                /* 1: held out */
	int themes[MAX_LABELS];  /* theme indexes */
	int n;                   /* how many; 0 is "no theme" */
	char *text;
};

static struct row rows[MAX_ROWS];
static int nrows;

static void die(const char *msg, const char *what)
{
	fprintf(stderr, "classify_eval: %s%s%s\n", msg, what ? ": " : "", what ? what : "");
	exit(1);
}

/* Reads "split TAB themes TAB text" lines ('#' lines are comments). */
static void load_rows(const char *file, const struct taxonomy *t)
{
	char *text = NULL;
	size_t len = 0;

	if (files_read_all(file, 16 * 1024 * 1024, &text, &len) != SV_OK || !text)
		die("cannot read", file);
	for (char *line = text, *end; line < text + len; line = end + 1) {
		end = memchr(line, '\n', (size_t)(text + len - line));
		if (!end)
			end = text + len;
		*end = 0;
		if (line[0] == '#' || line[0] == 0)
			continue;
		char *tab1 = strchr(line, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
		if (!tab2 || nrows == MAX_ROWS)
			die("a line is not split TAB themes TAB text", line);
		*tab1 = *tab2 = 0;
		struct row *r = &rows[nrows++];
		if (strcmp(line, "test") == 0)
			r->test = 1;
		else if (strcmp(line, "train") != 0)
			die("the split is neither train nor test", line);
		for (char *id = tab1 + 1; strcmp(tab1 + 1, "-") != 0 && id < tab2;) {
			char *comma = strchr(id, ',');
			if (comma)
				*comma = 0;
			int th = taxonomy_theme_index(t, id);
			if (th < 0 || r->n == MAX_LABELS)
				die("unknown theme", id);
			r->themes[r->n++] = th;
			id = comma ? comma + 1 : tab2;
		}
		r->text = strdup(tab2 + 1);
		if (!r->text)
			die("out of memory", NULL);
	}
	free(text);
}

/* splitmix64: a fixed shuffle from the seed, the same on every machine. */
static uint64_t next_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

struct score {
	long tp, fp, fn;
};

static void score_row(struct classify *c, const struct row *r, struct score *s)
{
	struct classify_suggestion out[TAXONOMY_MAX_THEMES];
	int n = classify_suggest(c, r->text, strlen(r->text), out, TAXONOMY_MAX_THEMES);

	for (int i = 0; i < n; i++) {
		int hit = 0;
		for (int k = 0; k < r->n; k++)
			hit |= r->themes[k] == out[i].theme;
		if (hit)
			s->tp++;
		else
			s->fp++;
	}
	for (int k = 0; k < r->n; k++) {
		int found = 0;
		for (int i = 0; i < n; i++)
			found |= r->themes[k] == out[i].theme;
		if (!found)
			s->fn++;
	}
}

static double f1(const struct score *s)
{
	return s->tp ? 2.0 * (double)s->tp / (double)(2 * s->tp + s->fp + s->fn) : 0;
}

int main(int argc, char **argv)
{
	const char *data = "tests/data/classify.tsv", *taxfile = "forms/taxonomy.json";
	unsigned long long seed = 15;
	long time_n = 0;
	int dev = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
			data = argv[++i];
		else if (strcmp(argv[i], "--taxonomy") == 0 && i + 1 < argc)
			taxfile = argv[++i];
		else if (strcmp(argv[i], "--time") == 0 && i + 1 < argc)
			time_n = strtol(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--dev") == 0)
			dev = 1;
		else
			die("usage: classify_eval [--seed S] [--dev] [--time N] [--data FILE] [--taxonomy FILE]", NULL);
	}

	char *tjson = NULL, err[512] = "";
	size_t tlen = 0;
	struct taxonomy *tax = NULL;
	if (files_read_all(taxfile, 1024 * 1024, &tjson, &tlen) != SV_OK || !tjson ||
	    taxonomy_parse(tjson, tlen, taxfile, &tax, err, sizeof err) != SV_OK)
		die("cannot read the taxonomy", err[0] ? err : taxfile);
	free(tjson);
	load_rows(data, tax);

	int pool[MAX_ROWS], npool = 0, test[MAX_ROWS], ntest = 0;
	for (int i = 0; i < nrows; i++) {
		if (rows[i].test)
			test[ntest++] = i;
		else
			pool[npool++] = i;
	}
	uint64_t st = seed;
	for (int i = npool - 1; i > 0; i--) { /* Fisher-Yates */
		int j = (int)(next_rand(&st) % (uint64_t)(i + 1));
		int x = pool[i];
		pool[i] = pool[j];
		pool[j] = x;
	}

	if (time_n > 0) {
		struct classify *c = NULL;
		struct classify_suggestion out[TAXONOMY_MAX_THEMES];
		struct timespec t0, t1;
		long suggested = 0;
		if (classify_new(tax, &c) != SV_OK || ntest == 0)
			die("cannot make a classifier", NULL);
		for (int i = 0; i < npool; i++)
			classify_learn(c, rows[pool[i]].text, strlen(rows[pool[i]].text),
				       rows[pool[i]].themes, rows[pool[i]].n);
		/* Training happens at the first suggestion after learning: not timed. */
		classify_suggest(c, "", 0, out, TAXONOMY_MAX_THEMES);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (long k = 0; k < time_n; k++) {
			const struct row *r = &rows[test[k % ntest]];
			suggested += classify_suggest(c, r->text, strlen(r->text), out, TAXONOMY_MAX_THEMES);
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		printf("classify-time %ld %.3f %ld\n", time_n, secs, suggested);
		classify_free(c);
		taxonomy_free(tax);
		return 0;
	}

	int counts[] = { 0, 50, 100, 200 };
	printf("classify-eval: %d answers, %d themes; %d to learn from (shuffled with seed %llu), "
	       "%d %s\n", nrows, (int)tax->nthemes, npool, seed, dev ? npool : ntest,
	       dev ? "scored on the learning answers not yet learned (--dev)" : "held out");
	printf("| %-40s | %9s | %6s | %8s\n", "suggestions after", "precision", "recall", "micro-F1");
	printf("| %-40s | %9s | %6s | %8s\n", "----", "----", "----", "----");
	for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
		struct classify *c = NULL;
		struct score s = { 0, 0, 0 };
		int n = counts[k] < npool ? counts[k] : npool;
		if (classify_new(tax, &c) != SV_OK)
			die("cannot make a classifier", NULL);
		for (int i = 0; i < n; i++)
			if (classify_learn(c, rows[pool[i]].text, strlen(rows[pool[i]].text),
					   rows[pool[i]].themes, rows[pool[i]].n) != SV_OK)
				die("learning failed", rows[pool[i]].text);
		if (dev)
			for (int i = n; i < npool; i++)
				score_row(c, &rows[pool[i]], &s);
		else
			for (int i = 0; i < ntest; i++)
				score_row(c, &rows[test[i]], &s);
		char label[64];
		if (n == 0)
			snprintf(label, sizeof label, "seed words only (no tags)");
		else
			snprintf(label, sizeof label, "%d confirmed tags", n);
		double p = s.tp + s.fp ? (double)s.tp / (double)(s.tp + s.fp) : 0;
		double r = s.tp + s.fn ? (double)s.tp / (double)(s.tp + s.fn) : 0;
		printf("| %-40s | %9.2f | %6.2f | %8.2f\n", label, p, r, f1(&s));
		classify_free(c);
	}
	printf("| %-40s | %9s | %6s | %8s\n", "NHS pxtextmining, local linear model", "", "", "0.71");
	printf("| %-40s | %9s | %6s | %8s\n", "i.AI Consult, cloud model (F1)", "", "", "0.76");
	printf("two expert groups coding the same answers agreed 55%% of the time\n");
	printf("target: micro-F1 0.70 after 200 tags\n");
	for (int i = 0; i < nrows; i++)
		free(rows[i].text);
	taxonomy_free(tax);
	return 0;
}
