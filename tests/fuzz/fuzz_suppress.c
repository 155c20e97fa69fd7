/*
 * fuzz_suppress.c - libFuzzer target for export_suppress: a themes table
 * built from the fuzz bytes (rows of survey, focus_group and marketplace
 * counts with their total, and per-priority subtotals), suppressed with a
 * threshold from the first byte.  Asserts the promises of export.h:
 * - no count from 1 to min_cell - 1 is shown, and a true 0 is always 0;
 * - no row or subtotal shows its total while exactly one of its three
 *   sources is suppressed, unless that one is N or more;
 * - more generally, for min_cell >= 2, no suppressed cell of 1 to N-1 can
 *   be worked out from what the row publishes (each has two or more
 *   possible values; "<N" is 1 to N-1, "[c]" any count from 1 up);
 * - min_cell 0 hides nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../export/export.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_ROWS 64

/* A count from one or two bytes: mostly small, sometimes large. */
static long long next_count(const uint8_t **p, const uint8_t *end)
{
	if (*p >= end)
		return 0;
	uint8_t b = *(*p)++;
	if (b < 0xf0)
		return b % 16;
	if (*p >= end)
		return b;
	return (long long)(b & 0x0f) * 256 + *(*p)++;
}

static void check_cells(const struct cell *c, int min_cell)
{
	int suppressed = 0, small = 0;

	for (int k = 0; k < EXPORT_NCOLS; k++) {
		if (c[k].value > 0 && c[k].value < min_cell && c[k].state == CELL_SHOWN)
			abort();
		if ((min_cell == 0 || c[k].value == 0) && c[k].state != CELL_SHOWN)
			abort();
		if (k != EXPORT_TOTAL && c[k].state != CELL_SHOWN) {
			suppressed++;
			small += c[k].value < min_cell;
		}
	}
	if (c[EXPORT_TOTAL].state != CELL_SHOWN || suppressed == 0)
		return;
	/* One suppressed source beside a shown total is pinned: fine for a
	 * count of N or more, never for 1 to N-1. */
	if (suppressed == 1 && small)
		abort();
	if (min_cell < 2)
		return; /* nothing is small */
	/* Every way to fill the suppressed cells ("<N": 1 .. N-1; "[c]": 1 or
	 * more) that adds up to the published total: each of 1 to N-1 must
	 * have two values. */
	long long total = c[EXPORT_TOTAL].value;
	long long lo[EXPORT_TOTAL], hi[EXPORT_TOTAL];
	for (int k = 0; k < EXPORT_TOTAL; k++) {
		lo[k] = c[k].state == CELL_SHOWN ? c[k].value : 1;
		hi[k] = c[k].state == CELL_SHOWN ? c[k].value : c[k].state == CELL_SMALL ? min_cell - 1 : total;
	}
	if ((hi[0] - lo[0] + 1) * (hi[1] - lo[1] + 1) > 1000000)
		return; /* too many to try in a fuzz run */
	long long seen_min[EXPORT_TOTAL], seen_max[EXPORT_TOTAL];
	for (int k = 0; k < EXPORT_TOTAL; k++) {
		seen_min[k] = -1;
		seen_max[k] = -1;
	}
	for (long long a = lo[0]; a <= hi[0]; a++)
		for (long long b = lo[1]; b <= hi[1]; b++) {
			long long d = total - a - b;
			if (d < lo[2] || d > hi[2])
				continue;
			long long v[EXPORT_TOTAL] = { a, b, d };
			for (int k = 0; k < EXPORT_TOTAL; k++) {
				if (seen_min[k] < 0 || v[k] < seen_min[k])
					seen_min[k] = v[k];
				if (v[k] > seen_max[k])
					seen_max[k] = v[k];
			}
		}
	if (seen_min[0] < 0)
		abort(); /* the true counts themselves do not fit what is published */
	for (int k = 0; k < EXPORT_TOTAL; k++)
		if (c[k].state != CELL_SHOWN && c[k].value < min_cell && seen_min[k] == seen_max[k])
			abort(); /* a small count pinned to one value: disclosed */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct export_row rows[MAX_ROWS];
	struct export_subtotal subs[5];
	struct export_table t;
	const uint8_t *p = data, *end = data + size;

	if (size < 2)
		return 0;
	int min_cell = *p++ % 12;
	size_t nrows = *p++ % (MAX_ROWS + 1);
	memset(&t, 0, sizeof t);
	memset(rows, 0, sizeof rows);
	memset(subs, 0, sizeof subs);
	t.rows = rows;
	t.nrows = nrows;
	t.subtotals = subs;
	t.nsubtotals = 5;
	/* The table's totals are always the sum of the three sources. */
	for (size_t i = 0; i < nrows + t.nsubtotals; i++) {
		struct cell *c = i < nrows ? rows[i].cells : subs[i - nrows].cells;
		for (int k = 0; k < EXPORT_TOTAL; k++)
			c[k].value = next_count(&p, end);
		c[EXPORT_TOTAL].value = c[0].value + c[1].value + c[2].value;
	}
	enum sv_err rc = export_suppress(&t, min_cell);
	if (t.min_cell != min_cell || (rc != SV_OK && rc != SV_ERR_INVALID))
		abort();
	if (rc == SV_ERR_INVALID) {
		/* Refused (a small count no hiding protects): no number shown. */
		if (min_cell < 2)
			abort();
		for (size_t i = 0; i < nrows + t.nsubtotals; i++) {
			const struct cell *c = i < nrows ? rows[i].cells : subs[i - nrows].cells;
			for (int k = 0; k < EXPORT_NCOLS; k++)
				if (c[k].state == CELL_SHOWN)
					abort();
		}
		return 0;
	}
	for (size_t i = 0; i < t.nrows; i++)
		check_cells(rows[i].cells, min_cell);
	for (size_t i = 0; i < t.nsubtotals; i++)
		check_cells(subs[i].cells, min_cell);
	return 0;
}
