/*
 * csv.c - the themes table as RFC 4180 CSV (see export.h).
 */
#include <string.h>

#include "export.h"

void export_csv_field(struct sbuf *out, const char *s)
{
	sbuf_adds(out, "\"");
	/* A spreadsheet would run a cell starting with = + - @ as a formula. */
	if (strchr("=+-@\t\r", s[0]) && s[0])
		sbuf_adds(out, "'");
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			sbuf_adds(out, "\"\"");
		else
			sbuf_add(out, p, 1);
	}
	sbuf_adds(out, "\"");
}

void export_themes_csv(const struct export_table *t, struct sbuf *out)
{
	sbuf_adds(out, "priority_number,priority,theme,survey,focus_group,marketplace,total\r\n");
	for (size_t i = 0; i < t->nrows; i++) {
		const struct export_row *r = &t->rows[i];
		sbuf_addf(out, "%d,", r->priority->number);
		export_csv_field(out, r->priority->name);
		sbuf_adds(out, ",");
		export_csv_field(out, r->theme->name);
		for (int c = 0; c < EXPORT_NCOLS; c++) {
			char text[32];
			export_cell_text(t, &r->cells[c], text);
			sbuf_adds(out, ",");
			/* Numbers bare; "<5" and "[c]" quoted like any text. */
			if (r->cells[c].state == CELL_SHOWN)
				sbuf_adds(out, text);
			else
				export_csv_field(out, text);
		}
		sbuf_adds(out, "\r\n");
	}
}
