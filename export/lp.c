/*
 * lp.c - a dense two-phase simplex for the disclosure audit (see lp.h).
 *
 * Each variable is shifted to y = x - lo >= 0; a finite upper bound becomes
 * a row y <= hi - lo.  Phase I finds a feasible basis once (minimising the
 * artificial variables); every lp_range then starts Phase II from a copy of
 * it, so asking about many cells costs one Phase I.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lp.h"

#define EPS 1e-9

struct term {
	int var;
	double coef;
};

struct constraint {
	struct term *terms;
	int n;
	enum lp_sense sense;
	double rhs;
};

struct lp {
	int nvars;
	double *lo, *hi;
	struct constraint *rows;
	int nrows, cap_rows;
	/* The feasible tableau, built on first use; NULL until then. */
	double *tab;              /* m rows of (ncols + 1): the last column is the rhs */
	int *basis;               /* column basic in each row */
	size_t *nonzero;          /* scratch: the pivot row's nonzero columns */
	int m, ncols, nstruct;    /* rows kept, columns, columns usable in Phase II */
	int infeasible;           /* Phase I found no solution */
};

struct lp *lp_new(int nvars)
{
	if (nvars < 0 || nvars > LP_MAX_VARS)
		return NULL;
	struct lp *lp = calloc(1, sizeof *lp);
	if (!lp)
		return NULL;
	lp->nvars = nvars;
	lp->lo = calloc((size_t)nvars + 1, sizeof *lp->lo);
	lp->hi = calloc((size_t)nvars + 1, sizeof *lp->hi);
	if (!lp->lo || !lp->hi) {
		lp_free(lp);
		return NULL;
	}
	for (int v = 0; v < nvars; v++)
		lp->hi[v] = LP_UNBOUNDED;
	return lp;
}

static void forget_tableau(struct lp *lp)
{
	free(lp->tab);
	free(lp->basis);
	free(lp->nonzero);
	lp->tab = NULL;
	lp->basis = NULL;
	lp->nonzero = NULL;
}

void lp_free(struct lp *lp)
{
	if (!lp)
		return;
	forget_tableau(lp);
	for (int i = 0; i < lp->nrows; i++)
		free(lp->rows[i].terms);
	free(lp->rows);
	free(lp->lo);
	free(lp->hi);
	free(lp);
}

void lp_bound(struct lp *lp, int v, double lo, double hi)
{
	if (v < 0 || v >= lp->nvars)
		return;
	lp->lo[v] = lo;
	lp->hi[v] = hi;
	forget_tableau(lp);
}

enum sv_err lp_add(struct lp *lp, const int *vars, const double *coef, int n,
		   enum lp_sense sense, double rhs)
{
	if (lp->nrows >= LP_MAX_ROWS || n < 0 || n > lp->nvars)
		return SV_ERR_TOOBIG;
	if (lp->nrows == lp->cap_rows) {
		int cap = lp->cap_rows ? 2 * lp->cap_rows : 32;
		struct constraint *more = realloc(lp->rows, (size_t)cap * sizeof *more);
		if (!more)
			return SV_ERR_NOMEM;
		lp->rows = more;
		lp->cap_rows = cap;
	}
	struct constraint *c = &lp->rows[lp->nrows];
	c->terms = calloc((size_t)n + 1, sizeof *c->terms);
	if (!c->terms)
		return SV_ERR_NOMEM;
	for (int k = 0; k < n; k++) {
		if (vars[k] < 0 || vars[k] >= lp->nvars) {
			free(c->terms);
			c->terms = NULL;
			return SV_ERR_INVALID;
		}
		c->terms[k] = (struct term){ vars[k], coef[k] };
	}
	c->n = n;
	c->sense = sense;
	c->rhs = rhs;
	lp->nrows++;
	forget_tableau(lp);
	return SV_OK;
}

#define T(lp, i, j) ((lp)->tab[(size_t)(i) * (size_t)((lp)->ncols + 1) + (size_t)(j)])

static void pivot(const struct lp *lp, double *tab, int *basis, int r, int c)
{
	size_t w = (size_t)lp->ncols + 1, nnz = 0;
	double *row = tab + (size_t)r * w;
	double p = row[c];

	/* The pivot row is mostly zeros: update other rows only where it is not. */
	for (size_t j = 0; j < w; j++)
		if (row[j] != 0) {
			row[j] /= p;
			lp->nonzero[nnz++] = j;
		}
	for (int i = 0; i < lp->m; i++) {
		double *other = tab + (size_t)i * w;
		double f = other[c];
		if (i == r || fabs(f) < EPS)
			continue;
		for (size_t k = 0; k < nnz; k++) {
			size_t j = lp->nonzero[k];
			other[j] -= f * row[j];
			if (fabs(other[j]) < 1e-12)
				other[j] = 0;   /* keep rounding dust from filling the row */
		}
	}
	basis[r] = c;
}

/*
 * Minimises cost . columns [0, usable) from the basis in tab, by Bland's
 * rule.  Returns 0 at the optimum, 1 if the objective has no lower bound,
 * -1 out of memory.
 */
static int simplex(const struct lp *lp, double *tab, int *basis, const double *cost, int usable)
{
	size_t w = (size_t)lp->ncols + 1;

	int *costed = malloc((size_t)lp->m * sizeof *costed + 1);

	if (!costed)
		return -1;
	for (;;) {
		/* Only rows whose basic variable has a cost enter the reduced
		 * costs: one row at most in Phase II, where one variable is costed. */
		int ncosted = 0;
		for (int i = 0; i < lp->m; i++)
			if (cost[basis[i]] != 0)
				costed[ncosted++] = i;
		int enter = -1;
		for (int j = 0; j < usable && enter < 0; j++) {
			double r = cost[j];
			for (int k = 0; k < ncosted; k++)
				r -= cost[basis[costed[k]]] * tab[(size_t)costed[k] * w + (size_t)j];
			if (r < -EPS)
				enter = j;
		}
		if (enter < 0)
			break;
		int leave = -1;
		double best = 0;
		for (int i = 0; i < lp->m; i++) {
			double a = tab[(size_t)i * w + (size_t)enter];
			if (a <= EPS)
				continue;
			double ratio = tab[(size_t)i * w + w - 1] / a;
			if (leave < 0 || ratio < best - EPS ||
			    (ratio < best + EPS && basis[i] < basis[leave])) {
				leave = i;
				best = ratio;
			}
		}
		if (leave < 0) {
			free(costed);
			return 1;
		}
		pivot(lp, tab, basis, leave, enter);
	}
	free(costed);
	return 0;
}

static double objective(const struct lp *lp, const double *tab, const int *basis,
			const double *cost)
{
	double z = 0;
	for (int i = 0; i < lp->m; i++)
		z += cost[basis[i]] * tab[(size_t)i * (size_t)(lp->ncols + 1) + (size_t)lp->ncols];
	return z;
}

/* Builds the tableau and runs Phase I.  SV_ERR_NOMEM, or SV_OK (with
 * lp->infeasible set when there is no solution). */
static enum sv_err build(struct lp *lp)
{
	int nbound = 0, nslack = 0;
	for (int v = 0; v < lp->nvars; v++)
		nbound += lp->hi[v] < LP_UNBOUNDED;
	for (int i = 0; i < lp->nrows; i++)
		nslack += lp->rows[i].sense != LP_EQ;
	int m = lp->nrows + nbound;
	nslack += nbound;
	/* Columns: variables, slacks, then one artificial per row at most. */
	lp->m = m;
	lp->nstruct = lp->nvars + nslack;
	lp->ncols = lp->nstruct + m;
	lp->tab = calloc((size_t)m * (size_t)(lp->ncols + 1) + 1, sizeof *lp->tab);
	lp->basis = calloc((size_t)m + 1, sizeof *lp->basis);
	lp->nonzero = calloc((size_t)lp->ncols + 1, sizeof *lp->nonzero);
	double *cost = calloc((size_t)lp->ncols + 1, sizeof *cost);
	if (!lp->tab || !lp->basis || !lp->nonzero || !cost) {
		free(cost);
		forget_tableau(lp);
		return SV_ERR_NOMEM;
	}

	int row = 0, slack = lp->nvars, art = lp->nstruct;
	for (int i = 0; i < lp->nrows; i++, row++) {
		const struct constraint *c = &lp->rows[i];
		double rhs = c->rhs;
		for (int k = 0; k < c->n; k++) {
			T(lp, row, c->terms[k].var) += c->terms[k].coef;
			rhs -= c->terms[k].coef * lp->lo[c->terms[k].var];
		}
		int s = -1;
		if (c->sense != LP_EQ) {
			s = slack++;
			T(lp, row, s) = c->sense == LP_LE ? 1 : -1;
		}
		T(lp, row, lp->ncols) = rhs;
	}
	for (int v = 0; v < lp->nvars; v++) {
		if (lp->hi[v] >= LP_UNBOUNDED)
			continue;
		T(lp, row, v) = 1;
		T(lp, row, slack++) = 1;
		T(lp, row, lp->ncols) = lp->hi[v] - lp->lo[v];
		row++;
	}
	/* rhs >= 0; a row whose slack then reads +1 starts with it basic. */
	for (int i = 0; i < m; i++) {
		if (T(lp, i, lp->ncols) < 0)
			for (int j = 0; j <= lp->ncols; j++)
				T(lp, i, j) = -T(lp, i, j);
		lp->basis[i] = -1;
		for (int j = lp->nvars; j < lp->nstruct && lp->basis[i] < 0; j++)
			if (T(lp, i, j) > 1 - EPS)
				lp->basis[i] = j;
		if (lp->basis[i] < 0) {
			T(lp, i, art) = 1;
			cost[art] = 1;
			lp->basis[i] = art++;
		}
	}
	if (simplex(lp, lp->tab, lp->basis, cost, lp->ncols) < 0) {
		free(cost);
		forget_tableau(lp);
		return SV_ERR_NOMEM;
	}
	lp->infeasible = objective(lp, lp->tab, lp->basis, cost) > 1e-7;
	free(cost);

	/* Pivot the artificials left in the basis (at zero) out, or drop the row. */
	for (int i = 0; i < lp->m && !lp->infeasible; i++) {
		if (lp->basis[i] < lp->nstruct)
			continue;
		int j = 0;
		while (j < lp->nstruct && fabs(T(lp, i, j)) < EPS)
			j++;
		if (j < lp->nstruct) {
			pivot(lp, lp->tab, lp->basis, i, j);
			continue;
		}
		size_t w = (size_t)lp->ncols + 1;
		memmove(lp->tab + (size_t)i * w, lp->tab + (size_t)(i + 1) * w,
			(size_t)(lp->m - i - 1) * w * sizeof *lp->tab);
		memmove(lp->basis + i, lp->basis + i + 1, (size_t)(lp->m - i - 1) * sizeof *lp->basis);
		lp->m--;
		i--;
	}
	/* Phase II never uses the artificial columns: drop them, so each copy
	 * of the tableau is smaller. */
	size_t w = (size_t)lp->ncols + 1, kept = (size_t)lp->nstruct + 1;
	for (int i = 0; i < lp->m; i++) {
		double *from = lp->tab + (size_t)i * w, *to = lp->tab + (size_t)i * kept;
		memmove(to, from, (size_t)lp->nstruct * sizeof *to);
		to[lp->nstruct] = from[lp->ncols];
	}
	lp->ncols = lp->nstruct;
	return SV_OK;
}

/* Widens seen[x] (lowest) and seen[nvars + x] (highest) to the values the
 * final basis gives every variable. */
static void note_solution(const struct lp *lp, const double *tab, const int *basis, double *seen)
{
	for (int x = 0; x < lp->nvars; x++) {
		double value = lp->lo[x];
		for (int i = 0; i < lp->m; i++)
			if (basis[i] == x)
				value += tab[(size_t)i * (size_t)(lp->ncols + 1) + (size_t)lp->ncols];
		if (value < seen[x])
			seen[x] = value;
		if (value > seen[lp->nvars + x])
			seen[lp->nvars + x] = value;
	}
}

/* Minimises sign * y_v from the feasible basis in tab (changing it); 1 if
 * unbounded, -1 out of memory. */
static int optimise(struct lp *lp, double *tab, int *basis, int v, double sign, double *best,
		    double *seen)
{
	double *cost = calloc((size_t)lp->ncols + 1, sizeof *cost);
	int unbounded = -1;

	if (cost) {
		cost[v] = sign;
		unbounded = simplex(lp, tab, basis, cost, lp->nstruct);
		*best = objective(lp, tab, basis, cost);
		if (seen && unbounded >= 0)
			note_solution(lp, tab, basis, seen);
	}
	free(cost);
	return unbounded;
}

enum sv_err lp_range(struct lp *lp, int v, double *min, double *max, double *seen)
{
	if (v < 0 || v >= lp->nvars)
		return SV_ERR_INVALID;
	if (!lp->tab) {
		enum sv_err rc = build(lp);
		if (rc)
			return rc;
	}
	if (lp->infeasible)
		return SV_ERR_INVALID;
	/* One copy of the Phase I tableau: minimise, then maximise from there
	 * (any feasible basis will do as a start). */
	size_t size = (size_t)lp->m * (size_t)(lp->ncols + 1);
	double *tab = malloc(size * sizeof *tab + 1);
	int *basis = malloc((size_t)lp->m * sizeof *basis + 1);
	double low = 0, high = 0;
	int r1 = -1, r2 = -1;
	if (tab && basis) {
		memcpy(tab, lp->tab, size * sizeof *tab);
		memcpy(basis, lp->basis, (size_t)lp->m * sizeof *basis);
		r1 = optimise(lp, tab, basis, v, 1, &low, seen);
		if (r1 == 0)
			r2 = optimise(lp, tab, basis, v, -1, &high, seen);
	}
	free(tab);
	free(basis);
	if (r1 < 0 || r2 < 0)
		return SV_ERR_NOMEM;
	*min = lp->lo[v] + low;
	*max = r2 ? LP_UNBOUNDED : lp->lo[v] - high;
	return SV_OK;
}
