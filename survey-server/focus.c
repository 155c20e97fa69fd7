/*
 * focus.c - focus groups: 6 to 12 young people with a facilitator.  What is
 * kept is aggregate: how many took part, their age range and (optionally)
 * gender mix as counts; the group's key messages, each tagged with themes and
 * counted in the themes table's focus_group column; and a few quotes and
 * notes, scrubbed of contact details and sealed like survey free text, so
 * that once saved even staff pages cannot show them again.  The scrubber
 * does not find names in prose, so a quote or note is only taken once the
 * facilitator ticks that it holds none.
 *
 *   GET  /staff/groups                   groups, and a form to add one
 *   POST /staff/groups                   add a group
 *   GET  /staff/groups/ID                the group: details, key messages, quotes
 *   POST /staff/groups/ID                change its details (until locked)
 *   POST /staff/groups/ID/messages       add a key message with its themes
 *   POST /staff/groups/ID/messages/MID/delete
 *   POST /staff/groups/ID/sealed         add a quote or a note (sealed)
 *   POST /staff/groups/ID/lock           lock it for good
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../core/scrub.h"
#include "../forms/render.h"
#include "http.h"
#include "server.h"

#define FOCUS_MAX_SEALED_CHARS 1000   /* a quote or a note */
#define FOCUS_SEAL_SIZE (4 * SEAL_PAD_BLOCK) /* every quote and note padded alike */
/* The longest payload: the head with the longest group number and kind, then
 * every character at its most bytes in JSON (sbuf_add_json_plain). */
_Static_assert(sizeof "{\"v\":1,\"group\":-9223372036854775808,\"kind\":\"quote\",\"text\":\"\"}" +
	       SBUF_JSON_PLAIN_MAX * FOCUS_MAX_SEALED_CHARS <= FOCUS_SEAL_SIZE,
	       "every quote and note fits one sealed size (sizeof counts the padding byte)");

static int field_int(const struct form_body *b, const char *name, long long min, long long max,
		     int optional, int *out)
{
	const char *v = form_body_get(b, name);
	long long n;

	if (!v || !*v) {
		*out = -1;
		return optional ? 0 : -1;
	}
	if (parse_int(v, strlen(v), min, max, &n))
		return -1;
	*out = (int)n;
	return 0;
}

struct group_list { struct sbuf *b; int n; };

static void list_group(void *arg, const struct store_focus *g)
{
	struct group_list *l = arg;

	if (!l->n++)
		sbuf_adds(l->b, "<ul class=\"survey-list\">\n");
	sbuf_addf(l->b, "<li><a href=\"/staff/groups/%lld\">", g->id);
	sbuf_adds_html(l->b, g->district);
	sbuf_addf(l->b, ", %s, %d young people%s</a></li>\n", g->day, g->participants,
		  g->locked ? " (locked)" : "");
}

/* The details form, for a new group (g NULL) or an open one. */
static void details_form(struct sbuf *b, const struct staff_session *sess, const struct server *srv,
			 const struct store_focus *g)
{
	char day[11];

	staff_today(day);
	if (g)
		sbuf_addf(b, "<form method=\"post\" action=\"/staff/groups/%lld\" novalidate>", g->id);
	else
		sbuf_adds(b, "<form method=\"post\" action=\"/staff/groups\" novalidate>");
	staff_csrf_field(b, sess);
	if (!g) {
		sbuf_adds(b, "\n<div class=\"group\"><label class=\"label\" for=\"g-consultation\">"
			  "Consultation</label><select id=\"g-consultation\" name=\"consultation\">");
		for (int i = 0; i < srv->catalog->nconsultations; i++) {
			sbuf_adds(b, "<option value=\"");
			sbuf_adds_html(b, srv->catalog->consultations[i].id);
			sbuf_adds(b, "\">");
			sbuf_adds_html(b, srv->catalog->consultations[i].title);
			sbuf_adds(b, "</option>");
		}
		sbuf_adds(b, "</select></div>");
	}
	sbuf_adds(b, "\n<div class=\"group\"><label class=\"label\" for=\"g-day\">Day</label>"
		  "<input type=\"date\" id=\"g-day\" name=\"day\" value=\"");
	sbuf_adds_html(b, g ? g->day : day);
	sbuf_adds(b, "\"></div>\n<div class=\"group\"><label class=\"label\" for=\"g-district\">District"
		  "</label><input type=\"text\" id=\"g-district\" name=\"district\" value=\"");
	if (g)
		sbuf_adds_html(b, g->district);
	sbuf_addf(b, "\"></div>\n<div class=\"group\"><label class=\"label\" for=\"g-participants\">"
		  "How many young people took part</label><input type=\"number\" inputmode=\"numeric\" "
		  "min=\"1\" max=\"200\" id=\"g-participants\" name=\"participants\" value=\"%d\"></div>\n"
		  "<fieldset class=\"question\"><legend class=\"label\">Their ages</legend><div class=\"pair\">"
		  "<label for=\"g-age-from\">Youngest</label><input type=\"number\" inputmode=\"numeric\" "
		  "min=\"5\" max=\"30\" id=\"g-age-from\" name=\"age_from\" value=\"%d\">"
		  "<label for=\"g-age-to\">Oldest</label><input type=\"number\" inputmode=\"numeric\" "
		  "min=\"5\" max=\"30\" id=\"g-age-to\" name=\"age_to\" value=\"%d\"></div></fieldset>\n"
		  "<fieldset class=\"question\"><legend class=\"label\">Gender mix (optional, as counts)</legend>"
		  "<div class=\"pair\">",
		  g ? g->participants : 8, g ? g->age_from : 11, g ? g->age_to : 16);
	const char *names[3] = { "girls", "boys", "other_gender" };
	const char *labels[3] = { "Girls", "Boys", "Another way or not said" };
	int values[3] = { g ? g->girls : -1, g ? g->boys : -1, g ? g->other_gender : -1 };
	for (int i = 0; i < 3; i++) {
		sbuf_addf(b, "<label for=\"g-%s\">%s</label><input type=\"number\" inputmode=\"numeric\" "
			  "min=\"0\" max=\"200\" id=\"g-%s\" name=\"%s\"", names[i], labels[i], names[i], names[i]);
		if (values[i] >= 0)
			sbuf_addf(b, " value=\"%d\"", values[i]);
		sbuf_adds(b, ">");
	}
	sbuf_addf(b, "</div></fieldset>\n<button type=\"submit\" class=\"button\">%s</button></form>\n",
		  g ? "Save the details" : "Add the group");
}

static int groups_page(struct req_ctx *rc, const struct staff_session *sess)
{
	struct sbuf *b = &rc->page;
	struct group_list l = { b, 0 };

	render_staff_start(b, "Focus groups", sess->user.name, sess->csrf, 0);
	sbuf_adds(b, "<h1>Focus groups</h1>\n");
	if (store_focus_each(rc->srv->store, list_group, &l))
		return http_send_problem(rc, 503, "Focus groups are not available just now.");
	sbuf_adds(b, l.n ? "</ul>\n" : "<p>No focus groups yet.</p>\n");
	sbuf_adds(b, "<h2>Add a focus group</h2>\n");
	details_form(b, sess, rc->srv, NULL);
	render_staff_end(b);
	return http_send_page(rc, 200);
}

/* Reads the details form into g; a message for the user, or NULL. */
static const char *read_details(const struct form_body *body, struct store_focus *g)
{
	const char *day = form_body_get(body, "day");
	const char *district = form_body_get(body, "district");

	if (!day || !day_valid(day, strlen(day)))
		return "Give the day of the group.";
	if (!district || !*district || strlen(district) > STORE_MAX_DISTRICT)
		return "Give the district (up to 64 characters).";
	if (field_int(body, "participants", 1, 200, 0, &g->participants))
		return "Give how many young people took part, from 1 to 200.";
	if (field_int(body, "age_from", 5, 30, 0, &g->age_from) ||
	    field_int(body, "age_to", 5, 30, 0, &g->age_to) || g->age_to < g->age_from)
		return "Give the youngest and oldest ages, from 5 to 30, youngest first.";
	if (field_int(body, "girls", 0, 200, 1, &g->girls) ||
	    field_int(body, "boys", 0, 200, 1, &g->boys) ||
	    field_int(body, "other_gender", 0, 200, 1, &g->other_gender))
		return "Gender counts are whole numbers, or leave them empty.";
	long long mix = (g->girls > 0 ? g->girls : 0) + (g->boys > 0 ? g->boys : 0) +
			(g->other_gender > 0 ? g->other_gender : 0);
	if (mix > g->participants)
		return "The gender counts add up to more than the number who took part.";
	snprintf(g->day, sizeof g->day, "%s", day);
	snprintf(g->district, sizeof g->district, "%s", district);
	return NULL;
}

static int save_group(struct req_ctx *rc, const struct staff_session *sess, long long id)
{
	struct form_body body;
	struct store_focus g;
	long long saved = 0;
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	memset(&g, 0, sizeof g);
	g.id = id;
	const char *problem = read_details(&body, &g);
	const char *cid = form_body_get(&body, "consultation");
	const struct form_consultation *c = cid ? staff_consultation(rc->srv, cid) : NULL;
	if (!id && !c)
		problem = "Choose a consultation.";
	else if (!id && c->status == FORM_CLOSED)
		problem = "That consultation is closed: it takes no new focus groups.";
	if (!id && !problem)
		snprintf(g.consultation, sizeof g.consultation, "%s", cid);
	form_body_free(&body);
	if (problem)
		return http_send_problem(rc, 400, problem);
	enum sv_err err = store_focus_put(rc->srv->store, &g, &saved);
	if (err == SV_ERR_INVALID)
		return http_send_problem(rc, 409, "This group is locked, so it cannot be changed.");
	if (err)
		return http_send_problem(rc, 503, "The group could not be saved just now.");
	char detail[64], location[64];
	snprintf(detail, sizeof detail, "group %lld", saved);
	store_audit(rc->srv->store, sess->user.name, id ? "changed a focus group" : "added a focus group",
		    detail);
	snprintf(location, sizeof location, "/staff/groups/%lld", saved);
	return http_send_redirect(rc, location);
}

struct message_view {
	struct sbuf *b;
	const struct store_focus *g;
	const struct staff_session *sess;
	const struct taxonomy *t;
	int n;
};

static void message_row(void *arg, long long id, const char *text, const char *themes)
{
	struct message_view *v = arg;
	const char *p = themes;

	if (!v->n++)
		sbuf_adds(v->b, "<ol class=\"messages\">\n");
	sbuf_adds(v->b, "<li><p>");
	sbuf_adds_html(v->b, text);
	sbuf_adds(v->b, "</p><p class=\"hint\">Themes: ");
	while (*p) {
		size_t n = strcspn(p, ",");
		char tid[64];
		snprintf(tid, sizeof tid, "%.*s", (int)(n < 63 ? n : 63), p);
		int i = taxonomy_theme_index(v->t, tid);
		sbuf_adds_html(v->b, i >= 0 ? v->t->themes[i].name : tid);
		p += n;
		if (*p == ',') {
			sbuf_adds(v->b, "; ");
			p++;
		}
	}
	sbuf_adds(v->b, "</p>");
	if (!v->g->locked) {
		sbuf_addf(v->b, "<form method=\"post\" action=\"/staff/groups/%lld/messages/%lld/delete\">",
			  v->g->id, id);
		staff_csrf_field(v->b, v->sess);
		sbuf_addf(v->b, "<button type=\"submit\" class=\"link-button\">Remove<span "
			  "class=\"visually-hidden\"> key message %d</span></button></form>", v->n);
	}
	sbuf_adds(v->b, "</li>\n");
}

/* A quote or note sent back to be put right: what was wrong and what was typed. */
struct sealed_retry {
	const char *problem;  /* the message for the error summary */
	const char *field;    /* the id of the field it links to */
	const char *kind;     /* "quote", "note" or "" */
	const char *text;     /* the words, shown again so nothing typed is lost */
};

/* The group's page with the given status; retry NULL, or a quote or note to
 * show again with its problem. */
static int group_page(struct req_ctx *rc, const struct staff_session *sess, const struct store_focus *g,
		      int status, const struct sealed_retry *retry)
{
	struct sbuf *b = &rc->page;
	const struct form_consultation *c = staff_consultation(rc->srv, g->consultation);
	struct message_view v = { b, g, sess, c ? c->taxonomy : NULL, 0 };
	const char *kind = retry ? retry->kind : "";

	if (!c)
		return http_send_problem(rc, 404, "This group's consultation is no longer offered.");
	render_staff_start(b, "Focus group", sess->user.name, sess->csrf, retry != NULL);
	if (retry)
		render_staff_problem(b, retry->problem, retry->field);
	sbuf_adds(b, "<h1>Focus group: ");
	sbuf_adds_html(b, g->district);
	sbuf_addf(b, ", %s</h1>\n<p>%d young people aged %d to %d.%s</p>\n", g->day, g->participants,
		  g->age_from, g->age_to, g->locked ? " This group is locked: nothing can be changed." : "");
	sbuf_adds(b, "<h2>Key messages</h2>\n<p>Each key message counts once under each theme "
		  "it is tagged with.</p>\n");
	if (store_focus_messages(rc->srv->store, g->id, message_row, &v))
		return http_send_problem(rc, 503, "The group is not available just now.");
	sbuf_adds(b, v.n ? "</ol>\n" : "<p>No key messages yet.</p>\n");
	if (!g->locked) {
		sbuf_addf(b, "<h3>Add a key message</h3>\n<form method=\"post\" "
			  "action=\"/staff/groups/%lld/messages\" novalidate>", g->id);
		staff_csrf_field(b, sess);
		sbuf_addf(b, "<div class=\"group\"><label class=\"label\" for=\"m-text\">What the group said"
			  "</label><p class=\"hint\" id=\"m-text-hint\">In a sentence or two, up to %d "
			  "characters, with no names. Contact details are taken out; names are not, unless "
			  "given as \xe2\x80\x9cmy name is\xe2\x80\xa6\xe2\x80\x9d or signed.</p><textarea id=\"m-text\" name=\"text\" "
			  "rows=\"3\" aria-describedby=\"m-text-hint\"></textarea></div>\n"
			  "<fieldset class=\"question\"><legend class=\"label\">Themes</legend><div class=\"choices\">",
			  STORE_MAX_MESSAGE);
		for (size_t i = 0; i < v.t->nthemes; i++) {
			const struct theme *th = &v.t->themes[i];
			sbuf_adds(b, "<div class=\"choice\"><input type=\"checkbox\" id=\"m-theme-");
			sbuf_adds_html(b, th->id);
			sbuf_adds(b, "\" name=\"themes[]\" value=\"");
			sbuf_adds_html(b, th->id);
			sbuf_adds(b, "\"><label for=\"m-theme-");
			sbuf_adds_html(b, th->id);
			sbuf_adds(b, "\">");
			sbuf_adds_html(b, th->name);
			sbuf_adds(b, "</label></div>");
		}
		sbuf_adds(b, "</div></fieldset>\n<button type=\"submit\" class=\"button\">Add the key message"
			  "</button></form>\n");
	}
	sbuf_addf(b, "<h2>Quotes and notes</h2>\n<p>%d quote%s and %d note%s saved. They are locked as "
		  "soon as they are saved, like survey answers: only the team holding the key can read "
		  "them, in the export.</p>\n", g->quotes, g->quotes == 1 ? "" : "s", g->notes,
		  g->notes == 1 ? "" : "s");
	if (!g->locked) {
		sbuf_addf(b, "<form method=\"post\" action=\"/staff/groups/%lld/sealed\" novalidate>", g->id);
		staff_csrf_field(b, sess);
		sbuf_addf(b, "<fieldset class=\"question\"><legend class=\"label\">Is it a quote or a note?"
			  "</legend><div class=\"choices choices-inline\">"
			  "<div class=\"choice\"><input type=\"radio\" id=\"s-quote\" name=\"kind\" value=\"quote\"%s>"
			  "<label for=\"s-quote\">A quote</label></div>"
			  "<div class=\"choice\"><input type=\"radio\" id=\"s-note\" name=\"kind\" value=\"note\"%s>"
			  "<label for=\"s-note\">A note</label></div></div></fieldset>\n"
			  "<div class=\"group\"><label class=\"label\" for=\"s-text\">The words</label>"
			  "<p class=\"hint\" id=\"s-text-hint\">Up to %d characters. Contact details, social "
			  "media names and a name given as \xe2\x80\x9cmy name is\xe2\x80\xa6\xe2\x80\x9d or signed \xe2\x80\x9c- Jade, 15\xe2\x80\x9d are taken "
			  "out before it is locked. Other names are not recognised: take them out yourself."
			  "</p><textarea id=\"s-text\" name=\"text\" rows=\"4\" aria-describedby=\"s-text-hint\">",
			  strcmp(kind, "quote") == 0 ? " checked" : "", strcmp(kind, "note") == 0 ? " checked" : "",
			  FOCUS_MAX_SEALED_CHARS);
		if (retry && retry->text)
			sbuf_adds_html(b, retry->text);
		sbuf_adds(b, "</textarea></div>\n<div class=\"group\"><div class=\"choice\">"
			  "<input type=\"checkbox\" id=\"s-no-names\" name=\"no_names\" value=\"yes\" "
			  "aria-describedby=\"s-no-names-hint\"><label for=\"s-no-names\">I have checked: "
			  "these words hold no names</label></div><p class=\"hint\" id=\"s-no-names-hint\">"
			  "Nobody\xe2\x80\x99s name: not the young person\xe2\x80\x99s, nor a friend\xe2\x80\x99s, a teacher\xe2\x80\x99s or anyone "
			  "else\xe2\x80\x99s. Once saved, the words cannot be seen or changed here.</p></div>\n"
			  "<button type=\"submit\" class=\"button\">Save and lock it</button></form>\n");
		sbuf_adds(b, "<h2>Details</h2>\n");
		details_form(b, sess, rc->srv, g);
		sbuf_addf(b, "<h2>When the group is finished</h2>\n<form method=\"post\" "
			  "action=\"/staff/groups/%lld/lock\">", g->id);
		staff_csrf_field(b, sess);
		sbuf_adds(b, "<button type=\"submit\" class=\"button button-warning\">Lock the group</button>"
			  "</form>\n");
	}
	render_staff_end(b);
	return http_send_page(rc, status);
}

/* Scrubs text into out; SV_OK or the scrubber's error. */
static enum sv_err scrubbed(const char *text, struct sbuf *out)
{
	return scrub_text(text, strlen(text), out, NULL);
}

static int add_message(struct req_ctx *rc, const struct staff_session *sess, const struct store_focus *g)
{
	struct form_body body;
	struct sbuf clean;
	const char *themes[TAXONOMY_MAX_THEMES];
	int indices[TAXONOMY_MAX_THEMES], priorities[TAXONOMY_MAX_PRIORITIES];
	size_t n = 0;
	const struct form_consultation *c = staff_consultation(rc->srv, g->consultation);
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	const char *text = form_body_get(&body, "text");
	for (size_t f = 0; c && f < body.count && n < TAXONOMY_MAX_THEMES; f++) {
		if (strcmp(body.fields[f].name, "themes[]") != 0)
			continue;
		int i = taxonomy_theme_index(c->taxonomy, body.fields[f].value);
		int seen = 0;
		for (size_t k = 0; k < n; k++)
			seen |= indices[k] == i;
		if (i >= 0 && !seen) {
			indices[n] = i;
			themes[n++] = c->taxonomy->themes[i].id;
		}
	}
	if (!c || !text || !*text || strlen(text) > STORE_MAX_MESSAGE || n == 0) {
		form_body_free(&body);
		return http_send_problem(rc, 400, "A key message needs its words (up to 500 characters) "
					 "and at least one theme.");
	}
	int np = form_themes_priorities(c->taxonomy, indices, (int)n, priorities);
	sbuf_init(&clean, 4 * STORE_MAX_MESSAGE);
	enum sv_err err = scrubbed(text, &clean);
	if (!err)
		err = store_focus_message_add(rc->srv->store, g->id, clean.buf ? clean.buf : "", themes, n,
					      priorities, (size_t)np);
	sbuf_free(&clean);
	form_body_free(&body);
	if (err == SV_ERR_INVALID)
		return http_send_problem(rc, 409, "This group is locked, so it cannot be changed.");
	if (err)
		return http_send_problem(rc, 503, "The key message could not be saved just now.");
	char detail[64], location[64];
	snprintf(detail, sizeof detail, "group %lld", g->id);
	store_audit(rc->srv->store, sess->user.name, "added a key message", detail);
	snprintf(location, sizeof location, "/staff/groups/%lld", g->id);
	return http_send_redirect(rc, location);
}

static int delete_message(struct req_ctx *rc, const struct staff_session *sess,
			  const struct store_focus *g, long long message_id)
{
	struct form_body body;
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	form_body_free(&body);
	enum sv_err err = store_focus_message_delete(rc->srv->store, g->id, message_id);
	if (err == SV_ERR_INVALID)
		return http_send_problem(rc, 409, "This group is locked, so it cannot be changed.");
	if (err == SV_ERR_NOTFOUND)
		return http_send_problem(rc, 404, "There is no such key message in this group.");
	if (err)
		return http_send_problem(rc, 503, "The key message could not be removed just now.");
	char detail[80], location[64];
	snprintf(detail, sizeof detail, "group %lld, message %lld", g->id, message_id);
	store_audit(rc->srv->store, sess->user.name, "removed a key message", detail);
	snprintf(location, sizeof location, "/staff/groups/%lld", g->id);
	return http_send_redirect(rc, location);
}

static int add_sealed(struct req_ctx *rc, const struct staff_session *sess, const struct store_focus *g)
{
	struct form_body body;
	struct sbuf clean, payload;
	unsigned char *sealed = NULL;
	size_t sealed_len = 0;
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	const char *kind = form_body_get(&body, "kind");
	const char *text = form_body_get(&body, "text");
	if (!kind || (strcmp(kind, "quote") != 0 && strcmp(kind, "note") != 0) || !text || !*text ||
	    utf8_length(text, strlen(text)) > FOCUS_MAX_SEALED_CHARS) {
		form_body_free(&body);
		return http_send_problem(rc, 400, "Choose quote or note, and write the words (up to 1000 characters).");
	}
	/* The scrubber does not find names in prose: the facilitator confirms
	 * there are none (a locked group is refused below, ticked or not). */
	const char *no_names = form_body_get(&body, "no_names");
	if (!g->locked && (!no_names || strcmp(no_names, "yes") != 0)) {
		struct sealed_retry retry = { "Tick the box to confirm the words hold no names. Take any "
					      "names out first: they are not removed for you.", "s-no-names",
					      kind, text };
		status = group_page(rc, sess, g, 422, &retry);
		form_body_free(&body);
		return status;
	}
	sbuf_init(&clean, 16 * 1024);
	sbuf_init(&payload, 32 * 1024);
	enum sv_err err = scrubbed(text, &clean);
	if (!err) {
		sbuf_addf(&payload, "{\"v\":1,\"group\":%lld,\"kind\":\"%s\",\"text\":\"", g->id, kind);
		sbuf_add_json_plain(&payload, clean.buf ? clean.buf : "", clean.len);
		sbuf_adds(&payload, "\"}");
		err = payload.err;
	}
	const struct seal_public *key = NULL;
	if (!err)
		err = server_key(rc->srv, &key);
	if (!err)
		err = seal_box_fixed(key, payload.buf, payload.len, FOCUS_SEAL_SIZE,
				     &sealed, &sealed_len); /* one length, or SV_ERR_TOOBIG */
	if (!err)
		err = store_focus_seal_add(rc->srv->store, g->id, kind, key->id, sealed, sealed_len);
	if (clean.buf)
		sodium_memzero(clean.buf, clean.cap);
	if (payload.buf)
		sodium_memzero(payload.buf, payload.cap);
	sbuf_free(&clean);
	sbuf_free(&payload);
	free(sealed);
	char detail[64];
	snprintf(detail, sizeof detail, "group %lld: a %s", g->id, kind);
	form_body_free(&body);
	if (err == SV_ERR_INVALID)
		return http_send_problem(rc, 409, "This group is locked, so it cannot be changed.");
	if (err == SV_ERR_TOOBIG) /* the scrubber's markers made it longer than typing can */
		return http_send_problem(rc, 422, "With each contact detail or user name replaced by a "
					 "note such as [email address removed], these words no longer fit. "
					 "Please take some out.");
	if (err)
		return http_send_problem(rc, 503, "That could not be saved just now.");
	store_audit(rc->srv->store, sess->user.name, "sealed a quote or note", detail);
	char location[64];
	snprintf(location, sizeof location, "/staff/groups/%lld", g->id);
	return http_send_redirect(rc, location);
}

static int lock_group(struct req_ctx *rc, const struct staff_session *sess, const struct store_focus *g)
{
	struct form_body body;
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	form_body_free(&body);
	if (store_focus_lock(rc->srv->store, g->id))
		return http_send_problem(rc, 503, "The group could not be locked just now.");
	char detail[64], location[64];
	snprintf(detail, sizeof detail, "group %lld", g->id);
	store_audit(rc->srv->store, sess->user.name, "locked a focus group", detail);
	snprintf(location, sizeof location, "/staff/groups/%lld", g->id);
	return http_send_redirect(rc, location);
}

int focus_route(struct req_ctx *rc, const struct staff_session *sess, const char *rest)
{
	int get = strcmp(rc->method, "GET") == 0 || rc->head_only;
	int post = strcmp(rc->method, "POST") == 0;

	if (!*rest || strcmp(rest, "/") == 0) {
		if (post)
			return save_group(rc, sess, 0);
		return get ? groups_page(rc, sess) : http_send_problem(rc, 405, "Not that way.");
	}
	const char *digits = rest + 1;
	size_t n = strspn(digits, "0123456789");
	long long id, mid;
	struct store_focus g;
	const char *action = digits + n;
	if (n == 0 || n > 15 || parse_int(digits, n, 1, 999999999999999LL, &id) ||
	    store_focus_get(rc->srv->store, id, &g))
		return http_send_problem(rc, 404, "There is no focus group at this address.");
	if (!*action) {
		if (post)
			return save_group(rc, sess, id);
		return get ? group_page(rc, sess, &g, 200, NULL) : http_send_problem(rc, 405, "Not that way.");
	}
	if (!post)
		return http_send_problem(rc, 405, "Use the buttons on the group's page.");
	if (strcmp(action, "/messages") == 0)
		return add_message(rc, sess, &g);
	if (strcmp(action, "/sealed") == 0)
		return add_sealed(rc, sess, &g);
	if (strcmp(action, "/lock") == 0)
		return lock_group(rc, sess, &g);
	if (strncmp(action, "/messages/", 10) == 0) {
		const char *m = action + 10;
		size_t k = strspn(m, "0123456789");
		if (k > 0 && k <= 15 && strcmp(m + k, "/delete") == 0 &&
		    !parse_int(m, k, 1, 999999999999999LL, &mid))
			return delete_message(rc, sess, &g, mid);
	}
	return http_send_problem(rc, 404, "There is no focus group page at this address.");
}
