/*
 * test_disclosure.c - export/disclosure.c and export/lp.c: worked examples
 * of small-number suppression, each a way a hidden count leaks by
 * subtraction, and a brute-force check on random themes tables: every
 * assignment of counts that matches what was published is enumerated, and
 * each "<N" standing for 1 or more must still have two or more possible
 * values; once for the three sources and once for the free_text column
 * (answers coded in the analysis: its subtotals and coded answers).  The
 * same check run on primary suppression alone must find leaks, so it can
 * fail.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../export/export.h"
#include "../../export/lp.h"
#include "check.h"

static const char *state_text(const struct cell *c)
{
	static char out[4][32];
	static int next;
	char *o = out[next++ % 4];
	if (c->state == CELL_SHOWN)
		snprintf(o, 32, "%lld", c->value);
	else
		snprintf(o, 32, "%s", c->state == CELL_SMALL ? "<" : c->state == CELL_WITHHELD ? "[x]" : "[c]");
	return o;
}

/* The cells' published texts joined by '|' ("<" for a small one). */
static const char *texts(struct cell *const *cells, int n)
{
	static char out[256];
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		int w = snprintf(out + used, sizeof out - used, "%s%s", i ? "|" : "", state_text(cells[i]));
		if (w > 0)
			used += (size_t)w;
	}
	return out;
}

static void test_lp(void)
{
	/* x + y = 10, x <= 4, y <= 8: x in [2, 4], y in [6, 8]. */
	struct lp *lp = lp_new(2);
	int v[2] = { 0, 1 };
	double one[2] = { 1, 1 };
	double lo, hi;

	CHECK(lp != NULL);
	lp_bound(lp, 0, 0, 4);
	lp_bound(lp, 1, 0, 8);
	CHECK(lp_add(lp, v, one, 2, LP_EQ, 10) == SV_OK);
	CHECK(lp_range(lp, 0, &lo, &hi, NULL) == SV_OK && lo > 1.999 && lo < 2.001 && hi > 3.999 && hi < 4.001);
	CHECK(lp_range(lp, 1, &lo, &hi, NULL) == SV_OK && lo > 5.999 && lo < 6.001 && hi > 7.999 && hi < 8.001);
	/* Both at most 4: no solution. */
	lp_bound(lp, 1, 0, 4);
	CHECK(lp_range(lp, 0, &lo, &hi, NULL) == SV_ERR_INVALID);
	lp_free(lp);

	/* Unbounded above: x - y <= 3, y >= 0, x >= 0. */
	lp = lp_new(2);
	double diff[2] = { 1, -1 };
	CHECK(lp_add(lp, v, diff, 2, LP_LE, 3) == SV_OK);
	CHECK(lp_range(lp, 0, &lo, &hi, NULL) == SV_OK && lo > -0.001 && lo < 0.001 && hi >= LP_UNBOUNDED);
	/* A redundant equality (the same row twice) is handled. */
	CHECK(lp_add(lp, v, one, 2, LP_EQ, 7) == SV_OK);
	CHECK(lp_add(lp, v, one, 2, LP_EQ, 7) == SV_OK);
	/* x <= 3 + (7 - x): x in [0, 5], y in [2, 7]. */
	CHECK(lp_range(lp, 0, &lo, &hi, NULL) == SV_OK && lo > -0.001 && lo < 0.001 && hi > 4.999 && hi < 5.001);
	CHECK(lp_range(lp, 1, &lo, &hi, NULL) == SV_OK && lo > 1.999 && lo < 2.001 && hi > 6.999 && hi < 7.001);
	lp_free(lp);
	CHECK(lp_new(LP_MAX_VARS + 1) == NULL);

	/* A variable named twice in one relation counts twice (GLPK takes
	 * it once a row): x + x + y = 6, y <= 2: x in [2, 3]. */
	lp = lp_new(3);
	int twice[3] = { 0, 0, 1 };
	double ones[3] = { 1, 1, 1 };
	lp_bound(lp, 1, 0, 2);
	CHECK(lp_add(lp, twice, ones, 3, LP_EQ, 6) == SV_OK);
	CHECK(lp_range(lp, 0, &lo, &hi, NULL) == SV_OK && lo > 1.999 && lo < 2.001 && hi > 2.999 && hi < 3.001);
	lp_free(lp);
}

static void *lp_in_a_thread(void *ok)
{
	struct lp *lp = lp_new(2);
	int v[2] = { 0, 1 };
	double one[2] = { 1, 1 }, lo = 0, hi = 0;

	lp_bound(lp, 0, 0, 4);
	lp_bound(lp, 1, 0, 8);
	*(int *)ok = lp && lp_add(lp, v, one, 2, LP_EQ, 10) == SV_OK &&
		lp_range(lp, 0, &lo, &hi, NULL) == SV_OK && lo > 1.999 && hi > 3.999;
	lp_free(lp);
	return NULL;
}

/* A web server's worker audits in its own thread: GLPK's environment for
 * that thread goes with its last problem, so threads that end leak
 * nothing (the sanitizer build's leak check reads this at exit). */
static void test_lp_threads(void)
{
	for (int i = 0; i < 4; i++) {
		pthread_t t;
		int ok = 0;
		CHECK(pthread_create(&t, NULL, lp_in_a_thread, &ok) == 0 && pthread_join(t, NULL) == 0 && ok);
	}
}

/* Runs protect over one relation of the given kind and returns the texts. */
static const char *protect_one(enum disclosure_relation kind, struct cell *cells, int n, int min)
{
	struct cell *p[8];
	struct disclosure *d = disclosure_new();
	for (int i = 0; i < n; i++)
		p[i] = &cells[i];
	disclosure_relate(d, kind, p, n);
	CHECK(disclosure_protect(d, min) == SV_OK);
	disclosure_free(d);
	return texts(p, n);
}

static void test_worked_examples(void)
{
	/* A row: total 33 = 3 + 10 + 20.  Hiding only the 3 leaks it (33 - 10 -
	 * 20); hiding the 10 as well leaves 3 + [c] = 13, so the 3 could be
	 * anything from 0 to 4, and the row total stays published. */
	struct cell row[4] = { { 33, 0 }, { 3, 0 }, { 10, 0 }, { 20, 0 } };
	CHECK_STR(protect_one(DISCLOSE_SUM, row, 4, 5), "33|<|[c]|20");

	/* Two small cells whose sum pins both: 28 - 20 = 8 = 4 + 4. */
	struct cell pair[4] = { { 28, 0 }, { 4, 0 }, { 4, 0 }, { 20, 0 } };
	CHECK_STR(protect_one(DISCLOSE_SUM, pair, 4, 5), "28|<|<|[c]");
	/* Two small cells whose sum (3 + 4 = 7) leaves each a range: nothing more. */
	struct cell loose[4] = { { 27, 0 }, { 3, 0 }, { 4, 0 }, { 20, 0 } };
	CHECK_STR(protect_one(DISCLOSE_SUM, loose, 4, 5), "27|<|<|20");
	/* A true zero is published as 0: no young person is behind it. */
	struct cell zeros[4] = { { 20, 0 }, { 0, 0 }, { 0, 0 }, { 20, 0 } };
	CHECK_STR(protect_one(DISCLOSE_SUM, zeros, 4, 5), "20|0|0|20");
	/* So a 0 beside a 1 gives the 1 away (21 - 0 - 20): the 20 is hidden. */
	struct cell zero_one[4] = { { 21, 0 }, { 0, 0 }, { 1, 0 }, { 20, 0 } };
	CHECK_STR(protect_one(DISCLOSE_SUM, zero_one, 4, 5), "21|0|<|[c]");
	/* A column: a stall's 30 tokens = 2 + 13 + 15; the 13 goes too. */
	struct cell stall[4] = { { 30, 0 }, { 2, 0 }, { 13, 0 }, { 15, 0 } };
	CHECK_STR(protect_one(DISCLOSE_SUM, stall, 4, 5), "30|<|[c]|15");

	/* A subtotal of people who raised any of two themes: 24 with 20 on the
	 * other theme means at least 4 raised this one, and below 5 that pins
	 * it.  No sum is published, yet the bound leaks. */
	struct cell any[3] = { { 24, 0 }, { 4, 0 }, { 20, 0 } };
	CHECK_STR(protect_one(DISCLOSE_ANY, any, 3, 5), "24|<|[c]");
	/* With 22 on the other theme, at least 2 raised this one: 2, 3 or 4
	 * remain, so nothing more is hidden. */
	struct cell overlap[3] = { { 24, 0 }, { 4, 0 }, { 22, 0 } };
	CHECK_STR(protect_one(DISCLOSE_ANY, overlap, 3, 5), "24|<|22");

	/* Threshold 0 shows everything; 1 leaves nothing small. */
	struct cell off[4] = { { 33, 0 }, { 3, 0 }, { 10, 0 }, { 20, 0 } };
	CHECK_STR(protect_one(DISCLOSE_SUM, off, 4, 0), "33|3|10|20");
	CHECK_STR(protect_one(DISCLOSE_SUM, zeros, 4, 1), "20|0|0|20");

	/* A theme under two priorities: its survey count prints twice.  Hiding
	 * the focus-group count in one row hides it in the other too. */
	struct cell r1[4] = { { 33, 0 }, { 3, 0 }, { 10, 0 }, { 20, 0 } };
	struct cell r2[4] = { { 20, 0 }, { 3, 0 }, { 10, 0 }, { 7, 0 } };
	struct cell *p1[4] = { &r1[0], &r1[1], &r1[2], &r1[3] };
	struct cell *p2[4] = { &r2[0], &r2[1], &r2[2], &r2[3] };
	struct cell *same_s[2] = { &r1[1], &r2[1] }, *same_f[2] = { &r1[2], &r2[2] };
	struct disclosure *d = disclosure_new();
	disclosure_relate(d, DISCLOSE_SUM, p1, 4);
	disclosure_relate(d, DISCLOSE_SUM, p2, 4);
	disclosure_relate(d, DISCLOSE_SAME, same_s, 2);
	disclosure_relate(d, DISCLOSE_SAME, same_f, 2);
	CHECK(disclosure_protect(d, 5) == SV_OK);
	CHECK_STR(texts(p1, 4), "33|<|[c]|20");
	CHECK_STR(texts(p2, 4), "20|<|[c]|7");
	CHECK(disclosure_secondary(d) == 2);
	disclosure_free(d);

	/* A relation the true counts break (a theme moved after counting) is
	 * used only in the direction that holds: no error, and still safe. */
	struct cell stale[4] = { { 40, 0 }, { 3, 0 }, { 10, 0 }, { 20, 0 } };
	CHECK_STR(protect_one(DISCLOSE_SUM, stale, 4, 5), "40|<|10|20");

	/* A cell published before keeps its state and is never hidden here. */
	struct cell fixed[4] = { { 33, CELL_SHOWN }, { 3, 0 }, { 10, CELL_SHOWN }, { 20, 0 } };
	struct cell *pf[4] = { &fixed[0], &fixed[1], &fixed[2], &fixed[3] };
	d = disclosure_new();
	disclosure_relate(d, DISCLOSE_SUM, pf, 4);
	disclosure_fixed(d, &fixed[2]);
	CHECK(disclosure_protect(d, 5) == SV_OK);
	CHECK_STR(texts(pf, 4), "33|<|10|[c]");
	disclosure_free(d);

	/* Threshold 2 with zeros published: "<2" can only be 1, so every 1 is
	 * hidden as "[c]" (any count from 1 up) and the total with them. */
	struct cell two[3] = { { 2, 0 }, { 1, 0 }, { 1, 0 } };
	CHECK_STR(protect_one(DISCLOSE_SUM, two, 3, 2), "[c]|[c]|[c]");
	/* At threshold 3, 1 + 1 = 2 printed as three "<3" pins all three (each
	 * is at least 1, the total at most 2): the total is hidden, and the two
	 * 1s may be 1 or 2. */
	CHECK_STR(protect_one(DISCLOSE_SUM, two, 3, 3), "[c]|<|<");
	/* A sum of four 1s printed as "<5": no shown count to hide, so a "<5"
	 * is hidden. */
	struct cell four[5] = { { 4, 0 }, { 1, 0 }, { 1, 0 }, { 1, 0 }, { 1, 0 } };
	CHECK_STR(protect_one(DISCLOSE_SUM, four, 5, 5), "[c]|<|<|<|<");

	/* A count known exactly from a list stays shown, and one withheld
	 * (a group too small to describe) must keep two values like a "<5":
	 * 30 = 22 + [x] + 3 pins the [x] at 5, so the 22 goes. */
	struct cell known[4] = { { 30, 0 }, { 22, 0 }, { 5, 0 }, { 3, 0 } };
	struct cell *pk[4] = { &known[0], &known[1], &known[2], &known[3] };
	d = disclosure_new();
	disclosure_relate(d, DISCLOSE_SUM, pk, 4);
	disclosure_known(d, &known[3]);
	disclosure_withheld(d, &known[2]);
	CHECK(disclosure_protect(d, 5) == SV_OK);
	CHECK_STR(texts(pk, 4), "30|[c]|[x]|3");
	disclosure_free(d);
	/* "Within": 3 <= a + b with a shown 0 pins nothing when b is hidden. */
	struct cell within[3] = { { 3, 0 }, { 0, 0 }, { 40, 0 } };
	CHECK_STR(protect_one(DISCLOSE_WITHIN, within, 3, 5), "<|0|40");

	/* On an error (here a relation too long) nothing is published. */
	d = disclosure_new();
	disclosure_relate(d, DISCLOSE_SUM, pf, DISCLOSURE_MAX_RELATION + 1);
	disclosure_relate(d, DISCLOSE_SUM, pf, 4);
	CHECK(disclosure_protect(d, 5) == SV_ERR_TOOBIG);
	disclosure_free(d);
}

/* ---- brute force over random themes tables ---- */

#define NP 2            /* priorities */
#define NT 3            /* themes */
#define MIN 3           /* threshold: small enough to enumerate */
#define CAP 16          /* the largest value tried for a hidden count */
#define MAX_WORK 4000000

static struct priority prios[NP] = { { 1, (char *)"One" }, { 2, (char *)"Two" } };
static struct theme themes[NT] = {
	{ (char *)"a", (char *)"A", { 1 }, 1, NULL, 0 },
	{ (char *)"b", (char *)"B", { 1, 2 }, 2, NULL, 0 },   /* under both priorities */
	{ (char *)"c", (char *)"C", { 2 }, 1, NULL, 0 },
};

/* The counts behind a table: what an attacker tries to recover. */
struct truth {
	long long s[NT], f[NT], m[NP][NT];   /* per theme; tokens per stall */
	long long S[NP], F[NP];              /* people raising any of a priority's themes */
	long long N, K, participants;        /* responses, messages */
	long long e[NT], E[NP], C;           /* free_text: answers coded per theme, with any
						of a priority's themes, and in all */
};

static int under(int p, int t)
{
	for (int k = 0; k < themes[t].npriorities; k++)
		if (themes[t].priorities[k] == p + 1)
			return 1;
	return 0;
}

struct fixture {
	struct export_row rows[NP * NT];
	struct export_subtotal subs[NP];
	struct export_table t;
	int row_of[NP][NT];
};

static void fill(struct fixture *x, const struct truth *v)
{
	memset(x, 0, sizeof *x);
	size_t n = 0;
	for (int p = 0; p < NP; p++) {
		x->subs[p].priority = &prios[p];
		long long M = 0;
		for (int t = 0; t < NT; t++) {
			x->row_of[p][t] = -1;
			if (!under(p, t))
				continue;
			struct cell *c = x->rows[n].cells;
			x->rows[n].priority = &prios[p];
			x->rows[n].theme = &themes[t];
			c[EXPORT_SURVEY].value = v->s[t];
			c[EXPORT_FOCUS_GROUP].value = v->f[t];
			c[EXPORT_MARKETPLACE].value = v->m[p][t];
			c[EXPORT_TOTAL].value = v->s[t] + v->f[t] + v->m[p][t];
			c[EXPORT_FREE_TEXT].value = v->e[t];
			M += v->m[p][t];
			x->row_of[p][t] = (int)n++;
		}
		struct cell *c = x->subs[p].cells;
		c[EXPORT_SURVEY].value = v->S[p];
		c[EXPORT_FOCUS_GROUP].value = v->F[p];
		c[EXPORT_MARKETPLACE].value = M;
		c[EXPORT_TOTAL].value = v->S[p] + v->F[p] + M;
		c[EXPORT_FREE_TEXT].value = v->E[p];
	}
	x->t.rows = x->rows;
	x->t.nrows = n;
	x->t.subtotals = x->subs;
	x->t.nsubtotals = NP;
	x->t.took_part.responses.value = v->N;
	x->t.took_part.messages.value = v->K;
	x->t.took_part.tokens.value = x->subs[0].cells[EXPORT_MARKETPLACE].value +
		x->subs[1].cells[EXPORT_MARKETPLACE].value;
	x->t.took_part.participants.value = v->participants;
	x->t.took_part.coded.value = v->C;
}

/* Every published cell of a fixture, in a fixed order. */
static int all_cells(struct fixture *x, struct cell **out)
{
	int n = 0;
	for (size_t i = 0; i < x->t.nrows; i++)
		for (int c = 0; c < EXPORT_NCOLS; c++)
			out[n++] = &x->rows[i].cells[c];
	for (int p = 0; p < NP; p++)
		for (int c = 0; c < EXPORT_NCOLS; c++)
			out[n++] = &x->subs[p].cells[c];
	out[n++] = &x->t.took_part.responses;
	out[n++] = &x->t.took_part.messages;
	out[n++] = &x->t.took_part.tokens;
	out[n++] = &x->t.took_part.participants;
	out[n++] = &x->t.took_part.coded;
	return n;
}

static long long pick(long long lo, long long hi)
{
	return lo + (hi > lo ? rand() % (hi - lo + 1) : 0);
}

/* What a priority's subtotals may be: the largest theme up to their sum. */
struct bounds {
	long long smax, ssum, fmax, fsum, emax, esum;
};

static struct bounds subtotal_bounds(const struct truth *v, int p)
{
	struct bounds b = { 0, 0, 0, 0, 0, 0 };
	for (int t = 0; t < NT; t++)
		if (under(p, t)) {
			b.smax = v->s[t] > b.smax ? v->s[t] : b.smax;
			b.ssum += v->s[t];
			b.fmax = v->f[t] > b.fmax ? v->f[t] : b.fmax;
			b.fsum += v->f[t];
			b.emax = v->e[t] > b.emax ? v->e[t] : b.emax;
			b.esum += v->e[t];
		}
	return b;
}

static void random_truth(struct truth *v)
{
	memset(v, 0, sizeof *v);
	for (int t = 0; t < NT; t++) {
		v->s[t] = pick(0, 9);
		v->f[t] = pick(0, 6);
		for (int p = 0; p < NP; p++)
			v->m[p][t] = under(p, t) ? pick(0, 9) : 0;
	}
	for (int p = 0; p < NP; p++) {
		struct bounds b = subtotal_bounds(v, p);
		v->S[p] = pick(b.smax, b.ssum);
		v->F[p] = pick(b.fmax, b.fsum);
	}
	v->N = (v->S[0] > v->S[1] ? v->S[0] : v->S[1]) + pick(0, 2);
	v->K = (v->F[0] > v->F[1] ? v->F[0] : v->F[1]) + pick(0, 2);
	v->participants = pick(0, 8);
}

/* A table of free-text codes alone (every other count 0, so shown): the
 * answers coded with each theme, with any of a priority's themes (from the
 * largest theme up to their sum) and in all (at least each priority). */
static void random_free_text(struct truth *v)
{
	memset(v, 0, sizeof *v);
	for (int t = 0; t < NT; t++)
		v->e[t] = pick(0, 9);
	for (int p = 0; p < NP; p++) {
		struct bounds b = subtotal_bounds(v, p);
		v->E[p] = pick(b.emax, b.esum);
	}
	v->C = (v->E[0] > v->E[1] ? v->E[0] : v->E[1]) + pick(0, 2);
}

/* The enumeration: each unknown count and the values it may take. */
struct search {
	long long *var[32];
	long long lo[32], hi[32];
	int n;
	struct truth guess;
	const int *states;            /* published state of each cell */
	const long long *shown;       /* published value of each cell */
	int ncells;
	unsigned seen[64];            /* bit v: cell could be v (small cells) */
	long long work;
};

/* 1 if the guess matches every published cell and the relations readers know. */
static int consistent(struct search *s)
{
	const struct truth *g = &s->guess;
	for (int p = 0; p < NP; p++) {
		struct bounds b = subtotal_bounds(g, p);
		if (g->S[p] < b.smax || g->S[p] > b.ssum || g->F[p] < b.fmax || g->F[p] > b.fsum ||
		    g->E[p] < b.emax || g->E[p] > b.esum)
			return 0;
		if (g->N < g->S[p] || g->K < g->F[p] || g->C < g->E[p])
			return 0;
	}
	struct fixture x;
	struct cell *cells[64];
	fill(&x, g);
	all_cells(&x, cells);
	for (int i = 0; i < s->ncells; i++) {
		long long v = cells[i]->value;
		if (s->states[i] == CELL_SHOWN && v != s->shown[i])
			return 0;
		if (s->states[i] == CELL_SMALL && (v < 1 || v >= MIN))
			return 0;
		if (s->states[i] == CELL_HIDDEN && v < 1)
			return 0;
	}
	for (int i = 0; i < s->ncells; i++)
		if (s->states[i] != CELL_SHOWN && cells[i]->value <= CAP)
			s->seen[i] |= 1u << cells[i]->value;
	return 1;
}

static void enumerate(struct search *s, int k)
{
	if (k == s->n) {
		s->work++;
		consistent(s);
		return;
	}
	for (long long v = s->lo[k]; v <= s->hi[k]; v++) {
		*s->var[k] = v;
		enumerate(s, k + 1);
	}
}

/* Range of one base count from the state of a cell that shows it directly. */
static void unknown(struct search *s, long long *var, int state, long long shown)
{
	s->var[s->n] = var;
	if (state == CELL_SHOWN)
		s->lo[s->n] = s->hi[s->n] = shown;
	else if (state == CELL_SMALL)
		s->lo[s->n] = 1, s->hi[s->n] = MIN - 1;
	else  /* "[c]": any count from 1 up */
		s->lo[s->n] = 1, s->hi[s->n] = CAP;
	s->n++;
}

/*
 * Enumerates every table matching what was published; returns how many "<N"
 * cells have only one possible value (leaks), or -1 if the search is too
 * big to run.
 */
static int leaks(struct fixture *x, const struct truth *v)
{
	struct cell *cells[64];
	int states[64];
	long long shown[64];
	struct search *s = calloc(1, sizeof *s);
	int n = all_cells(x, cells), bad = 0;

	s->ncells = n;
	s->states = states;
	s->shown = shown;
	for (int i = 0; i < n; i++) {
		states[i] = (int)cells[i]->state;
		shown[i] = cells[i]->value;
	}
	s->guess = *v;
	struct truth *g = &s->guess;
	/* The base counts, each read off the first cell that prints it alone. */
	for (int t = 0; t < NT; t++) {
		int r = x->row_of[0][t] >= 0 ? x->row_of[0][t] : x->row_of[1][t];
		const struct cell *c = x->rows[r].cells;
		unknown(s, &g->s[t], (int)c[EXPORT_SURVEY].state, c[EXPORT_SURVEY].value);
		unknown(s, &g->f[t], (int)c[EXPORT_FOCUS_GROUP].state, c[EXPORT_FOCUS_GROUP].value);
		unknown(s, &g->e[t], (int)c[EXPORT_FREE_TEXT].state, c[EXPORT_FREE_TEXT].value);
		for (int p = 0; p < NP; p++)
			if (x->row_of[p][t] >= 0) {
				c = x->rows[x->row_of[p][t]].cells;
				unknown(s, &g->m[p][t], (int)c[EXPORT_MARKETPLACE].state,
					c[EXPORT_MARKETPLACE].value);
			}
	}
	for (int p = 0; p < NP; p++) {
		const struct cell *c = x->subs[p].cells;
		unknown(s, &g->S[p], (int)c[EXPORT_SURVEY].state, c[EXPORT_SURVEY].value);
		unknown(s, &g->F[p], (int)c[EXPORT_FOCUS_GROUP].state, c[EXPORT_FOCUS_GROUP].value);
		unknown(s, &g->E[p], (int)c[EXPORT_FREE_TEXT].state, c[EXPORT_FREE_TEXT].value);
	}
	const struct export_participation *tp = &x->t.took_part;
	unknown(s, &g->N, (int)tp->responses.state, tp->responses.value);
	unknown(s, &g->K, (int)tp->messages.state, tp->messages.value);
	unknown(s, &g->participants, (int)tp->participants.state, tp->participants.value);
	unknown(s, &g->C, (int)tp->coded.state, tp->coded.value);
	double size = 1;
	for (int k = 0; k < s->n; k++)
		size *= (double)(s->hi[k] - s->lo[k] + 1);
	if (size > MAX_WORK) {
		free(s);
		return -1;
	}
	enumerate(s, 0);
	/* A leak: a count from 1 to N-1, not shown, with one possible value. */
	for (int i = 0; i < n; i++)
		if (states[i] != CELL_SHOWN && cells[i]->value > 0 && cells[i]->value < MIN &&
		    (s->seen[i] & (s->seen[i] - 1)) == 0)
			bad++;
	free(s);
	return bad;
}

static void brute_force(const char *what, void (*random)(struct truth *v), unsigned seed)
{
	int checked = 0, skipped = 0, primary_leaks = 0, audited_leaks = 0, hidden = 0;

	srand(seed);
	for (int round = 0; round < 300; round++) {
		struct truth v;
		struct fixture x;
		struct cell *cells[64];
		random(&v);

		/* Primary suppression alone, as peer tools do: it must leak somewhere. */
		fill(&x, &v);
		int n = all_cells(&x, cells);
		for (int i = 0; i < n; i++)
			cells[i]->state = cells[i]->value > 0 && cells[i]->value < MIN ? CELL_SMALL : CELL_SHOWN;
		int before = leaks(&x, &v);

		fill(&x, &v);
		CHECK(export_suppress(&x.t, MIN) == SV_OK);
		int after = leaks(&x, &v);
		if (after < 0 || before < 0) {
			skipped++;
			continue;
		}
		checked++;
		primary_leaks += before > 0;
		audited_leaks += after;
		hidden += (int)x.t.secondary;
		if (after)
			fprintf(stderr, "  leak in round %d\n", round);
	}
	fprintf(stderr, "  brute force, %s: %d tables checked (%d too big), primary alone leaked in %d,"
		" audited leaked %d cells, %d counts hidden to protect\n",
		what, checked, skipped, primary_leaks, audited_leaks, hidden);
	CHECK(checked >= 100);
	CHECK(primary_leaks >= 10);   /* the checker finds leaks when they exist */
	CHECK(audited_leaks == 0);
}

static void test_brute_force(void)
{
	brute_force("the three sources", random_truth, 20261123);
	/* The free_text column (answers coded in the analysis) alone: its own
	 * subtotals and coded answers, differenced every way a reader can. */
	brute_force("free_text", random_free_text, 20261201);
}

int main(void)
{
	test_lp();
	test_lp_threads();
	test_worked_examples();
	test_brute_force();
	return CHECK_DONE();
}
