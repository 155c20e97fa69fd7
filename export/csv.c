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
	/* CONTRACT.md's columns first, so scripts reading by position still
	 * work; free_text (coded answers, outside total) after them. */
	sbuf_adds(out, "priority_number,priority,theme,survey,focus_group,marketplace,total,"
		  "free_text\r\n");
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

static const char *const grouping_names[2] = { "age_band", "district" };

/* One line of the breakdowns CSV. */
static void breakdown_line(struct sbuf *out, const struct export_table *t, const char *by,
			   const char *group, const struct export_question *q,
			   const struct export_option *o, const char *label, const struct cell *c)
{
	char text[32];

	export_csv_field(out, by);
	sbuf_adds(out, ",");
	export_csv_field(out, group);
	sbuf_adds(out, ",");
	export_csv_field(out, q->id);
	sbuf_adds(out, ",");
	export_csv_field(out, q->title);
	sbuf_adds(out, ",");
	export_csv_field(out, o ? o->id : "");
	sbuf_adds(out, ",");
	export_csv_field(out, o ? o->label : label);
	sbuf_adds(out, ",");
	export_cell_text(t, c, text);
	if (c->state == CELL_SHOWN)
		sbuf_adds(out, text);
	else
		export_csv_field(out, text);
	sbuf_adds(out, "\r\n");
}

void export_breakdown_csv(const struct export_table *t, struct export_breakdown *b,
			  struct sbuf *out)
{
	sbuf_adds(out, "by,group,question_id,question,option_id,option,count\r\n");
	for (int i = 0; i < b->qs->n; i++) {
		const struct export_question *q = &b->qs->items[i];
		if (!b->q[i].choice)
			continue;
		breakdown_line(out, t, "all", "All", q, NULL, "Answered this question",
			       export_breakdown_answered(b, i));
		for (int k = 0; k < q->noptions; k++)
			breakdown_line(out, t, "all", "All", q, &q->options[k], NULL,
				       export_breakdown_option(b, i, k));
		for (int by = 0; by < 2; by++)
			if (b->by[by].question == i)
				breakdown_line(out, t, "all", "All", q, NULL, "Not given",
					       export_breakdown_group_size(b, by, b->by[by].ngroups - 1));
	}
	for (int by = 0; by < 2; by++) {
		int gq = b->by[by].question;
		if (gq < 0)
			continue;
		const struct export_question *grouping = &b->qs->items[gq];
		for (int i = 0; i < b->qs->n; i++) {
			const struct export_question *q = &b->qs->items[i];
			if (!b->q[i].choice || i == gq)
				continue;
			for (int g = 0; g < b->by[by].ngroups; g++) {
				const char *group = g < grouping->noptions ? grouping->options[g].label : "Not given";
				for (int k = 0; k < q->noptions; k++)
					breakdown_line(out, t, grouping_names[by], group, q, &q->options[k],
						       NULL, export_breakdown_group(b, i, k, by, g));
			}
		}
	}
}
