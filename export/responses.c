/*
 * responses.c - the decrypted export of individual responses (see export.h).
 *
 * The only place in youthvoice where plain answers exist outside a
 * respondent's request: on the commissioning team's machine, for as long as
 * one batch of rows takes to write.  Rows are formatted on the worker
 * threads of opener.c and written here in the order they were stored.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../core/parse.h"
#include "export.h"

struct responses {
	const struct export_questions *qs;
	int as_json;
	FILE *out;
	long long rows;                 /* written so far */
};

/* A free-text or single answer as one cell: the option's label if it is one. */
static void answer_cell(struct sbuf *out, const struct export_question *q, const cJSON *v)
{
	if (!cJSON_IsString(v)) {
		export_csv_field(out, "");
		return;
	}
	const struct export_option *o = export_option_find(q, v->valuestring);
	export_csv_field(out, o ? o->label : v->valuestring);
}

static int chose(const cJSON *list, const char *id)
{
	for (const cJSON *x = cJSON_IsArray(list) ? list->child : NULL; x; x = x->next)
		if (cJSON_IsString(x) && strcmp(x->valuestring, id) == 0)
			return 1;
	return 0;
}

static void csv_row(const struct responses *r, struct sbuf *line, const struct store_sealed *s,
		    const cJSON *answers)
{
	sbuf_addf(line, "%lld,", s->id);
	export_csv_field(line, s->survey);
	sbuf_adds(line, ",");
	export_csv_field(line, s->day);
	for (int i = 0; i < r->qs->n; i++) {
		const struct export_question *q = &r->qs->items[i];
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(answers, q->id);
		if (q->multiple) {
			/* 1 chosen, 0 not; empty where the question was not answered. */
			for (int k = 0; k < q->noptions; k++)
				sbuf_adds(line, !v ? "," : chose(v, q->options[k].id) ? ",1" : ",0");
		} else {
			sbuf_adds(line, ",");
			answer_cell(line, q, v);
		}
		if (q->other) {
			char key[PARSE_MAX_ID + 16];
			snprintf(key, sizeof key, "%s.other", q->id);
			sbuf_adds(line, ",");
			answer_cell(line, q, cJSON_GetObjectItemCaseSensitive(answers, key));
		}
	}
	sbuf_adds(line, "\r\n");
}

static void json_row(struct sbuf *line, const struct store_sealed *s, const cJSON *answers)
{
	char *text = cJSON_PrintUnformatted(answers);

	if (!text) {
		line->err = SV_ERR_NOMEM;
		return;
	}
	/* Every row starts ",\n"; on_batch drops the very first comma. */
	sbuf_addf(line, ",\n{\"id\":%lld,\"survey\":\"", s->id);
	sbuf_add_json(line, s->survey, strlen(s->survey));
	sbuf_adds(line, "\",\"day\":\"");
	sbuf_add_json(line, s->day, strlen(s->day));
	sbuf_adds(line, "\",\"answers\":");
	sbuf_adds(line, text);
	sbuf_adds(line, "}");
	sodium_memzero(text, strlen(text));
	cJSON_free(text);
}

static void on_response(void *arg, struct export_opened *out, const struct store_sealed *s,
			const cJSON *answers)
{
	const struct responses *r = arg;

	if (r->as_json)
		json_row(&out->text, s, answers);
	else
		csv_row(r, &out->text, s, answers);
}

static enum sv_err on_batch(void *arg, const struct export_opened *out)
{
	struct responses *r = arg;
	const char *p = out->text.buf;
	size_t n = out->text.len;

	if (r->as_json && r->rows == 0 && n > 0 && p[0] == ',') {
		p++;
		n--;
	}
	if (n && fwrite(p, 1, n, r->out) != n)
		return SV_ERR_IO;
	r->rows += out->opened;
	return SV_OK;
}

/* The header line: fixed columns, then each question's (and option's). */
static enum sv_err csv_header(const struct export_questions *qs, int bom, FILE *out)
{
	struct sbuf head;
	enum sv_err rc;

	sbuf_init(&head, 4 * 1024 * 1024);
	if (bom)
		sbuf_adds(&head, "\xEF\xBB\xBF");
	sbuf_adds(&head, "response_id,survey,day");
	for (int i = 0; i < qs->n; i++) {
		const struct export_question *q = &qs->items[i];
		char name[PARSE_MAX_ID * 2 + 16];
		if (q->multiple) {
			for (int k = 0; k < q->noptions; k++) {
				snprintf(name, sizeof name, "%s:%s", q->id, q->options[k].id);
				sbuf_adds(&head, ",");
				export_csv_field(&head, name);
			}
		} else {
			sbuf_adds(&head, ",");
			export_csv_field(&head, q->id);
		}
		if (q->other) {
			snprintf(name, sizeof name, "%s.other", q->id);
			sbuf_adds(&head, ",");
			export_csv_field(&head, name);
		}
	}
	sbuf_adds(&head, "\r\n");
	rc = head.err;
	if (!rc && fwrite(head.buf, 1, head.len, out) != head.len)
		rc = SV_ERR_IO;
	sbuf_free(&head);
	return rc;
}

enum sv_err export_responses(struct store *st, const char *consultation,
			     const struct export_keys *keys, int as_json, int bom, FILE *out,
			     void (*progress)(void *arg, long long done), void *progress_arg,
			     struct export_result *result)
{
	struct export_questions *qs = NULL;
	struct responses r = { .as_json = as_json, .out = out };
	struct export_pass pass = { .on_response = on_response, .on_batch = on_batch, .arg = &r,
				    .progress = progress, .progress_arg = progress_arg };
	enum sv_err rc;

	memset(result, 0, sizeof *result);
	rc = export_questions_load(st, consultation, &qs);
	if (rc)
		return rc;
	r.qs = qs;
	if (as_json)
		rc = fputs("[", out) < 0 ? SV_ERR_IO : SV_OK;
	else
		rc = csv_header(qs, bom, out);
	if (!rc)
		rc = export_open_each(st, consultation, keys, &pass, result);
	if (!rc && as_json && fputs(r.rows ? "\n]\n" : "]\n", out) < 0)
		rc = SV_ERR_IO;
	if (!rc && ferror(out))
		rc = SV_ERR_IO;
	export_questions_free(qs);
	return rc;
}
