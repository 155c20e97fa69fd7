/*
 * disclosure.c - primary and audited secondary suppression (see disclosure.h).
 *
 * The suppressed counts fall into groups linked by relations (a row and its
 * total, a priority's themes and their subtotal).  Each group is audited on
 * its own: one small linear program over its suppressed counts, with every
 * shown count as a constant.  Hiding a count only ever widens the ranges, so
 * a count found safe stays safe; only the exposed count and the newly hidden
 * ones are audited again.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "disclosure.h"
#include "lp.h"

/* Single counts tried before hiding a whole neighbourhood (step 2). */
#define DISCLOSURE_MAX_TRIALS 12

struct relation {
	enum disclosure_relation kind;
	size_t first;                /* its cells are members[first .. first + n) */
	int n;
};

/* What a caller said of one cell besides its relations. */
enum mark_kind {
	MARK_FIXED,                  /* published before: state kept, never hidden */
	MARK_KNOWN,                  /* published exactly elsewhere: shown, never hidden */
	MARK_WITHHELD                /* not published: audited, never shown */
};

struct mark {
	struct cell *cell;
	enum mark_kind kind;
};

struct disclosure {
	struct cell **members;       /* the cells of every relation, in order */
	size_t nmembers, cap_members;
	struct relation *rels;
	size_t nrels, cap_rels;
	struct mark *marks;          /* cells published before, known or withheld */
	size_t nmarks, cap_marks;
	enum sv_err err;             /* first registration failure */
	long long secondary;         /* hidden by the last protect */

	/* Built by disclosure_protect. */
	struct cell **cells;         /* every distinct cell, by address */
	size_t ncells;
	size_t *member_cell;         /* members[k] is cells[member_cell[k]] */
	size_t *order;               /* where each cell was first registered */
	size_t *parent;              /* union-find over suppressed cells */
	unsigned char *dirty;        /* suppressed and not yet found safe */
	unsigned char *is_fixed;     /* published before or known: never hidden here */
	unsigned char *is_known;     /* published exactly elsewhere */
	unsigned char *is_withheld;  /* never published */
	unsigned char *was;          /* a hidden cell's state before it was hidden */
	int *var;                    /* LP variable of each cell in the group audited, or -1 */
	/* Scratch for one relation, on the heap: a web server's worker thread
	 * has a small stack (civetweb's is 100 KB). */
	size_t *rel_cells;
	double *rel_coef;
	int *lin_vars;
	double *lin_coef;
	int min_cell;
};

struct disclosure *disclosure_new(void)
{
	return calloc(1, sizeof(struct disclosure));
}

static void forget_cells(struct disclosure *d)
{
	free(d->cells);
	free(d->member_cell);
	free(d->order);
	free(d->parent);
	free(d->dirty);
	free(d->is_fixed);
	free(d->is_known);
	free(d->is_withheld);
	free(d->was);
	free(d->var);
	free(d->rel_cells);
	free(d->rel_coef);
	free(d->lin_vars);
	free(d->lin_coef);
	d->rel_cells = NULL;
	d->rel_coef = d->lin_coef = NULL;
	d->lin_vars = NULL;
	d->cells = NULL;
	d->member_cell = d->order = d->parent = NULL;
	d->dirty = d->is_fixed = d->is_known = d->is_withheld = d->was = NULL;
	d->var = NULL;
	d->ncells = 0;
}

void disclosure_free(struct disclosure *d)
{
	if (!d)
		return;
	forget_cells(d);
	free(d->members);
	free(d->rels);
	free(d->marks);
	free(d);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap * 2 : 64;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, n * size);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

void disclosure_relate(struct disclosure *d, enum disclosure_relation kind,
		       struct cell *const *cells, int n)
{
	if (!d || d->err)
		return;
	if (n < 1 || n > DISCLOSURE_MAX_RELATION || d->nmembers + (size_t)n > DISCLOSURE_MAX_CELLS * 8) {
		d->err = SV_ERR_TOOBIG;
		return;
	}
	if (grow((void **)&d->members, &d->cap_members, d->nmembers + (size_t)n, sizeof *d->members) ||
	    grow((void **)&d->rels, &d->cap_rels, d->nrels + 1, sizeof *d->rels)) {
		d->err = SV_ERR_NOMEM;
		return;
	}
	d->rels[d->nrels++] = (struct relation){ kind, d->nmembers, n };
	memcpy(d->members + d->nmembers, cells, (size_t)n * sizeof *cells);
	d->nmembers += (size_t)n;
}

void disclosure_cell(struct disclosure *d, struct cell *c)
{
	disclosure_relate(d, DISCLOSE_SAME, &c, 1);
}

static void mark(struct disclosure *d, struct cell *c, enum mark_kind kind)
{
	if (!d || d->err)
		return;
	if (grow((void **)&d->marks, &d->cap_marks, d->nmarks + 1, sizeof *d->marks)) {
		d->err = SV_ERR_NOMEM;
		return;
	}
	d->marks[d->nmarks++] = (struct mark){ c, kind };
}

void disclosure_fixed(struct disclosure *d, struct cell *c)
{
	mark(d, c, MARK_FIXED);
}

void disclosure_known(struct disclosure *d, struct cell *c)
{
	mark(d, c, MARK_KNOWN);
}

void disclosure_withheld(struct disclosure *d, struct cell *c)
{
	mark(d, c, MARK_WITHHELD);
}

long long disclosure_secondary(const struct disclosure *d)
{
	return d ? d->secondary : 0;
}

static int by_address(const void *a, const void *b)
{
	const struct cell *x = *(struct cell *const *)a, *y = *(struct cell *const *)b;
	return x < y ? -1 : x > y;
}

/* Gathers the distinct cells and where each member sits among them. */
static enum sv_err index_cells(struct disclosure *d)
{
	size_t n = d->nmembers;

	d->cells = malloc((n + 1) * sizeof *d->cells);
	d->member_cell = malloc((n + 1) * sizeof *d->member_cell);
	d->order = malloc((n + 1) * sizeof *d->order);
	d->parent = malloc((n + 1) * sizeof *d->parent);
	d->dirty = calloc(n + 1, 1);
	d->is_fixed = calloc(n + 1, 1);
	d->is_known = calloc(n + 1, 1);
	d->is_withheld = calloc(n + 1, 1);
	d->was = calloc(n + 1, 1);
	d->var = malloc((n + 1) * sizeof *d->var);
	d->rel_cells = malloc((DISCLOSURE_MAX_RELATION + 1) * sizeof *d->rel_cells);
	d->rel_coef = malloc((DISCLOSURE_MAX_RELATION + 1) * sizeof *d->rel_coef);
	d->lin_vars = malloc((DISCLOSURE_MAX_RELATION + 1) * sizeof *d->lin_vars);
	d->lin_coef = malloc((DISCLOSURE_MAX_RELATION + 1) * sizeof *d->lin_coef);
	if (!d->cells || !d->member_cell || !d->order || !d->parent || !d->dirty || !d->is_fixed ||
	    !d->is_known || !d->is_withheld || !d->was ||
	    !d->var || !d->rel_cells || !d->rel_coef || !d->lin_vars || !d->lin_coef)
		return SV_ERR_NOMEM;
	memcpy(d->cells, d->members, n * sizeof *d->cells);
	qsort(d->cells, n, sizeof *d->cells, by_address);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (k == 0 || d->cells[k - 1] != d->cells[i])
			d->cells[k++] = d->cells[i];
	d->ncells = k;
	if (k > DISCLOSURE_MAX_CELLS)
		return SV_ERR_TOOBIG;
	for (size_t i = 0; i < k; i++)
		d->order[i] = SIZE_MAX;
	for (size_t m = 0; m < n; m++) {
		struct cell **hit = bsearch(&d->members[m], d->cells, k, sizeof *d->cells, by_address);
		size_t c = (size_t)(hit - d->cells);
		d->member_cell[m] = c;
		if (d->order[c] == SIZE_MAX)
			d->order[c] = m;
		d->var[c] = -1;
	}
	for (size_t f = 0; f < d->nmarks; f++) {
		struct cell **hit = bsearch(&d->marks[f].cell, d->cells, k, sizeof *d->cells, by_address);
		if (!hit)
			continue;
		size_t c = (size_t)(hit - d->cells);
		d->is_fixed[c] |= d->marks[f].kind != MARK_WITHHELD;
		d->is_known[c] |= d->marks[f].kind == MARK_KNOWN;
		d->is_withheld[c] |= d->marks[f].kind == MARK_WITHHELD;
	}
	return SV_OK;
}

static size_t member_index(const struct disclosure *d, const struct relation *r, int i)
{
	return d->member_cell[r->first + (size_t)i];
}

static size_t find(struct disclosure *d, size_t c)
{
	while (d->parent[c] != c)
		c = d->parent[c] = d->parent[d->parent[c]];
	return c;
}

/* Groups the suppressed cells that some relation links. */
static void group_suppressed(struct disclosure *d)
{
	for (size_t c = 0; c < d->ncells; c++)
		d->parent[c] = c;
	for (size_t r = 0; r < d->nrels; r++) {
		const struct relation *rel = &d->rels[r];
		size_t prev = SIZE_MAX;
		for (int i = 0; i < rel->n; i++) {
			size_t c = member_index(d, rel, i);
			if (d->cells[c]->state == CELL_SHOWN)
				continue;
			if (prev != SIZE_MAX)
				d->parent[find(d, c)] = find(d, prev);
			prev = c;
		}
	}
}

/*
 * One linear (in)equality sum(coef * cell) <natural> 0 as a reader sees it:
 * shown cells become constants, suppressed ones variables.  The sense is
 * the one the true counts satisfy, so stale relations stay truthful.
 */
static enum sv_err add_linear(struct disclosure *d, struct lp *lp, const size_t *cells,
			      const double *coef, int n, enum lp_sense natural)
{
	int *vars = d->lin_vars;
	double *cv = d->lin_coef;
	int nv = 0;
	double truth = 0, constant = 0;

	for (int i = 0; i < n; i++) {
		const struct cell *c = d->cells[cells[i]];
		truth += coef[i] * (double)c->value;
		if (c->state == CELL_SHOWN) {
			constant += coef[i] * (double)c->value;
		} else {
			vars[nv] = d->var[cells[i]];
			cv[nv++] = coef[i];
		}
	}
	if (nv == 0)
		return SV_OK;
	enum lp_sense sense = natural;
	if (truth > 0 && (natural == LP_EQ || natural == LP_LE))
		sense = LP_GE;
	else if (truth < 0 && natural == LP_EQ)
		sense = LP_LE;
	return lp_add(lp, vars, cv, nv, sense, -constant);
}

/* The relation's parts as linear (in)equalities. */
static enum sv_err add_relation(struct disclosure *d, struct lp *lp, const struct relation *rel)
{
	size_t *cells = d->rel_cells;
	double *coef = d->rel_coef;
	enum sv_err rc = SV_OK;

	if (rel->kind == DISCLOSE_SUM || rel->kind == DISCLOSE_ANY || rel->kind == DISCLOSE_WITHIN) {
		/* first - sum(rest) = 0, or <= 0 for "any of" and "within" */
		for (int i = 0; i < rel->n; i++) {
			cells[i] = member_index(d, rel, i);
			coef[i] = i == 0 ? 1 : -1;
		}
		rc = add_linear(d, lp, cells, coef, rel->n, rel->kind == DISCLOSE_SUM ? LP_EQ : LP_LE);
	}
	if (rel->kind == DISCLOSE_ANY || rel->kind == DISCLOSE_AT_MOST || rel->kind == DISCLOSE_SAME) {
		/* each - first <= 0, or = 0 for the same count */
		for (int i = 1; i < rel->n && !rc; i++) {
			size_t pair[2] = { member_index(d, rel, i), member_index(d, rel, 0) };
			double pc[2] = { 1, -1 };
			rc = add_linear(d, lp, pair, pc, 2, rel->kind == DISCLOSE_SAME ? LP_EQ : LP_LE);
		}
	}
	return rc;
}

static int touches_group(struct disclosure *d, const struct relation *rel, size_t root)
{
	for (int i = 0; i < rel->n; i++) {
		size_t c = member_index(d, rel, i);
		if (d->cells[c]->state != CELL_SHOWN && find(d, c) == root)
			return 1;
	}
	return 0;
}

/* Calls fn on each cell printed as the same count as c (DISCLOSE_SAME). */
static void each_copy(struct disclosure *d, size_t c, void (*fn)(struct disclosure *, size_t, void *),
		      void *arg)
{
	for (size_t r = 0; r < d->nrels; r++) {
		const struct relation *rel = &d->rels[r];
		if (rel->kind != DISCLOSE_SAME)
			continue;
		for (int i = 0; i < rel->n; i++)
			if (member_index(d, rel, i) == c) {
				for (int j = 0; j < rel->n; j++)
					fn(d, member_index(d, rel, j), arg);
				break;
			}
	}
}

struct hiding {
	size_t *changed, *nchanged;
};

static void hide(struct disclosure *d, size_t c, size_t *changed, size_t *nchanged);

static void hide_copy(struct disclosure *d, size_t c, void *arg)
{
	struct hiding *h = arg;
	hide(d, c, h->changed, h->nchanged);
}

/*
 * Hides cell c ("[c]"), with every other printing of the same count, and
 * notes each cell it hides in changed[] (room for every cell), so a trial
 * can be undone.  Only a shown count other than 0 or a "<N" may be hidden,
 * and never one published before.
 */
static void hide(struct disclosure *d, size_t c, size_t *changed, size_t *nchanged)
{
	struct cell *x = d->cells[c];
	int hideable = (x->state == CELL_SHOWN && x->value > 0) || x->state == CELL_SMALL;

	if (!hideable || d->is_fixed[c])
		return;
	d->was[c] = (unsigned char)x->state;
	x->state = CELL_HIDDEN;
	changed[(*nchanged)++] = c;
	struct hiding h = { changed, nchanged };
	each_copy(d, c, hide_copy, &h);
}

/* Undoes hide() for the n cells noted in changed[]. */
static void unhide(struct disclosure *d, const size_t *changed, size_t n)
{
	for (size_t i = 0; i < n; i++)
		d->cells[changed[i]]->state = (enum cell_state)d->was[changed[i]];
}

/* The linear program of the group whose root is given, with d->var set for
 * its cells (clear_vars undoes that).  NULL on error. */
static struct lp *group_lp(struct disclosure *d, size_t root, enum sv_err *rc, int *count)
{
	int nvars = 0;

	for (size_t c = 0; c < d->ncells; c++)
		if (d->cells[c]->state != CELL_SHOWN && find(d, c) == root)
			d->var[c] = nvars++;
	struct lp *lp = lp_new(nvars);
	if (!lp) {
		*rc = nvars > LP_MAX_VARS ? SV_ERR_TOOBIG : SV_ERR_NOMEM;
		return NULL;
	}
	for (size_t c = 0; c < d->ncells; c++) {
		if (d->var[c] < 0)
			continue;
		if (d->cells[c]->state == CELL_SMALL)
			lp_bound(lp, d->var[c], 1, d->min_cell - 1);
		else if (d->cells[c]->state == CELL_WITHHELD)
			lp_bound(lp, d->var[c], 0, LP_UNBOUNDED);
		else   /* "[c]": any count from 1 up, since a "<N" may be hidden too */
			lp_bound(lp, d->var[c], 1, LP_UNBOUNDED);
	}
	for (size_t r = 0; r < d->nrels && !*rc; r++)
		if (touches_group(d, &d->rels[r], root))
			*rc = add_relation(d, lp, &d->rels[r]);
	if (count)
		*count = nvars;
	return lp;
}

static void clear_vars(struct disclosure *d)
{
	for (size_t c = 0; c < d->ncells; c++)
		d->var[c] = -1;
}

/* Fewer than two whole numbers remain possible. */
static int pinned(double lo, double hi)
{
	return floor(hi + 1e-6) - ceil(lo - 1e-6) < 1;
}

/* How wide the range a reader can work out for suppressed cell e is. */
static double range_width(struct disclosure *d, size_t e, enum sv_err *rc)
{
	double lo = 0, hi = 0;

	group_suppressed(d);
	struct lp *lp = group_lp(d, find(d, e), rc, NULL);
	if (lp && !*rc)
		*rc = lp_range(lp, d->var[e], &lo, &hi, NULL);
	lp_free(lp);
	clear_vars(d);
	if (*rc)
		return 0;
	return pinned(lo, hi) ? 0 : hi - lo;
}

/*
 * Audits the "<N" cells still marked dirty, group by group, in the order
 * they were registered.  Returns the first a reader could pin to one value,
 * or SIZE_MAX if all are safe (and no longer dirty).
 */
static size_t find_exposed(struct disclosure *d, const size_t *by_order, enum sv_err *rc)
{
	group_suppressed(d);
	for (size_t k = 0; k < d->ncells && !*rc; k++) {
		size_t first = by_order[k];
		if (!d->dirty[first])
			continue;
		size_t root = find(d, first), exposed = SIZE_MAX;
		int nvars = 0;
		struct lp *lp = group_lp(d, root, rc, &nvars);
		/* Every solution found is a witness for all the group's cells:
		 * one seen at two whole values needs no programme of its own. */
		double *seen = lp ? malloc(2 * (size_t)nvars * sizeof *seen + 1) : NULL;
		if (lp && !seen)
			*rc = SV_ERR_NOMEM;
		for (int v = 0; seen && v < nvars; v++) {
			seen[v] = LP_UNBOUNDED;
			seen[nvars + v] = -LP_UNBOUNDED;
		}
		for (size_t j = k; j < d->ncells && seen && !*rc && exposed == SIZE_MAX; j++) {
			size_t c = by_order[j];
			double lo, hi;
			if (d->var[c] < 0 || !d->dirty[c])
				continue;
			if (!pinned(seen[d->var[c]], seen[nvars + d->var[c]])) {
				d->dirty[c] = 0;
				continue;
			}
			*rc = lp_range(lp, d->var[c], &lo, &hi, seen);
			if (!*rc && pinned(lo, hi))
				exposed = c;
			else
				d->dirty[c] = 0;
		}
		free(seen);
		lp_free(lp);
		clear_vars(d);
		if (exposed != SIZE_MAX)
			return exposed;
	}
	return SIZE_MAX;
}

/* 1 if cell c may be hidden (shown and not 0, or with small_too a "<N"; not
 * fixed) and shares a relation with e (or, when wide, with any suppressed
 * cell of e's group). */
static int candidate(struct disclosure *d, size_t c, size_t e, int wide, int small_too)
{
	const struct cell *cc = d->cells[c];
	int hideable = (cc->state == CELL_SHOWN && cc->value > 0) ||
		(small_too && cc->state == CELL_SMALL);

	if (!hideable || d->is_fixed[c])
		return 0;
	size_t root = find(d, e);
	for (size_t r = 0; r < d->nrels; r++) {
		const struct relation *rel = &d->rels[r];
		int has_c = 0, near = 0;
		for (int i = 0; i < rel->n; i++) {
			size_t x = member_index(d, rel, i);
			has_c |= x == c;
			near |= wide ? d->cells[x]->state != CELL_SHOWN && find(d, x) == root : x == e;
		}
		if (has_c && near)
			return 1;
	}
	return 0;
}

/* Smallest count first; among equals, the one registered first. */
static int by_value_asc(const void *a, const void *b, void *arg)
{
	const struct disclosure *d = arg;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	long long x = d->cells[i]->value, y = d->cells[j]->value;
	if (x != y)
		return x < y ? -1 : 1;
	return d->order[i] < d->order[j] ? -1 : d->order[i] > d->order[j];
}

static int by_value_desc(const void *a, const void *b, void *arg)
{
	return by_value_asc(b, a, arg);
}

/* Shows a hidden cell (and its other printings) as it was before. */
static void restore(struct disclosure *d, size_t c, void *unused)
{
	if (d->cells[c]->state != CELL_HIDDEN)
		return;
	d->cells[c]->state = (enum cell_state)d->was[c];
	each_copy(d, c, restore, unused);
}

/*
 * Hides counts until exposed cell e keeps a range; returns how many (0 if
 * nothing helps).
 *   1. The smallest count beside e or its group that alone protects it
 *      (of the DISCLOSURE_MAX_TRIALS smallest).
 *   2. Else every count beside the group, widening until e is protected;
 *      then each is shown again, the largest first, unless e needs it.  What
 *      stays hidden is a set from which no count can be dropped.
 * Shown counts are tried first; only when they cannot help are "<N" counts
 * hidden as well (a sum of four 1s printed as "<5" pins them all, whatever
 * else is hidden), which is why a "[c]" may stand for any count from 1 up.
 */
static long long protect_with(struct disclosure *d, size_t e, const size_t *by_order,
			      size_t *changed, size_t *set, int small_too, enum sv_err *rc)
{
	size_t n = 0, nset = 0;

	/* Step 1: the neighbours, smallest first; the first that protects e. */
	group_suppressed(d);
	for (size_t k = 0; k < d->ncells; k++)
		if (candidate(d, by_order[k], e, 1, small_too))
			set[nset++] = by_order[k];
	qsort_r(set, nset, sizeof *set, by_value_asc, d);
	for (size_t i = 0; i < nset && i < DISCLOSURE_MAX_TRIALS && !*rc; i++) {
		size_t m = 0;
		hide(d, set[i], changed, &m);
		double width = range_width(d, e, rc);
		unhide(d, changed, m);
		if (width > 0 && !*rc) {
			hide(d, set[i], changed, &n);
			return (long long)n;
		}
	}
	if (*rc)
		return 0;
	nset = 0;

	int safe = 0;
	while (!safe && !*rc) {
		size_t before = nset;
		group_suppressed(d);
		for (size_t k = 0; k < d->ncells; k++) {
			size_t c = by_order[k];
			if (!candidate(d, c, e, 1, small_too))
				continue;
			hide(d, c, changed, &n);
			set[nset++] = c;
		}
		if (nset == before)
			break;
		safe = range_width(d, e, rc) > 0;
	}
	if (!safe || *rc) {
		unhide(d, changed, n);
		return 0;
	}
	qsort_r(set, nset, sizeof *set, by_value_desc, d);
	for (size_t i = 0; i < nset && !*rc; i++) {
		size_t m = 0;
		restore(d, set[i], NULL);
		if (range_width(d, e, rc) <= 0)
			hide(d, set[i], changed + n, &m);   /* needed: hidden again */
	}
	long long hidden = 0;
	for (size_t i = 0; i < n; i++)
		hidden += d->cells[changed[i]]->state == CELL_HIDDEN;
	return hidden;
}

static long long protect_exposed(struct disclosure *d, size_t e, const size_t *by_order,
				 size_t *changed, size_t *set, enum sv_err *rc)
{
	long long hidden = protect_with(d, e, by_order, changed, set, 0, rc);
	if (!hidden && !*rc)
		hidden = protect_with(d, e, by_order, changed, set, 1, rc);
	return hidden;
}

static int by_registration(const void *a, const void *b, void *arg)
{
	const size_t *order = arg;
	size_t x = order[*(const size_t *)a], y = order[*(const size_t *)b];
	return x < y ? -1 : x > y;
}

/* Hides complements until no "<N" can be worked out. */
static enum sv_err secondary(struct disclosure *d)
{
	enum sv_err rc = SV_OK;
	size_t *by_order = malloc((d->ncells + 1) * sizeof *by_order);
	size_t *changed = malloc((d->ncells + 1) * sizeof *changed);
	size_t *set = malloc((d->ncells + 1) * sizeof *set);

	if (!by_order || !changed || !set) {
		rc = SV_ERR_NOMEM;
		goto out;
	}
	for (size_t c = 0; c < d->ncells; c++)
		by_order[c] = c;
	qsort_r(by_order, d->ncells, sizeof *by_order, by_registration, d->order);
	for (;;) {
		size_t exposed = find_exposed(d, by_order, &rc);
		if (rc || exposed == SIZE_MAX)
			break;
		long long hidden = protect_exposed(d, exposed, by_order, changed, set, &rc);
		if (rc)
			break;
		/* Nothing helps, even with every count around it hidden: it
		 * follows from zeros and counts published exactly elsewhere (a
		 * row whose only source is the listed key messages), so hiding
		 * more protects nobody. */
		if (hidden == 0)
			d->dirty[exposed] = 0;
		d->secondary += hidden;
	}
out:
	free(by_order);
	free(changed);
	free(set);
	return rc;
}

enum sv_err disclosure_protect(struct disclosure *d, int min_cell)
{
	enum sv_err rc;

	if (!d)
		return SV_ERR_NOMEM;
	forget_cells(d);
	d->secondary = 0;
	d->min_cell = min_cell;
	rc = d->err;
	if (!rc)
		rc = index_cells(d);
	if (!rc) {
		for (size_t c = 0; c < d->ncells; c++) {
			struct cell *x = d->cells[c];
			if (min_cell <= 0 && !d->is_fixed[c])
				x->state = CELL_SHOWN;
			else if (d->is_withheld[c])
				x->state = CELL_WITHHELD;
			else if (d->is_known[c])
				x->state = CELL_SHOWN;
			else if (!d->is_fixed[c])
				x->state = x->value > 0 && x->value < min_cell ? CELL_SMALL : CELL_SHOWN;
			/* Protected: the small counts, and what is withheld unless 0. */
			d->dirty[c] = x->state == CELL_SMALL || (x->state == CELL_WITHHELD && x->value > 0);
		}
		rc = secondary(d);
	}
	if (rc)
		for (size_t m = 0; m < d->nmembers; m++)
			if (d->members[m]->state == CELL_SHOWN)
				d->members[m]->state = CELL_HIDDEN;
	forget_cells(d);
	return rc;
}
