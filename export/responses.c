/*
 * responses.c - the decrypted export of individual responses (see export.h).
 *
 * The only place in youthvoice where plain answers exist outside a
 * respondent's request: on the commissioning team's machine, for as long as
 * one row takes to write.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../core/seal.h"
#include "export.h"

#define MAX_KEYS 64      /* keys one consultation's responses are sealed to */
#define MAX_FIELDS 512   /* answer columns across a consultation's surveys */

struct key_slot {
	char id[SEAL_KEY_ID_LEN + 1];
	struct seal_secret *secret;     /* NULL if it did not open */
	long long count;                /* responses sealed to it */
};

struct run {
	struct key_slot keys[MAX_KEYS];
	int nkeys;
	char *fields[MAX_FIELDS];       /* answer keys, in column order */
	int nfields;
	int as_json;
	FILE *out;
	struct sbuf line;               /* one row, wiped after writing */
	struct export_result *result;
	enum sv_err err;                /* first failure while writing */
};

static void collect_key(void *arg, const char *key_id, long long count)
{
	struct run *r = arg;

	if (r->nkeys >= MAX_KEYS) {
		r->err = SV_ERR_TOOBIG;
		return;
	}
	struct key_slot *k = &r->keys[r->nkeys++];
	snprintf(k->id, sizeof k->id, "%s", key_id);
	k->count = count;
}

static void collect_fields(void *arg, const char *id, const char *title, const char *fields_json)
{
	struct run *r = arg;
	cJSON *list = cJSON_Parse(fields_json);

	(void)id;
	(void)title;
	for (const cJSON *f = list ? list->child : NULL; f; f = f->next) {
		if (!cJSON_IsString(f))
			continue;
		int seen = 0;
		for (int i = 0; i < r->nfields && !seen; i++)
			seen = strcmp(r->fields[i], f->valuestring) == 0;
		if (seen)
			continue;
		if (r->nfields >= MAX_FIELDS) {
			r->err = SV_ERR_TOOBIG;
			break;
		}
		r->fields[r->nfields] = strdup(f->valuestring);
		if (!r->fields[r->nfields]) {
			r->err = SV_ERR_NOMEM;
			break;
		}
		r->nfields++;
	}
	cJSON_Delete(list);
}

static const struct seal_secret *key_for(const struct run *r, const char *id)
{
	for (int i = 0; i < r->nkeys; i++)
		if (strcmp(r->keys[i].id, id) == 0)
			return r->keys[i].secret;
	return NULL;
}

/* An answer as one CSV cell: text as is, several choices joined by "; ". */
static void answer_cell(struct sbuf *cell, const cJSON *v)
{
	if (cJSON_IsString(v)) {
		sbuf_adds(cell, v->valuestring);
	} else if (cJSON_IsArray(v)) {
		for (const cJSON *x = v->child; x; x = x->next)
			if (cJSON_IsString(x)) {
				sbuf_adds(cell, cell->len ? "; " : "");
				sbuf_adds(cell, x->valuestring);
			}
	}
}

static void write_csv_row(struct run *r, const struct store_sealed *s, const cJSON *answers)
{
	struct sbuf cell;

	sbuf_addf(&r->line, "%lld,", s->id);
	export_csv_field(&r->line, s->survey);
	sbuf_adds(&r->line, ",");
	export_csv_field(&r->line, s->day);
	sbuf_init(&cell, 64 * 1024);
	for (int i = 0; i < r->nfields; i++) {
		sbuf_reset(&cell);
		answer_cell(&cell, cJSON_GetObjectItemCaseSensitive(answers, r->fields[i]));
		sbuf_adds(&r->line, ",");
		export_csv_field(&r->line, cell.buf ? cell.buf : "");
	}
	if (cell.buf)
		sodium_memzero(cell.buf, cell.cap);
	sbuf_free(&cell);
	sbuf_adds(&r->line, "\r\n");
}

static void write_json_row(struct run *r, const struct store_sealed *s, cJSON *answers)
{
	cJSON *row = cJSON_CreateObject();
	char *text = NULL;

	if (row && cJSON_AddNumberToObject(row, "id", (double)s->id) &&
	    cJSON_AddStringToObject(row, "survey", s->survey) &&
	    cJSON_AddStringToObject(row, "day", s->day) &&
	    cJSON_AddItemReferenceToObject(row, "answers", answers))
		text = cJSON_PrintUnformatted(row);
	cJSON_Delete(row); /* the reference leaves answers itself alone */
	if (!text) {
		r->err = SV_ERR_NOMEM;
		return;
	}
	sbuf_adds(&r->line, r->result->written ? ",\n" : "\n");
	sbuf_adds(&r->line, text);
	sodium_memzero(text, strlen(text));
	cJSON_free(text);
}

static void write_response(void *arg, const struct store_sealed *s)
{
	struct run *r = arg;
	char *plain = NULL;
	size_t plen = 0;
	cJSON *doc = NULL;

	if (r->err)
		return;
	const struct seal_secret *key = key_for(r, s->key_id);
	if (!key) {
		r->result->locked++;
		return;
	}
	if (seal_open(key, s->sealed, s->sealed_len, &plain, &plen) != SV_OK ||
	    !(doc = cJSON_ParseWithLength(plain, plen)) ||
	    !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(doc, "answers"))) {
		/* Altered, or not ours: say which, skip it, carry on. */
		if (r->result->altered < EXPORT_MAX_REPORTED)
			r->result->altered_ids[r->result->altered] = s->id;
		r->result->altered++;
		goto out;
	}
	cJSON *answers = cJSON_GetObjectItemCaseSensitive(doc, "answers");
	sbuf_reset(&r->line);
	if (r->as_json)
		write_json_row(r, s, answers);
	else
		write_csv_row(r, s, answers);
	if (r->line.err) {
		r->err = r->line.err;
	} else if (fwrite(r->line.buf, 1, r->line.len, r->out) != r->line.len) {
		r->err = SV_ERR_IO;
	} else {
		r->result->written++;
	}
	if (r->line.buf)
		sodium_memzero(r->line.buf, r->line.len);
out:
	cJSON_Delete(doc);
	seal_plain_free(plain);
}

enum sv_err export_responses(struct store *st, const char *consultation, const char *keydir,
			     const char *passphrase, size_t passlen, int as_json, FILE *out,
			     struct export_result *result)
{
	struct run *r = calloc(1, sizeof *r);
	enum sv_err rc;

	memset(result, 0, sizeof *result);
	if (!r)
		return SV_ERR_NOMEM;
	r->as_json = as_json;
	r->out = out;
	r->result = result;
	sbuf_init(&r->line, 1024 * 1024);
	rc = store_key_ids(st, consultation, collect_key, r);
	if (!rc)
		rc = store_survey_each(st, consultation, collect_fields, r);
	if (!rc)
		rc = r->err;
	if (rc)
		goto out;

	/* Unlock every key needed before writing anything. */
	int opened = 0;
	for (int i = 0; i < r->nkeys; i++) {
		enum sv_err k = seal_secret_load(keydir, r->keys[i].id, passphrase, passlen,
						 &r->keys[i].secret);
		if (k == SV_OK)
			opened++;
		else if (k != SV_ERR_CRYPTO && k != SV_ERR_NOTFOUND) {
			rc = k;
			goto out;
		}
	}
	if (r->nkeys > 0 && opened == 0) {
		rc = SV_ERR_CRYPTO;
		goto out;
	}

	if (as_json) {
		fputs("[", out);
	} else {
		struct sbuf head;
		sbuf_init(&head, 1024 * 1024);
		sbuf_adds(&head, "response_id,survey,day");
		for (int i = 0; i < r->nfields; i++) {
			sbuf_adds(&head, ",");
			export_csv_field(&head, r->fields[i]);
		}
		sbuf_adds(&head, "\r\n");
		if (head.err || fwrite(head.buf, 1, head.len, out) != head.len)
			rc = head.err ? head.err : SV_ERR_IO;
		sbuf_free(&head);
		if (rc)
			goto out;
	}
	rc = store_response_each(st, consultation, write_response, r);
	if (!rc)
		rc = r->err;
	if (!rc && as_json)
		fputs(result->written ? "\n]\n" : "]\n", out);
	if (!rc && ferror(out))
		rc = SV_ERR_IO;
out:
	for (int i = 0; i < r->nkeys; i++)
		seal_secret_free(r->keys[i].secret);
	for (int i = 0; i < r->nfields; i++)
		free(r->fields[i]);
	sbuf_free(&r->line);
	free(r);
	return rc;
}
