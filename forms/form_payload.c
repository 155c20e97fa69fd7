/*
 * form_payload.c - what gets sealed: a response's payload, the size every
 * payload of a survey is padded to, and the survey's questions described for
 * the export (see form.h).
 *
 * The sealed payload formats, in one place
 * ========================================
 *
 * Every answer a person gives in words or choices is stored only sealed:
 * crypto_box_seal (X25519 + XSalsa20-Poly1305, core/seal.c) to the active
 * public key, whose id is stored beside the box (key_id).  The server can
 * seal but never open; survey-export opens with the secret key.
 *
 * Padding (core/seal.c seal_box_fixed).  Before sealing, the UTF-8 JSON
 * text below gets ISO/IEC 7816-4 padding: one 0x80 byte, then zero bytes up
 * to a fixed size that is a whole number of SEAL_PAD_BLOCK (1024) bytes.
 * The size is fixed per kind, so a box's length says nothing about what was
 * written:
 *   a response   form_survey.seal_size (form_sealed_size below): more than
 *                the longest payload that survey's answers can make;
 *   quote, note  FOCUS_SEAL_SIZE = 4 * 1024 (survey-server/focus.c, whose
 *                _Static_assert proves the longest one fits).
 * A payload that does not fit is refused (SV_ERR_TOOBIG), never cut.
 * Opening (seal_open) takes the last non-zero byte, which must be 0x80, as
 * the end of the text.  Box length = padded size + crypto_box_SEALBYTES (48).
 *
 * Every payload is one JSON object with "v": 1 first, the version of its
 * format, so that a later format can be told apart (readers today know only
 * 1 and read it without checking).  Strings are written by
 * sbuf_add_json_plain: '"', '\\', tab and newline escaped, every other
 * byte as typed (core/parse refused other controls), so a character takes
 * at most SBUF_JSON_PLAIN_MAX bytes.  Free text is scrubbed of contact
 * details (core/scrub) before it is written, and its buffers wiped.
 *
 * 1. A survey response (form_answers_payload below; table responses,
 *    column sealed; written by core/store_commit.c, read by
 *    export/opener.c):
 *
 *      {"v":1,"survey":"SURVEY-ID","version":N,"answers":{
 *         "QUESTION-ID": "OPTION-ID"               single, rating, yes_no,
 *                                                  age_band, district
 *         "QUESTION-ID": ["OPTION-ID", ...]        multiple, in option order
 *         "QUESTION-ID": "scrubbed text"           text
 *         "QUESTION-ID.other": "scrubbed text"     the "something else" box
 *         "QUESTION-ID": "OPTION-ID"               ballot: the first choice
 *         "QUESTION-ID.2": "OPTION-ID"             ballot: second choice
 *         "QUESTION-ID.3": "OPTION-ID"             ballot: third choice
 *      }}
 *
 *    "version" is the survey's version the answers were given under
 *    (survey_versions in the database); it is left out for version 1, so
 *    every response stored before versions existed reads as version 1.
 *    Only answered questions appear, in question order.  A question hidden
 *    by its show_if is never answered.  The option ids are those of the
 *    survey's definition; the export reads them against the question list
 *    stored in the surveys table (form_survey_fields), so it needs no forms
 *    folder.  The day, survey and consultation are plain columns beside the
 *    box (never the time: a day is all a count needs).
 *
 * 2. A focus-group quote or facilitator note (survey-server/focus.c; table
 *    focus_sealed, columns kind and sealed, written by core/store_focus.c
 *    store_focus_seal_add, read by export/report.c for quotes):
 *
 *      {"v":1,"group":GROUP-ROWID,"kind":"quote"|"note","text":"scrubbed text"}
 *
 *    GROUP-ROWID is focus_groups.id as a JSON number; the text is at most
 *    1000 characters, and the facilitator has confirmed it holds no names
 *    (the scrubber does not find names in prose).
 *
 * The kiosk's transport box (survey-server/kiosk.c) is not stored: the
 * server opens it with the kiosk's own key, reads the answers as a form
 * body and seals format 1 like any response.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/scrub.h"
#include "../core/seal.h"
#include "form.h"
#include "form_int.h"

/* Longest option id of q. */
static size_t longest_option(const struct form_question *q)
{
	size_t n = 0;

	for (int k = 0; k < q->noptions; k++)
		if (strlen(q->options[k].id) > n)
			n = strlen(q->options[k].id);
	return n;
}

/*
 * The size every payload of this survey is padded to: the longest payload
 * form_answers_payload can write for answers that passed form_answers_read,
 * counted piece by piece as it writes them, rounded up to whole blocks with
 * room for the padding's 0x80.  A free-text character is at most
 * SBUF_JSON_PLAIN_MAX bytes however it is typed (an emoji is 4 bytes of
 * UTF-8; '"', '\\', tab and newline are escaped to 2; core/parse refuses
 * every other control); every option of a multiple choice counts, whatever
 * max_choices says.  Only the scrubber's markers can make a text longer than
 * that (a 2-character "@a" becomes 27 bytes), which is why survey-server
 * seals with seal_box_fixed and refuses a payload that does not fit.
 */
size_t form_sealed_size(const struct form_survey *s)
{
	size_t n = strlen("{\"v\":1,\"survey\":\"") + strlen(s->id) + strlen("\",\"answers\":{}}") +
		   strlen(",\"version\":2147483647");

	for (int i = 0; i < s->nquestions; i++) {
		const struct form_question *q = &s->questions[i];
		n += strlen(",\"\":") + strlen(q->id);
		if (q->type == FORM_TEXT) {
			n += 2 + SBUF_JSON_PLAIN_MAX * (size_t)q->max_length;
		} else if (q->type == FORM_MULTIPLE) {
			n += 2; /* [] */
			for (int k = 0; k < q->noptions; k++)
				n += strlen(",\"\"") + strlen(q->options[k].id);
		} else {
			n += 2 + longest_option(q);
		}
		if (q->type == FORM_BALLOT) /* ,"ID.2":"OPTION" for each later rank */
			n += (size_t)(q->rank - 1) * (strlen(",\".2\":\"\"") + strlen(q->id) +
						      longest_option(q));
		if (q->other)
			n += strlen(",\".other\":\"\"") + strlen(q->id) +
			     SBUF_JSON_PLAIN_MAX * (size_t)FORM_MAX_OTHER;
	}
	return (n / SEAL_PAD_BLOCK + 1) * SEAL_PAD_BLOCK;
}

/* A JSON string; '<' stays itself (the payload is sealed, never put in a
 * page), so a character takes at most SBUF_JSON_PLAIN_MAX bytes. */
static void payload_string(struct sbuf *out, const char *s)
{
	sbuf_adds(out, "\"");
	sbuf_add_json_plain(out, s, strlen(s));
	sbuf_adds(out, "\"");
}

/* Free text: scrubbed of contact details, then written as a JSON string. */
static void payload_text(struct sbuf *out, const char *s)
{
	struct sbuf clean;

	sbuf_init(&clean, out->max);
	enum sv_err rc = scrub_text(s, strlen(s), &clean, NULL);
	if (rc) {
		if (!out->err)
			out->err = rc; /* never store text that was not scrubbed */
	} else {
		payload_string(out, clean.buf ? clean.buf : "");
	}
	if (clean.buf)
		sodium_memzero(clean.buf, clean.cap);
	sbuf_free(&clean);
}

void form_answers_payload(const struct form_survey *s, const struct form_answers *a,
			  struct sbuf *out)
{
	sbuf_adds(out, "{\"v\":1,\"survey\":\"");
	sbuf_adds(out, s->id);
	sbuf_adds(out, "\"");
	if (s->version > 1)
		sbuf_addf(out, ",\"version\":%d", s->version);
	sbuf_adds(out, ",\"answers\":{");
	const char *sep = "";
	for (int i = 0; i < s->nquestions; i++) {
		const struct form_question *q = &s->questions[i];
		const struct form_answer *ans = &a->items[i];
		if (q->type == FORM_MULTIPLE ? !ans->chosen : !ans->value)
			continue;
		sbuf_addf(out, "%s\"%s\":", sep, q->id);
		sep = ",";
		if (q->type == FORM_TEXT) {
			payload_text(out, ans->value);
		} else if (q->type != FORM_MULTIPLE) {
			payload_string(out, ans->value);
		} else {
			const char *osep = "";
			sbuf_adds(out, "[");
			for (int k = 0; k < q->noptions; k++)
				if ((ans->chosen >> k) & 1u) {
					sbuf_addf(out, "%s\"%s\"", osep, q->options[k].id);
					osep = ",";
				}
			sbuf_adds(out, "]");
		}
		for (int r = 0; q->type == FORM_BALLOT && r < q->rank - 1 && ans->ranked[r]; r++) {
			sbuf_addf(out, ",\"%s.%d\":", q->id, r + 2);
			payload_string(out, ans->ranked[r]);
		}
		if (ans->other_text) {
			sbuf_addf(out, ",\"%s.other\":", q->id);
			payload_text(out, ans->other_text);
		}
	}
	sbuf_adds(out, "}}");
}

/* One question as form_survey_fields describes it; rank 2 or 3 describes a
 * ballot's later choice as a question of its own ("ID.2"), with the same
 * issues, so that the export reads it as one more column. */
static int field_item(cJSON *list, const struct form_question *q, int rank)
{
	cJSON *item = cJSON_CreateObject();
	cJSON *options = NULL;

	if (!item || !cJSON_AddItemToArray(list, item))
		return -1;
	if (rank > 1) {
		char id[PARSE_MAX_ID + 8], title[FORM_MAX_LABEL + 32];
		snprintf(id, sizeof id, "%s.%d", q->id, rank);
		snprintf(title, sizeof title, "%s (choice %d)", q->title, rank);
		cJSON_AddStringToObject(item, "id", id);
		cJSON_AddStringToObject(item, "type", form_qtype_names[q->type]);
		cJSON_AddStringToObject(item, "title", title);
		cJSON_AddNumberToObject(item, "choice", rank);
	} else {
		cJSON_AddStringToObject(item, "id", q->id);
		cJSON_AddStringToObject(item, "type", form_qtype_names[q->type]);
		cJSON_AddStringToObject(item, "title", q->title);
	}
	if (q->type == FORM_BALLOT)
		cJSON_AddNumberToObject(item, "rank", q->rank);
	if (q->other)
		cJSON_AddTrueToObject(item, "other");
	/* Every respondent answers it: its count is the survey's size, as
	 * the export's disclosure audit must know. */
	if (q->required && q->show_if_option < 0 && rank == 1)
		cJSON_AddTrueToObject(item, "answered_by_all");
	if (q->noptions && !(options = cJSON_AddArrayToObject(item, "options")))
		return -1;
	for (int k = 0; k < q->noptions; k++) {
		const struct form_option *o = &q->options[k];
		cJSON *opt = cJSON_CreateObject();
		if (!opt || !cJSON_AddItemToArray(options, opt))
			return -1;
		cJSON_AddStringToObject(opt, "id", o->id);
		cJSON_AddStringToObject(opt, "label", o->label);
		cJSON *themes = cJSON_AddArrayToObject(opt, "themes");
		for (int t = 0; themes && t < o->nthemes; t++)
			cJSON_AddItemToArray(themes, cJSON_CreateString(o->themes[t]));
	}
	return 0;
}

void form_survey_fields(const struct form_survey *s, struct sbuf *out)
{
	cJSON *list = cJSON_CreateArray();
	char *text = NULL;

	for (int i = 0; list && i < s->nquestions; i++) {
		const struct form_question *q = &s->questions[i];
		int ranks = q->type == FORM_BALLOT ? q->rank : 1;
		for (int r = 1; r <= ranks; r++)
			if (field_item(list, q, r))
				goto fail;
	}
	text = list ? cJSON_PrintUnformatted(list) : NULL;
	if (!text)
		goto fail;
	sbuf_adds(out, text);
	cJSON_free(text);
	cJSON_Delete(list);
	return;
fail:
	cJSON_Delete(list);
	if (!out->err)
		out->err = SV_ERR_NOMEM;
}
