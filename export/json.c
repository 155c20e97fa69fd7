/*
 * json.c - the themes table as JSON (see export.h and CONTRACT.md):
 *   { "consultation", "generated", "min_cell", "rows": [...], "priorities": [...] }
 * A published count is a number; a suppressed one is the string shown in CSV.
 */
#include <cjson/cJSON.h>

#include "export.h"

static const char *const col_names[EXPORT_NCOLS] = {
	"survey", "focus_group", "marketplace", "total"
};

static void add_cells(const struct export_table *t, cJSON *obj,
		      const struct cell cells[EXPORT_NCOLS])
{
	for (int c = 0; c < EXPORT_NCOLS; c++) {
		char text[32];
		if (cells[c].state == CELL_SHOWN) {
			cJSON_AddNumberToObject(obj, col_names[c], (double)cells[c].value);
		} else {
			export_cell_text(t, &cells[c], text);
			cJSON_AddStringToObject(obj, col_names[c], text);
		}
	}
}

void export_themes_json(const struct export_table *t, struct sbuf *out)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *rows = NULL, *prios = NULL;

	if (!root)
		goto fail;
	cJSON_AddStringToObject(root, "consultation", t->consultation);
	cJSON_AddStringToObject(root, "title", t->title);
	cJSON_AddStringToObject(root, "generated", t->generated);
	cJSON_AddNumberToObject(root, "min_cell", t->min_cell);
	if (t->round_to > 1)
		cJSON_AddNumberToObject(root, "round", t->round_to);
	rows = cJSON_AddArrayToObject(root, "rows");
	prios = cJSON_AddArrayToObject(root, "priorities");
	if (!rows || !prios)
		goto fail;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct export_row *r = &t->rows[i];
		cJSON *row = cJSON_CreateObject();
		if (!row || !cJSON_AddItemToArray(rows, row))
			goto fail;
		cJSON_AddNumberToObject(row, "priority_number", r->priority->number);
		cJSON_AddStringToObject(row, "priority", r->priority->name);
		cJSON_AddStringToObject(row, "theme", r->theme->name);
		add_cells(t, row, r->cells);
	}
	for (size_t i = 0; i < t->nsubtotals; i++) {
		const struct export_subtotal *s = &t->subtotals[i];
		cJSON *p = cJSON_CreateObject();
		if (!p || !cJSON_AddItemToArray(prios, p))
			goto fail;
		cJSON_AddNumberToObject(p, "priority_number", s->priority->number);
		cJSON_AddStringToObject(p, "priority", s->priority->name);
		add_cells(t, p, s->cells);
	}
	char *text = cJSON_Print(root);
	if (!text)
		goto fail;
	sbuf_adds(out, text);
	sbuf_adds(out, "\n");
	cJSON_free(text);
	cJSON_Delete(root);
	return;
fail:
	cJSON_Delete(root);
	out->err = SV_ERR_NOMEM;
}
