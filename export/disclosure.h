/*
 * disclosure.h - small-number suppression for any set of published counts.
 *
 * A caller registers every count it will publish and every relation a reader
 * could use between them (a total is a sum, a subtotal lies between the
 * largest of its parts and their sum, one count printed in two places).
 * Callers do not keep these lists by hand: export/publication.c derives them
 * from what an artifact prints (see publication.h).
 * disclosure_protect then
 *   1. marks each count from 1 to N-1 "<N" (primary suppression); a 0 is
 *      published as 0, since no young person is behind it;
 *   2. audits: for each "<N", the smallest and largest value a reader could
 *      work out from everything published (a linear program, lp.h), and
 *      while any is pinned to one value, hides one more count ("[c]")
 *      beside it: the smallest that alone gives the "<N" a range, else the
 *      one that widens it most (secondary suppression).
 * Hiding a count only widens what a reader can deduce, so the loop ends, and
 * when it ends every "<N" keeps at least two possible values, and so does
 * every withheld count (below).  A "[c]" is known to be N or more; it exists
 * to protect the small counts and may itself be worked out without telling
 * anything below N.  Zeros are never hidden: a reader knows "[c]" is not 0.
 *
 * A withheld count ("[x]") is one not published at all because it would
 * describe fewer than N people (the answers of a group of 3): a reader knows
 * nothing of it but what the relations give, and unless it is 0 it must keep
 * two possible values like a "<N".  A withheld 0 may still follow from what
 * is published (nobody at all chose that answer), and is left so.
 *
 * Relations are checked against the true counts before use: where a stored
 * subtotal no longer equals its parts (a theme moved between priorities after
 * counting began), the relation that still holds is used instead.
 */
#ifndef SV_DISCLOSURE_H
#define SV_DISCLOSURE_H

#include "../core/err.h"

enum cell_state {
	CELL_SHOWN,      /* published as a number */
	CELL_SMALL,      /* below the threshold: published as "<N" */
	CELL_HIDDEN,     /* hidden so a small cell cannot be worked out: "[c]" */
	CELL_WITHHELD    /* not published: describes too few people: "[x]" */
};

struct cell {
	long long value;        /* the true count; never published unless shown */
	enum cell_state state;
};

enum disclosure_relation {
	DISCLOSE_SUM,       /* cells[0] = cells[1] + ... + cells[n-1] */
	DISCLOSE_ANY,       /* cells[0] counts people who gave any of the rest:
			       each of the rest <= cells[0] <= their sum */
	DISCLOSE_AT_MOST,   /* each of cells[1..] <= cells[0] */
	DISCLOSE_SAME,      /* one count published in several places */
	DISCLOSE_WITHIN     /* cells[0] <= cells[1] + ... + cells[n-1] */
};

#define DISCLOSURE_MAX_CELLS 100000
#define DISCLOSURE_MAX_RELATION 4096   /* cells in one relation */

struct disclosure;

struct disclosure *disclosure_new(void);
void disclosure_free(struct disclosure *d);

/* Registers a published count that takes part in no relation. */
void disclosure_cell(struct disclosure *d, struct cell *c);

/* Registers a relation between published counts (and the counts). */
void disclosure_relate(struct disclosure *d, enum disclosure_relation kind,
		       struct cell *const *cells, int n);

/*
 * Marks a registered cell as already published (by an earlier protect, in
 * another table): its state is kept, and it is never hidden to protect
 * others, but it is audited with the rest.
 */
void disclosure_fixed(struct disclosure *d, struct cell *c);

/*
 * Marks a registered cell as published exactly elsewhere (a count a listed
 * artifact gives away, such as the key messages printed with their themes):
 * it is shown, never hidden, and audited as a constant.
 */
void disclosure_known(struct disclosure *d, struct cell *c);

/*
 * Marks a registered cell as withheld: never published, audited as above.
 */
void disclosure_withheld(struct disclosure *d, struct cell *c);

/*
 * Sets every registered cell's state as above; min_cell 0 shows every count
 * (and min_cell 1 leaves nothing small).
 * A count that stays pinned with every count around it hidden follows from
 * zeros and counts published exactly elsewhere (disclosure_known, or an
 * earlier table), so it is left as it is.  SV_ERR_NOMEM or SV_ERR_TOOBIG
 * (also for a failed registration earlier); on an error every cell is left
 * hidden, so nothing unsafe is published.
 */
enum sv_err disclosure_protect(struct disclosure *d, int min_cell);

/* How many counts the last disclosure_protect hid to protect others. */
long long disclosure_secondary(const struct disclosure *d);

#endif
