/*
 * lp.c - the disclosure audit's linear programs, solved by GLPK (see lp.h).
 *
 * The variables and constraints are kept here as they are given; the first
 * lp_range builds GLPK's problem from them (each variable a column with its
 * bounds, each constraint a row) and every later one starts GLPK's simplex
 * from the basis the last one left, so asking about many cells of a group
 * costs little more than asking about one.  A change (lp_bound, lp_add)
 * drops the problem; the next lp_range builds it again.
 *
 * GLPK keeps an environment per thread (a survey-server worker audits in
 * its own thread): it is freed when the thread's last problem is, so a
 * thread that ends leaves nothing behind.
 */
#include <stdlib.h>
#include <string.h>

#include <glpk.h>

#include "lp.h"

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
	glp_prob *glp;            /* built on first use; NULL until then */
	int infeasible;           /* a variable's bounds cross: no solution */
};

/* This thread's problems alive in GLPK's environment. */
static _Thread_local int live_problems;

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

static void forget_problem(struct lp *lp)
{
	if (!lp->glp)
		return;
	glp_delete_prob(lp->glp);
	lp->glp = NULL;
	if (--live_problems == 0)
		glp_free_env();
}

void lp_free(struct lp *lp)
{
	if (!lp)
		return;
	forget_problem(lp);
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
	forget_problem(lp);
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
	/* GLPK takes each variable once a row: a repeated one's
	 * coefficients are added together here. */
	int kept = 0;
	for (int k = 0; k < n; k++) {
		if (vars[k] < 0 || vars[k] >= lp->nvars) {
			free(c->terms);
			c->terms = NULL;
			return SV_ERR_INVALID;
		}
		int t = 0;
		while (t < kept && c->terms[t].var != vars[k])
			t++;
		if (t == kept)
			c->terms[kept++] = (struct term){ vars[k], 0 };
		c->terms[t].coef += coef[k];
	}
	c->n = kept;
	c->sense = sense;
	c->rhs = rhs;
	lp->nrows++;
	forget_problem(lp);
	return SV_OK;
}

/* GLPK's problem for lp's variables and constraints, with no objective.
 * SV_ERR_NOMEM if its arrays cannot be had. */
static enum sv_err build(struct lp *lp)
{
	size_t nonzeros = 0;
	for (int i = 0; i < lp->nrows; i++)
		nonzeros += (size_t)lp->rows[i].n;
	/* glp_load_matrix counts from 1: element 0 is unused. */
	int *ia = malloc((nonzeros + 1) * sizeof *ia), *ja = malloc((nonzeros + 1) * sizeof *ja);
	double *ar = malloc((nonzeros + 1) * sizeof *ar);
	if (!ia || !ja || !ar) {
		free(ia);
		free(ja);
		free(ar);
		return SV_ERR_NOMEM;
	}

	glp_prob *p = glp_create_prob();
	live_problems++;
	lp->glp = p;
	lp->infeasible = 0;
	if (lp->nvars > 0)
		glp_add_cols(p, lp->nvars);
	for (int v = 0; v < lp->nvars; v++) {
		double lo = lp->lo[v], hi = lp->hi[v];
		if (hi < lo)
			lp->infeasible = 1;
		else if (hi >= LP_UNBOUNDED)
			glp_set_col_bnds(p, v + 1, GLP_LO, lo, 0);
		else
			glp_set_col_bnds(p, v + 1, hi == lo ? GLP_FX : GLP_DB, lo, hi);
	}
	if (lp->nrows > 0)
		glp_add_rows(p, lp->nrows);
	size_t k = 0;
	for (int i = 0; i < lp->nrows; i++) {
		const struct constraint *c = &lp->rows[i];
		int type = c->sense == LP_EQ ? GLP_FX : c->sense == LP_LE ? GLP_UP : GLP_LO;
		glp_set_row_bnds(p, i + 1, type, c->rhs, c->rhs);
		for (int t = 0; t < c->n; t++) {
			k++;
			ia[k] = i + 1;
			ja[k] = c->terms[t].var + 1;
			ar[k] = c->terms[t].coef;
		}
	}
	glp_load_matrix(p, (int)k, ia, ja, ar);
	free(ia);
	free(ja);
	free(ar);
	return SV_OK;
}

/* Widens seen[x] (lowest) and seen[nvars + x] (highest) to the values the
 * solution just found gives every variable. */
static void note_solution(const struct lp *lp, double *seen)
{
	for (int x = 0; x < lp->nvars; x++) {
		double value = glp_get_col_prim(lp->glp, x + 1);
		if (value < seen[x])
			seen[x] = value;
		if (value > seen[lp->nvars + x])
			seen[lp->nvars + x] = value;
	}
}

/*
 * Optimises variable v in direction dir (GLP_MIN or GLP_MAX) from the basis
 * the last solve left.  0 at the optimum (*best its value), 1 if there is no
 * solution, 2 if v is unbounded that way, -1 if GLPK failed.
 */
static int optimise(struct lp *lp, int v, int dir, double *best, double *seen)
{
	glp_smcp parm;

	glp_init_smcp(&parm);
	parm.msg_lev = GLP_MSG_OFF;
	glp_set_obj_dir(lp->glp, dir);
	glp_set_obj_coef(lp->glp, v + 1, 1);
	int ret = glp_simplex(lp->glp, &parm);
	if (ret == GLP_EBADB || ret == GLP_ESING || ret == GLP_ECOND) {
		/* The basis left behind is unusable: start from a fresh one. */
		glp_std_basis(lp->glp);
		ret = glp_simplex(lp->glp, &parm);
	}
	glp_set_obj_coef(lp->glp, v + 1, 0);
	if (ret != 0)
		return ret == GLP_ENOPFS ? 1 : -1;
	switch (glp_get_status(lp->glp)) {
	case GLP_OPT:
		*best = glp_get_col_prim(lp->glp, v + 1);
		if (seen)
			note_solution(lp, seen);
		return 0;
	case GLP_NOFEAS:
		return 1;
	case GLP_UNBND:
		return 2;
	default:
		return -1;
	}
}

enum sv_err lp_range(struct lp *lp, int v, double *min, double *max, double *seen)
{
	if (v < 0 || v >= lp->nvars)
		return SV_ERR_INVALID;
	if (!lp->glp) {
		enum sv_err rc = build(lp);
		if (rc)
			return rc;
	}
	if (lp->infeasible)
		return SV_ERR_INVALID;
	double low = 0, high = 0;
	int r = optimise(lp, v, GLP_MIN, &low, seen);
	if (r == 1)
		return SV_ERR_INVALID;
	if (r != 0)          /* GLPK failed: counts always have a lower bound */
		return SV_ERR_NOMEM;
	r = optimise(lp, v, GLP_MAX, &high, seen);
	if (r != 0 && r != 2)
		return r == 1 ? SV_ERR_INVALID : SV_ERR_NOMEM;
	*min = low;
	*max = r == 2 ? LP_UNBOUNDED : high;
	return SV_OK;
}
