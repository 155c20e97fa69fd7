/*
 * json.c - the themes table as JSON (see export.h and CONTRACT.md):
 *   { "consultation", "generated", "min_cell", "rows": [...], "priorities": [...],
 *     "took_part": {responses, focus_groups, participants, messages, events, tokens,
 *                   surveys: [{survey, responses}]} }
 * and the breakdowns.
 * A published count is a number; a suppressed one is the string shown in CSV.
 */
#include <cjson/cJSON.h>

#include "export.h"

static const char *const col_names[EXPORT_NCOLS] = {
	"survey", "focus_group", "marketplace", "total", "free_text"
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

void export_json_count(const struct export_table *t, cJSON *obj, const char *key,
		       const struct cell *c)
{
	char text[32];
	if (c->state == CELL_SHOWN) {
		cJSON_AddNumberToObject(obj, key, (double)c->value);
	} else {
		export_cell_text(t, c, text);
		cJSON_AddStringToObject(obj, key, text);
	}
}

/* What every export's JSON starts with: whose, when, and the rules used. */
static void add_header(const struct export_table *t, cJSON *root)
{
	cJSON_AddStringToObject(root, "consultation", t->consultation);
	cJSON_AddStringToObject(root, "title", t->title);
	cJSON_AddStringToObject(root, "generated", t->generated);
	cJSON_AddNumberToObject(root, "min_cell", t->min_cell);
	if (t->round_to > 1)
		cJSON_AddNumberToObject(root, "round", t->round_to);
}

/* Appends root, indented, and frees it. */
void export_json_print(cJSON *root, struct sbuf *out)
{
	char *text = cJSON_Print(root);

	if (text) {
		sbuf_adds(out, text);
		sbuf_adds(out, "\n");
	} else {
		out->err = SV_ERR_NOMEM;
	}
	cJSON_free(text);
	cJSON_Delete(root);
}

void export_themes_json(const struct export_table *t, struct sbuf *out)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *rows = NULL, *prios = NULL;

	if (!root)
		goto fail;
	add_header(t, root);
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
	cJSON *part = cJSON_AddObjectToObject(root, "took_part");
	if (!part)
		goto fail;
	export_json_count(t, part, "responses", &t->took_part.responses);
	export_json_count(t, part, "focus_groups", &t->groups);
	export_json_count(t, part, "participants", &t->took_part.participants);
	export_json_count(t, part, "messages", &t->took_part.messages);
	export_json_count(t, part, "events", &t->events);
	export_json_count(t, part, "tokens", &t->took_part.tokens);
	export_json_count(t, part, "coded_answers", &t->took_part.coded);
	cJSON *surveys = cJSON_AddArrayToObject(part, "surveys");
	for (size_t k = 0; surveys && k < t->nsurveys; k++) {
		cJSON *sv = cJSON_CreateObject();
		if (!sv || !cJSON_AddItemToArray(surveys, sv))
			goto fail;
		cJSON_AddStringToObject(sv, "survey", t->surveys[k].id);
		export_json_count(t, sv, "responses", &t->surveys[k].responses);
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
	export_json_print(root, out);
	return;
fail:
	cJSON_Delete(root);
	out->err = SV_ERR_NOMEM;
}

static const char *const by_keys[2] = { "by_age_band", "by_district" };

static cJSON *breakdown_question(const struct export_table *t, struct export_breakdown *b, int i)
{
	const struct export_question *q = &b->qs->items[i];
	cJSON *jq = cJSON_CreateObject();
	cJSON *opts = jq ? cJSON_AddArrayToObject(jq, "options") : NULL;

	if (!opts)
		return jq;
	cJSON_AddStringToObject(jq, "id", q->id);
	cJSON_AddStringToObject(jq, "title", q->title);
	cJSON_AddStringToObject(jq, "type", q->type);
	export_json_count(t, jq, "answered", export_breakdown_answered(b, i));
	for (int by = 0; by < 2; by++)
		if (b->by[by].question == i)
			export_json_count(t, jq, "not_given", export_breakdown_group_size(b, by, b->by[by].ngroups - 1));
	for (int k = 0; k < q->noptions; k++) {
		cJSON *o = cJSON_CreateObject();
		if (!o || !cJSON_AddItemToArray(opts, o))
			break;
		cJSON_AddStringToObject(o, "id", q->options[k].id);
		cJSON_AddStringToObject(o, "label", q->options[k].label);
		export_json_count(t, o, "count", export_breakdown_option(b, i, k));
		for (int by = 0; by < 2; by++) {
			int gq = b->by[by].question;
			if (gq < 0 || gq == i)
				continue;
			cJSON *groups = cJSON_AddObjectToObject(o, by_keys[by]);
			const struct export_question *grouping = &b->qs->items[gq];
			for (int g = 0; groups && g < b->by[by].ngroups; g++)
				export_json_count(t, groups, g < grouping->noptions ? grouping->options[g].id : "not-given",
					  export_breakdown_group(b, i, k, by, g));
		}
	}
	return jq;
}

void export_breakdown_json(const struct export_table *t, struct export_breakdown *b,
			   struct sbuf *out)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *qs = root ? cJSON_AddArrayToObject(root, "questions") : NULL;

	if (!qs)
		goto fail;
	add_header(t, root);
	export_json_count(t, root, "responses", &t->took_part.responses);
	for (int i = 0; i < b->qs->n; i++) {
		if (!b->q[i].choice)
			continue;
		cJSON *jq = breakdown_question(t, b, i);
		if (!jq || !cJSON_AddItemToArray(qs, jq))
			goto fail;
	}
	export_json_print(root, out);
	return;
fail:
	cJSON_Delete(root);
	out->err = SV_ERR_NOMEM;
}
