/*
 * lp.h - a small linear program, solved exactly enough for the disclosure
 * audit: how low and how high can one suppressed count be, given every
 * number and every relation a reader of the published table can see?
 *
 * Variables are the suppressed counts; each has bounds (a "<5" cell lies in
 * 0..4, a "[c]" cell is at least 5).  Constraints are the table's relations
 * (a row total is the sum of its cells, a subtotal is at most the sum of its
 * themes, ...), with the published numbers moved to the right-hand side.
 * Solved by GLPK's simplex (libglpk from Debian), warm-started from one
 * question to the next: a breakdowns export can hide hundreds of counts
 * in one group, which a hand-written dense simplex took minutes over.
 */
#ifndef SV_LP_H
#define SV_LP_H

#include <stddef.h>

#include "../core/err.h"

#define LP_MAX_VARS 2048
#define LP_MAX_ROWS 4096
#define LP_UNBOUNDED 1e300   /* an upper bound or a maximum that has none */

enum lp_sense { LP_EQ, LP_LE, LP_GE };

struct lp;

struct lp *lp_new(int nvars);
void lp_free(struct lp *lp);

/* Bounds of variable v: lo <= x_v <= hi (hi may be LP_UNBOUNDED). */
void lp_bound(struct lp *lp, int v, double lo, double hi);

/* Adds sum(coef[k] * x_vars[k]) <sense> rhs.  SV_ERR_TOOBIG past the caps. */
enum sv_err lp_add(struct lp *lp, const int *vars, const double *coef, int n,
		   enum lp_sense sense, double rhs);

/*
 * Smallest and largest value variable v can take over every solution of the
 * constraints (real-valued).  *max is LP_UNBOUNDED when nothing limits it.
 * SV_ERR_INVALID if the constraints have no solution at all.  If seen is not
 * NULL (2 * nvars values), seen[x] and seen[nvars + x] are widened to the
 * values x takes in the two solutions found: a cheap witness that other
 * variables are not pinned either.
 */
enum sv_err lp_range(struct lp *lp, int v, double *min /* OUT */, double *max /* OUT */,
		     double *seen);

#endif
