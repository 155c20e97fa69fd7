/*
 * builder_edit.c - a survey's questions as forms, without JSON: adding
 * one (on a page, or on a new page), and changing one that is there: its
 * words, options, themes, condition and page, its place (up and down,
 * across pages), hiding and showing it and each of its options.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <civetweb.h>
#include <cjson/cJSON.h>

#include "builder_int.h"

int builder_question_page(struct req_ctx *rc, const struct staff_session *sess, const char *id,
			 int status, const struct form_body *posted, const struct staff_errors *e)
{
	struct store_survey_version v;
	int sent = 0;
	struct form_survey *s = builder_newest(rc, sess, id, &v, &sent);

	if (!s)
		return sent;
	/* "Add a page" on the editor: the form with a new page chosen. */
	struct form_body fresh = { 0 };
	char page[8];
	const char *why;
	if (!posted && builder_query_var(rc, "page", page, sizeof page) && strcmp(page, "new") == 0 &&
	    form_body_parse("page=new", 8, &fresh, &why) == SV_OK)
		posted = &fresh;
	staff_page_start(&rc->page, sess, posted == &fresh ? "Add a page" : "Add a question", e);
	render_builder_question(&rc->page, s, v.version, s->consultation->taxonomy, sess->csrf,
				posted, e);
	render_staff_page_end(&rc->page);
	form_body_free(&fresh);
	form_survey_free(s);
	free(v.definition);
	return http_send_page(rc, status);
}

/* An option id from its label: "A youth club!" is "a-youth-club". */
static void option_id(const char *label, size_t n, int index, char out[PARSE_MAX_ID + 1])
{
	size_t len = 0;

	for (size_t i = 0; i < n && len < PARSE_MAX_ID - 4; i++) {
		char c = label[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[len++] = c;
		else if (len && out[len - 1] != '-')
			out[len++] = '-';
	}
	while (len && out[len - 1] == '-')
		len--;
	out[len] = '\0';
	if (!len || strcmp(out, FORM_PREFER_NOT) == 0 || strcmp(out, FORM_OTHER) == 0)
		snprintf(out, PARSE_MAX_ID + 1, "option-%d", index + 1);
}

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t' || **s == '\r')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\r'))
		(*n)--;
}

/* "theme, theme" (n bytes) as a list of theme ids; NULL for none. */
static cJSON *themes_from(const char *text, size_t n)
{
	cJSON *themes = cJSON_CreateArray();

	for (const char *th = text; themes && th && th < text + n;) {
		const char *comma = memchr(th, ',', (size_t)(text + n - th));
		size_t tn = (size_t)((comma ? comma : text + n) - th);
		const char *name = th;
		trim(&name, &tn);
		char tid[PARSE_MAX_ID + 2];
		snprintf(tid, sizeof tid, "%.*s", (int)(tn > PARSE_MAX_ID + 1 ? PARSE_MAX_ID + 1 : tn), name);
		if (tn)
			cJSON_AddItemToArray(themes, cJSON_CreateString(tid));
		th = comma ? comma + 1 : NULL;
	}
	if (themes && !themes->child) {
		cJSON_Delete(themes);
		return NULL;
	}
	return themes;
}

/* Adds an option to list: its label (ln bytes), an id made from it, unique
 * in list (k: its place, for a label without letters), and its themes. */
static cJSON *new_option(cJSON *list, const char *label, size_t ln, int k, const char *themes,
			 size_t tn)
{
	char oid[PARSE_MAX_ID + 16], lab[FORM_MAX_LABEL + 1];
	cJSON *o = cJSON_CreateObject();

	if (!o || !cJSON_AddItemToArray(list, o)) {
		cJSON_Delete(o);
		return NULL;
	}
	option_id(label, ln, k, oid);
	for (const cJSON *other = list->child; other != o; other = other->next)
		if (strcmp(builder_str(other, "id"), oid) == 0)
			snprintf(oid + strlen(oid), sizeof oid - strlen(oid), "-%d",
				 (k + 1) % 1000); /* two alike */
	snprintf(lab, sizeof lab, "%.*s", (int)(ln > FORM_MAX_LABEL ? FORM_MAX_LABEL : ln), label);
	cJSON_AddStringToObject(o, "id", oid);
	cJSON_AddStringToObject(o, "label", lab);
	cJSON *th = themes ? themes_from(themes, tn) : NULL;
	if (th)
		cJSON_AddItemToObject(o, "themes", th);
	return o;
}

/* "Label | theme, theme" lines as the definition's options; NULL if none. */
static cJSON *options_from_lines(const char *text)
{
	cJSON *list = cJSON_CreateArray();
	int k = 0;

	for (const char *line = text; list && line && *line; k++) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) : strlen(line);
		const char *bar = memchr(line, '|', n);
		const char *label = line;
		size_t ln = bar ? (size_t)(bar - line) : n;
		trim(&label, &ln);
		if (ln && !new_option(list, label, ln, k, bar ? bar + 1 : NULL,
				      bar ? (size_t)(line + n - bar - 1) : 0)) {
			cJSON_Delete(list);
			return NULL;
		}
		line = end ? end + 1 : NULL;
	}
	if (list && !list->child) {
		cJSON_Delete(list);
		return NULL;
	}
	return list;
}

/* The question the form describes, as the definition writes one. */
static cJSON *question_from_form(const struct form_body *body)
{
	const char *hint = form_body_get(body, "hint");
	const char *options = form_body_get(body, "options");
	const char *cond = form_body_get(body, "show_if");
	cJSON *q = cJSON_CreateObject();

	if (!q)
		return NULL;
	cJSON_AddStringToObject(q, "id", staff_posted_or(body, "id", ""));
	cJSON_AddStringToObject(q, "type", staff_posted_or(body, "type", ""));
	cJSON_AddStringToObject(q, "title", staff_posted_or(body, "title", ""));
	if (hint && *hint)
		cJSON_AddStringToObject(q, "hint", hint);
	if (!staff_posted_has(body, "required", "yes"))
		cJSON_AddFalseToObject(q, "required");
	cJSON *list = options ? options_from_lines(options) : NULL;
	if (list)
		cJSON_AddItemToObject(q, "options", list);
	const char *eq = cond ? strchr(cond, '=') : NULL;
	if (eq) {
		char qid[PARSE_MAX_ID + 1];
		snprintf(qid, sizeof qid, "%.*s", (int)((size_t)(eq - cond) > PARSE_MAX_ID ? PARSE_MAX_ID :
							 (size_t)(eq - cond)), cond);
		cJSON *c = cJSON_AddObjectToObject(q, "show_if");
		cJSON_AddStringToObject(c, "question", qid);
		cJSON_AddStringToObject(c, "answer", eq + 1);
	}
	return q;
}

/* Puts q at the end of page (1-based; 0 for a new page at the end). */
static int add_to_page(cJSON *doc, cJSON *q, long long page)
{
	cJSON *single = cJSON_GetObjectItemCaseSensitive(doc, "questions");
	cJSON *pages = cJSON_GetObjectItemCaseSensitive(doc, "pages");

	if (single && (page == 1 || page == -1))
		return cJSON_AddItemToArray(single, q) ? 0 : -1;
	if (single) {
		/* One page becomes two: "questions" moves into "pages". */
		cJSON_DetachItemViaPointer(doc, single);
		pages = cJSON_AddArrayToObject(doc, "pages");
		cJSON *first = cJSON_CreateObject();
		if (!pages || !first || !cJSON_AddItemToArray(pages, first)) {
			cJSON_Delete(single);
			cJSON_Delete(first);
			return -1;
		}
		cJSON_AddItemToObject(first, "questions", single);
	}
	if (!cJSON_IsArray(pages))
		return -1;
	cJSON *target = page > 0 ? cJSON_GetArrayItem(pages, (int)page - 1) : NULL;
	if (!target) {
		target = cJSON_CreateObject();
		if (!target || !cJSON_AddItemToArray(pages, target) || !cJSON_AddArrayToObject(target, "questions"))
			return -1;
	}
	return cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(target, "questions"), q) ? 0 : -1;
}

/* The field a message about the new question is about. */
static const char *question_field(const char *err)
{
	if (strstr(err, ".type:"))
		return "q-type-single";
	if (strstr(err, ".title:"))
		return "q-title";
	if (strstr(err, ".show_if"))
		return "q-show-if";
	if (strstr(err, ".options") || strstr(err, "option"))
		return "q-options";
	return "q-id";
}

int builder_add_question(struct req_ctx *rc, const struct staff_session *sess, const char *id)
{
	struct form_body body;
	struct store_survey_version v = { 0 };
	struct staff_errors errors = { 0 };
	char err[BUILDER_ERR] = "";
	long long page = 0;
	char *text = NULL;
	cJSON *doc = NULL;
	int status = builder_read_change(rc, sess, id, &body, &v);

	if (status)
		return status;
	const char *pg = staff_posted_or(&body, "page", "new");
	if (strcmp(pg, "new") != 0 && parse_int(pg, strlen(pg), 1, FORM_MAX_PAGES, &page))
		page = 0;
	const char *qid = form_body_get(&body, "id");
	const char *title = form_body_get(&body, "title");
	if (!title || !*title)
		staff_errors_add(&errors, "q-title", "Write the question");
	if (!qid || !id_valid(qid, strlen(qid)))
		staff_errors_add(&errors, "q-id", "Give a short name of lower-case letters, digits and "
				 "dashes (up to 48)");
	if (!errors.n) {
		doc = cJSON_Parse(v.definition);
		cJSON *q = question_from_form(&body);
		if (!doc || !q || add_to_page(doc, q, page)) {
			cJSON_Delete(q); /* not attached: add_to_page refused it */
			status = http_send_problem(rc, 503, "The question could not be added just now.");
			goto out;
		}
		text = cJSON_Print(doc);
		if (!builder_save_checked(rc, sess, id, text, NULL, err, &status))
			staff_errors_add(&errors, question_field(err), err);
	}
	if (errors.n)
		status = builder_question_page(rc, sess, id, 422, &body, &errors);
out:
	free(v.definition);
	cJSON_Delete(doc);
	cJSON_free(text);
	form_body_free(&body);
	return status;
}


/* ---- changing a question that is there ---- */

/*
 * Where a question sits in a definition: page p's "questions" array (the
 * survey's own "questions" for a survey of one page).  Moves and edits work
 * on the JSON, so that everything the forms do not show (emoji, errors,
 * lengths, translations) is kept as it was written.
 */
struct spot {
	cJSON *q;       /* the question */
	cJSON *list;    /* the array it is in */
	int page;       /* 0-based */
	int npages;
	int index;      /* in list */
};

static cJSON *page_list(cJSON *doc, int p)
{
	cJSON *single = cJSON_GetObjectItemCaseSensitive(doc, "questions");

	if (single)
		return p == 0 ? single : NULL;
	cJSON *page = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "pages"), p);
	return page ? cJSON_GetObjectItemCaseSensitive(page, "questions") : NULL;
}

static int find_question(cJSON *doc, const char *qid, struct spot *at)
{
	cJSON *pages = cJSON_GetObjectItemCaseSensitive(doc, "pages");

	memset(at, 0, sizeof *at);
	at->npages = cJSON_GetObjectItemCaseSensitive(doc, "questions") ? 1 : cJSON_GetArraySize(pages);
	for (int p = 0; p < at->npages; p++) {
		cJSON *list = page_list(doc, p), *q;
		int i = 0;
		cJSON_ArrayForEach(q, list) {
			if (strcmp(builder_str(q, "id"), qid) == 0) {
				*at = (struct spot){ q, list, p, at->npages, i };
				return 1;
			}
			i++;
		}
	}
	return 0;
}

/* Pages left without a question go (the format has no empty page). */
static void drop_empty_pages(cJSON *doc)
{
	cJSON *pages = cJSON_GetObjectItemCaseSensitive(doc, "pages");

	for (int p = cJSON_GetArraySize(pages) - 1; p >= 0; p--)
		if (cJSON_GetArraySize(page_list(doc, p)) == 0)
			cJSON_DeleteItemFromArray(pages, p);
}

/*
 * One step up or down: within its page, or from the top of a page to the
 * end of the page before, or from the bottom to the start of the next.
 * 0 when it moved, 1 when there is nowhere to go.
 */
static int move_question(cJSON *doc, const struct spot *at, int down)
{
	int n = cJSON_GetArraySize(at->list);
	cJSON *to = NULL;

	if (!down && at->index > 0) {
		cJSON_DetachItemViaPointer(at->list, at->q);
		return cJSON_InsertItemInArray(at->list, at->index - 1, at->q) ? 0 : -1;
	}
	if (down && at->index < n - 1) {
		cJSON_DetachItemViaPointer(at->list, at->q);
		return cJSON_InsertItemInArray(at->list, at->index + 1, at->q) ? 0 : -1;
	}
	to = page_list(doc, down ? at->page + 1 : at->page - 1);
	if (!to || at->page + (down ? 1 : -1) < 0)
		return 1;
	cJSON_DetachItemViaPointer(at->list, at->q);
	if (!(down ? cJSON_InsertItemInArray(to, 0, at->q) : cJSON_AddItemToArray(to, at->q)))
		return -1;
	drop_empty_pages(doc);
	return 0;
}

/* Sets obj's key to a string in its place, or takes it away ("", when
 * optional): old words' translations follow (builder_retext). */
static int set_text(cJSON *doc, cJSON *obj, const char *key, const char *value, int optional)
{
	char *old = strdup(builder_str(obj, key));
	int rc = old ? 0 : -1;
	cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (rc)
		return rc;
	if (!*value && optional)
		cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
	else if (item)
		rc = cJSON_ReplaceItemInObjectCaseSensitive(obj, key, cJSON_CreateString(value)) ? 0 : -1;
	else
		rc = cJSON_AddStringToObject(obj, key, value) ? 0 : -1;
	if (!rc)
		rc = builder_retext(doc, old, value);
	free(old);
	return rc;
}

/* Sets or takes away "hidden": true (false is the default, so not written). */
static int set_hidden(cJSON *obj, int hidden)
{
	cJSON_DeleteItemFromObjectCaseSensitive(obj, "hidden");
	return !hidden || cJSON_AddTrueToObject(obj, "hidden") ? 0 : -1;
}

static cJSON *find_option(cJSON *q, const char *oid)
{
	cJSON *o;

	cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(q, "options"))
		if (strcmp(builder_str(o, "id"), oid) == 0)
			return o;
	return NULL;
}

/* The edit form's fields into question q (at): words, whether it must be
 * answered, its options' words and themes, its condition, its page. */
static int apply_edit(cJSON *doc, const struct spot *at, const struct form_body *body)
{
	cJSON *q = at->q, *o;
	const char *page = staff_posted_or(body, "page", "");
	const char *cond = staff_posted_or(body, "show_if", "");
	const char *eq = strchr(cond, '=');
	int k = 0;
	long long to = 0;

	if (set_text(doc, q, "title", staff_posted_or(body, "title", ""), 0) ||
	    set_text(doc, q, "hint", staff_posted_or(body, "hint", ""), 1))
		return -1;
	int required = staff_posted_has(body, "required", "yes");
	cJSON_DeleteItemFromObjectCaseSensitive(q, "required");
	if (!required && !cJSON_AddFalseToObject(q, "required"))
		return -1;
	cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(q, "options")) {
		char field[32];
		snprintf(field, sizeof field, "o-%d-label", k);
		const char *label = form_body_get(body, field);
		snprintf(field, sizeof field, "o-%d-themes", k);
		const char *themes = form_body_get(body, field);
		k++;
		if (label && set_text(doc, o, "label", label, 0))
			return -1;
		if (!themes)
			continue;
		cJSON_DeleteItemFromObjectCaseSensitive(o, "themes");
		cJSON *list = themes_from(themes, strlen(themes));
		if (list)
			cJSON_AddItemToObject(o, "themes", list);
	}
	cJSON_DeleteItemFromObjectCaseSensitive(q, "show_if");
	if (eq) {
		char qid[PARSE_MAX_ID + 1];
		size_t qn = (size_t)(eq - cond);
		snprintf(qid, sizeof qid, "%.*s", (int)(qn > PARSE_MAX_ID ? PARSE_MAX_ID : qn), cond);
		cJSON *c = cJSON_AddObjectToObject(q, "show_if");
		if (!c || !cJSON_AddStringToObject(c, "question", qid) ||
		    !cJSON_AddStringToObject(c, "answer", eq + 1))
			return -1;
	}
	if (strcmp(page, "new") == 0)
		to = 0;
	else if (parse_int(page, strlen(page), 1, FORM_MAX_PAGES, &to) || to == at->page + 1)
		return 0; /* stays on its page */
	cJSON_DetachItemViaPointer(at->list, q);
	if (add_to_page(doc, q, to)) {
		cJSON_Delete(q);
		return -1;
	}
	drop_empty_pages(doc);
	return 0;
}

/* The field of the edit form a checking message is about. */
static const char *edit_field(const char *err, char out[32])
{
	const char *opt = strstr(err, ".options[");
	int k = opt ? atoi(opt + 9) : -1;

	if (opt && k >= 0 && k < FORM_MAX_OPTIONS) {
		const char *close = strchr(opt, ']');
		snprintf(out, 32, "e-o-%d-%s", k, close && strncmp(close, "].themes", 8) == 0 ?
			 "themes" : "label");
		return out;
	}
	if (strstr(err, ".show_if"))
		return "e-show-if";
	if (strstr(err, ".hint:"))
		return "e-hint";
	return "e-title";
}

static int question_index(const struct form_survey *s, const char *qid)
{
	for (int i = 0; i < s->nquestions; i++)
		if (strcmp(s->questions[i].id, qid) == 0)
			return i;
	return -1;
}

/* GET /staff/surveys/ID/questions/QID: the question's edit form. */
static int edit_question_page(struct req_ctx *rc, const struct staff_session *sess, const char *id,
			      const char *qid, int status, const struct form_body *posted,
			      const struct staff_errors *e)
{
	struct store_survey_version v;
	struct spot at;
	char saved[16];
	int sent = 0;
	struct form_survey *s = builder_newest(rc, sess, id, &v, &sent);

	if (!s)
		return sent;
	int i = question_index(s, qid);
	cJSON *doc = cJSON_Parse(v.definition);
	if (i < 0 || !doc || !find_question(doc, qid, &at)) {
		sent = staff_refuse(rc, sess, 404, "There is no such question", "It may have been "
				    "renamed in the survey's JSON. Look at the survey's page again.",
				    "/staff/surveys", "All surveys");
		goto out;
	}
	struct render_builder_qedit q = {
		.s = s, .version = v.version, .index = i, .tax = s->consultation->taxonomy,
		.own_options = cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(at.q, "options")),
		.saved = builder_query_var(rc, "saved", saved, sizeof saved),
	};
	staff_page_start(&rc->page, sess, "Edit a question", e);
	render_builder_question_edit(&rc->page, &q, sess->csrf, posted, e);
	render_staff_page_end(&rc->page);
	sent = http_send_page(rc, status);
out:
	cJSON_Delete(doc);
	form_survey_free(s);
	free(v.definition);
	return sent;
}

enum change { CH_EDIT, CH_MOVE, CH_HIDE, CH_SHOW, CH_OPT_ADD, CH_OPT_HIDE, CH_OPT_SHOW };

/*
 * Every POST about one question: read (CSRF, the version it was made
 * from), changed in the JSON, checked and saved like any other draft
 * (builder_save_checked: form_survey_parse and the versions rule).  After
 * it, 303 back to where the change was asked, at the question or option
 * (#q-QID, #o-OID), which is focusable, so keyboard and screen reader land
 * on what moved.  A refused change shows that page again with the parser's
 * message in the error summary.
 */
static int change_question(struct req_ctx *rc, const struct staff_session *sess, const char *id,
			   const char *qid, enum change what, const char *oid)
{
	struct form_body body;
	struct store_survey_version v = { 0 };
	struct staff_errors errors = { 0 };
	struct spot at;
	char err[BUILDER_ERR] = "", where[3 * PARSE_MAX_ID + 64], field[PARSE_MAX_ID + 8];
	char *text = NULL;
	cJSON *doc = NULL, *o = NULL;
	int on_editor = what == CH_MOVE || what == CH_HIDE || what == CH_SHOW, rc_ = 0;
	int status = builder_read_change(rc, sess, id, &body, &v);

	if (status)
		return status;
	doc = cJSON_Parse(v.definition);
	if (!doc || !find_question(doc, qid, &at) ||
	    ((what == CH_OPT_HIDE || what == CH_OPT_SHOW) && !(o = find_option(at.q, oid)))) {
		status = doc ? http_send_problem(rc, 404, "There is no such question or option.") :
			http_send_problem(rc, 503, "The survey could not be read just now.");
		goto out;
	}
	if (on_editor)
		snprintf(where, sizeof where, "/staff/surveys/%s?saved=draft#q-%s", id, qid);
	else if (what == CH_EDIT)
		snprintf(where, sizeof where, "/staff/surveys/%s?saved=draft#q-%s", id, qid);
	else
		snprintf(where, sizeof where, "/staff/surveys/%s/questions/%s?saved=draft#o-%s", id, qid,
			 o ? oid : "new");
	snprintf(field, sizeof field, "q-%s", qid);
	switch (what) {
	case CH_EDIT:
		if (!*staff_posted_or(&body, "title", ""))
			staff_errors_add(&errors, "e-title", "Write the question");
		else
			rc_ = apply_edit(doc, &at, &body);
		break;
	case CH_MOVE: {
		const char *dir = staff_posted_or(&body, "direction", "");
		rc_ = move_question(doc, &at, strcmp(dir, "down") == 0);
		if (rc_ == 1)
			staff_errors_add(&errors, field, strcmp(dir, "down") == 0 ?
					 "It is the last question: it cannot move down" :
					 "It is the first question: it cannot move up");
		break;
	}
	case CH_HIDE:
	case CH_SHOW:
		rc_ = set_hidden(at.q, what == CH_HIDE);
		break;
	case CH_OPT_HIDE:
	case CH_OPT_SHOW:
		rc_ = set_hidden(o, what == CH_OPT_HIDE);
		break;
	case CH_OPT_ADD: {
		const char *label = staff_posted_or(&body, "label", "");
		const char *themes = staff_posted_or(&body, "themes", "");
		cJSON *list = cJSON_GetObjectItemCaseSensitive(at.q, "options");
		if (!*label) {
			staff_errors_add(&errors, "e-new-label", "Write the option's words");
			break;
		}
		if (!list)
			list = cJSON_AddArrayToObject(at.q, "options");
		o = list ? new_option(list, label, strlen(label), cJSON_GetArraySize(list), themes,
				      strlen(themes)) : NULL;
		rc_ = o ? 0 : -1;
		if (o)
			snprintf(where, sizeof where, "/staff/surveys/%s/questions/%s?saved=draft#o-%s", id,
				 qid, builder_str(o, "id"));
		break;
	}
	}
	if (rc_ < 0) {
		status = http_send_problem(rc, 503, "The survey could not be changed just now.");
		goto out;
	}
	if (!errors.n) {
		text = cJSON_Print(doc);
		if (builder_save_checked(rc, sess, id, text, where, err, &status))
			goto out;
		if (on_editor)
			staff_errors_add(&errors, field, err);
		else if (what == CH_EDIT)
			staff_errors_add(&errors, edit_field(err, field), err);
		else
			staff_errors_add(&errors, what == CH_OPT_ADD ? "e-new-label" : "e-title", err);
	}
	status = on_editor ? builder_edit_page(rc, sess, id, 422, NULL, &errors) :
		edit_question_page(rc, sess, id, qid, 422, &body, &errors);
out:
	free(v.definition);
	cJSON_Delete(doc);
	cJSON_free(text);
	form_body_free(&body);
	return status;
}

/*
 * /staff/surveys/ID/questions/QID...: rest is what follows "/questions".
 *
 *   GET  /QID                      the question's edit form
 *   POST /QID                      ... saved (title, hint, required, options'
 *                                  words and themes, show_if, page)
 *   POST /QID/move                 direction=up|down, across pages too
 *   POST /QID/hide, /QID/show      sets or takes away "hidden": true
 *   POST /QID/options              label=...&themes=...: a new option
 *   POST /QID/options/OID/hide     ... and /show: one option
 */
int builder_question_route(struct req_ctx *rc, const struct staff_session *sess, const char *id,
			   const char *rest)
{
	int get = strcmp(rc->method, "GET") == 0 || rc->head_only;
	int post = strcmp(rc->method, "POST") == 0;
	char qid[PARSE_MAX_ID + 1], oid[PARSE_MAX_ID + 1];
	const char *tail, *opt;

	if (!builder_segment(rest, "/", qid, &tail))
		return http_send_problem(rc, 404, "There is no staff page at this address.");
	if (http_path_is(tail, "")) {
		if (post)
			return change_question(rc, sess, id, qid, CH_EDIT, NULL);
		return get ? edit_question_page(rc, sess, id, qid, 200, NULL, NULL) :
			http_send_not_allowed(rc, "GET, HEAD, POST", "This page cannot be used that way.");
	}
	enum change what;
	if (http_path_is(tail, "/move"))
		what = CH_MOVE;
	else if (http_path_is(tail, "/hide"))
		what = CH_HIDE;
	else if (http_path_is(tail, "/show"))
		what = CH_SHOW;
	else if (http_path_is(tail, "/options"))
		what = CH_OPT_ADD;
	else if (http_path_under(tail, "/options", &opt) && builder_segment(opt, "/", oid, &opt) &&
		 (http_path_is(opt, "/hide") || http_path_is(opt, "/show")))
		what = http_path_is(opt, "/hide") ? CH_OPT_HIDE : CH_OPT_SHOW;
	else
		return http_send_problem(rc, 404, "There is no staff page at this address.");
	return post ? change_question(rc, sess, id, qid, what, oid) :
		http_send_not_allowed(rc, "POST", "This page cannot be used that way.");
}
