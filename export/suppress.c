/*
 * suppress.c - small-number suppression (see export.h).
 *
 * Primary: any published count below the threshold is shown as "<N".
 * Secondary: each row publishes survey, focus_group, marketplace and their
 * total, so the sum of a row's small cells can be worked out by subtraction.
 * That sum pins every small cell when there is only one, or when it is 0
 * (all are 0) or k * (N - 1) (all are N - 1); then the total is hidden too.
 * The same rule runs over the per-priority subtotals.
 *
 * Rows are not summed into published column totals, so columns give no exact
 * equation to solve.  (Bounds from the per-priority subtotals are looked at
 * again with the export issue.)
 */
#include <stdio.h>

#include "export.h"

static void suppress_cells(struct cell cells[EXPORT_NCOLS], int min_cell)
{
	int small = 0;
	long long small_sum = 0;

	for (int c = 0; c < EXPORT_NCOLS; c++) {
		cells[c].state = CELL_SHOWN;
		if (cells[c].value < min_cell) {
			cells[c].state = CELL_SMALL;
			if (c != EXPORT_TOTAL) {
				small++;
				small_sum += cells[c].value;
			}
		}
	}
	if (small == 0 || cells[EXPORT_TOTAL].state != CELL_SHOWN)
		return;
	if (small == 1 || small_sum == 0 || small_sum == (long long)small * (min_cell - 1))
		cells[EXPORT_TOTAL].state = CELL_HIDDEN;
}

void export_suppress(struct export_table *t, int min_cell)
{
	t->min_cell = min_cell;
	for (size_t i = 0; i < t->nrows; i++)
		suppress_cells(t->rows[i].cells, min_cell);
	for (size_t i = 0; i < t->nsubtotals; i++)
		suppress_cells(t->subtotals[i].cells, min_cell);
}

static void round_cells(struct cell cells[EXPORT_NCOLS], int n)
{
	for (int c = 0; c < EXPORT_NCOLS; c++)
		if (cells[c].state == CELL_SHOWN)
			cells[c].value = (cells[c].value + n / 2) / n * n;
}

void export_round(struct export_table *t, int n)
{
	if (n <= 1)
		return;
	t->round_to = n;
	for (size_t i = 0; i < t->nrows; i++)
		round_cells(t->rows[i].cells, n);
	for (size_t i = 0; i < t->nsubtotals; i++)
		round_cells(t->subtotals[i].cells, n);
}

void export_cell_text(const struct export_table *t, const struct cell *c, char out[32])
{
	switch (c->state) {
	case CELL_SHOWN:
		snprintf(out, 32, "%lld", c->value);
		break;
	case CELL_SMALL:
		snprintf(out, 32, "<%d", t->min_cell);
		break;
	case CELL_HIDDEN:
		snprintf(out, 32, "[c]");
		break;
	}
}
