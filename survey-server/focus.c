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
#include "../forms/render_staff.h"
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

/* Which form of a group's page is shown again to be put right. */
enum group_form { GROUP_FORM_NONE, GROUP_FORM_DETAILS, GROUP_FORM_MESSAGE, GROUP_FORM_SEALED };

/* A refused form: which one, what was sent (shown again) and its problems. */
struct group_retry {
	enum group_form form;
	const struct form_body *posted;
	const struct staff_errors *e;
};

/* The posted form and problems for form, or NULLs when another was sent. */
static const struct form_body *retry_posted(const struct group_retry *r, enum group_form form)
{
	return r && r->form == form ? r->posted : NULL;
}

static const struct staff_errors *retry_errors(const struct group_retry *r, enum group_form form)
{
	return r && r->form == form ? r->e : NULL;
}

/* A number input inside a fieldset of several: its label, then the input
 * holding what was sent, the stored value (value >= 0) or nothing. */
static void pair_input(struct sbuf *b, const char *id, const char *name, const char *label,
		       const char *attrs, const struct form_body *posted, int value, int invalid)
{
	sbuf_adds(b, "<span class=\"pair-item\"><label for=\"");
	sbuf_adds(b, id);
	sbuf_adds(b, "\">");
	sbuf_adds(b, label);
	sbuf_adds(b, "</label><input type=\"number\" inputmode=\"numeric\"");
	sbuf_adds(b, attrs);
	sbuf_adds(b, " id=\"");
	sbuf_adds(b, id);
	sbuf_adds(b, "\" name=\"");
	sbuf_adds(b, name);
	sbuf_adds(b, "\" value=\"");
	if (posted)
		sbuf_adds_html(b, staff_posted_or(posted, name, ""));
	else if (value >= 0)
		sbuf_addf(b, "%d", value);
	sbuf_adds(b, invalid ? "\" aria-invalid=\"true\"></span>" : "\"></span>");
}

/* The details form, for a new group (g NULL) or an open one; posted and e
 * when it comes back to be put right. */
static void details_form(struct sbuf *b, const struct staff_session *sess, const struct server *srv,
			 const struct store_focus *g, const struct form_body *posted,
			 const struct staff_errors *e)
{
	char day[11], number[16];

	staff_today(day);
	if (g)
		sbuf_addf(b, "<form method=\"post\" action=\"/staff/groups/%lld\" novalidate>", g->id);
	else
		sbuf_adds(b, "<form method=\"post\" action=\"/staff/groups\" novalidate>");
	staff_csrf_field(b, sess);
	if (!g) {
		const char *chosen = staff_posted_or(posted, "consultation", "");
		render_staff_select_start(b, e, "g-consultation", "consultation", "Consultation");
		for (int i = 0; i < srv->catalog->nconsultations; i++)
			render_staff_option(b, srv->catalog->consultations[i].id,
					    srv->catalog->consultations[i].title,
					    strcmp(chosen, srv->catalog->consultations[i].id) == 0);
		render_staff_select_end(b);
	}
	render_staff_input(b, e, "date", "g-day", "day", "Day", NULL,
			   staff_posted_or(posted, "day", g ? g->day : day), NULL);
	render_staff_input(b, e, "text", "g-district", "district", "District", NULL,
			   staff_posted_or(posted, "district", g ? g->district : NULL), NULL);
	snprintf(number, sizeof number, "%d", g ? g->participants : 8);
	render_staff_input(b, e, "number", "g-participants", "participants",
			   "How many young people took part", NULL,
			   staff_posted_or(posted, "participants", number),
			   " inputmode=\"numeric\" min=\"1\" max=\"200\"");
	int bad = staff_errors_for(e, "g-age-from") != NULL;
	render_staff_field_start(b, e, "g-age-from", "Their ages", NULL, 1);
	sbuf_adds(b, "<div class=\"pair\">");
	pair_input(b, "g-age-from", "age_from", "Youngest", " min=\"5\" max=\"30\"", posted,
		   g ? g->age_from : 11, bad);
	pair_input(b, "g-age-to", "age_to", "Oldest", " min=\"5\" max=\"30\"", posted,
		   g ? g->age_to : 16, bad);
	sbuf_adds(b, "</div>");
	render_staff_field_end(b, 1);
	const char *names[3] = { "girls", "boys", "other_gender" };
	const char *ids[3] = { "g-girls", "g-boys", "g-other_gender" };
	const char *labels[3] = { "Girls", "Boys", "Another way or not said" };
	int values[3] = { g ? g->girls : -1, g ? g->boys : -1, g ? g->other_gender : -1 };
	bad = staff_errors_for(e, "g-girls") != NULL;
	render_staff_field_start(b, e, "g-girls", "Gender mix (optional, as counts)", NULL, 1);
	sbuf_adds(b, "<div class=\"pair\">");
	for (int i = 0; i < 3; i++)
		pair_input(b, ids[i], names[i], labels[i], " min=\"0\" max=\"200\"", posted, values[i], bad);
	sbuf_adds(b, "</div>");
	render_staff_field_end(b, 1);
	sbuf_addf(b, "<button type=\"submit\" class=\"button\">%s</button></form>\n",
		  g ? "Save the details" : "Add the group");
}

/* GET /staff/groups, or the add form again (posted, e) with status. */
static int groups_page(struct req_ctx *rc, const struct staff_session *sess, int status,
		       const struct form_body *posted, const struct staff_errors *e)
{
	struct sbuf *b = &rc->page;
	struct group_list l = { b, 0 };

	staff_page_start(b, sess, "Focus groups", e);
	sbuf_adds(b, "<h1>Focus groups</h1>\n");
	if (store_focus_each(rc->srv->store, list_group, &l))
		return http_send_problem(rc, 503, "Focus groups are not available just now.");
	sbuf_adds(b, l.n ? "</ul>\n" : "<p>No focus groups yet.</p>\n");
	sbuf_adds(b, "<h2>Add a focus group</h2>\n");
	details_form(b, sess, rc->srv, NULL, posted, e);
	render_staff_page_end(b);
	return http_send_page(rc, status);
}

/* Reads the details form into g, noting every problem in e. */
static void read_details(const struct form_body *body, struct store_focus *g, struct staff_errors *e)
{
	const char *day = form_body_get(body, "day");
	const char *district = form_body_get(body, "district");

	if (!day || !day_valid(day, strlen(day)))
		staff_errors_add(e, "g-day", "Give the day of the group, as a date");
	if (!district || !*district)
		staff_errors_add(e, "g-district", "Give the district");
	else if (strlen(district) > STORE_MAX_DISTRICT)
		staff_errors_add(e, "g-district", "Give the district in up to 64 characters");
	int people = !field_int(body, "participants", 1, 200, 0, &g->participants);
	if (!people)
		staff_errors_add(e, "g-participants", "Give how many young people took part, from 1 to 200");
	if (field_int(body, "age_from", 5, 30, 0, &g->age_from) ||
	    field_int(body, "age_to", 5, 30, 0, &g->age_to) || g->age_to < g->age_from)
		staff_errors_add(e, "g-age-from", "Give the youngest and oldest ages, from 5 to 30, "
				 "youngest first");
	if (field_int(body, "girls", 0, 200, 1, &g->girls) ||
	    field_int(body, "boys", 0, 200, 1, &g->boys) ||
	    field_int(body, "other_gender", 0, 200, 1, &g->other_gender)) {
		staff_errors_add(e, "g-girls", "Gender counts are whole numbers from 0 to 200, or leave "
				 "them empty");
	} else if (people) {
		long long mix = (g->girls > 0 ? g->girls : 0) + (g->boys > 0 ? g->boys : 0) +
				(g->other_gender > 0 ? g->other_gender : 0);
		if (mix > g->participants)
			staff_errors_add(e, "g-girls", "The gender counts add up to more than the number "
					 "who took part");
	}
	if (e->n)
		return;
	snprintf(g->day, sizeof g->day, "%s", day);
	snprintf(g->district, sizeof g->district, "%s", district);
}

/* 409 for any change to a locked group, as a staff page. */
static int group_locked(struct req_ctx *rc, const struct staff_session *sess, long long id)
{
	char href[48];

	snprintf(href, sizeof href, "/staff/groups/%lld", id);
	return staff_refuse(rc, sess, 409, "This group is locked",
			    "This group is locked, so it cannot be changed.", href, "Back to the group");
}

static int group_page(struct req_ctx *rc, const struct staff_session *sess, const struct store_focus *g,
		      int status, const struct group_retry *retry);

/* What changed in a group's details, for the audit log ("day 2026-11-20 to
 * 2026-11-21; district ..."). */
static void details_changes(const struct store_focus *was, const struct store_focus *now,
			    char *out, size_t cap)
{
	size_t n = 0;

	out[0] = '\0';
#define CHANGED(cond, ...) do { if ((cond) && n < cap) \
		n += (size_t)snprintf(out + n, cap - n, __VA_ARGS__); } while (0)
	CHANGED(strcmp(was->day, now->day) != 0, "; day %s to %s", was->day, now->day);
	CHANGED(strcmp(was->district, now->district) != 0, "; district %s to %s", was->district,
		now->district);
	CHANGED(was->participants != now->participants, "; %d to %d young people", was->participants,
		now->participants);
	CHANGED(was->age_from != now->age_from || was->age_to != now->age_to, "; ages %d-%d to %d-%d",
		was->age_from, was->age_to, now->age_from, now->age_to);
	CHANGED(was->girls != now->girls || was->boys != now->boys ||
		was->other_gender != now->other_gender, "; the gender mix");
#undef CHANGED
}

/* POST /staff/groups (was NULL) or /staff/groups/ID (was the group). */
static int save_group(struct req_ctx *rc, const struct staff_session *sess, const struct store_focus *was)
{
	struct form_body body;
	struct store_focus g;
	struct staff_errors e = { 0 };
	long long saved = 0;
	int status;

	status = staff_read_post(rc, sess, &body);
	if (status)
		return status;
	if (was && was->locked) {
		form_body_free(&body);
		return group_locked(rc, sess, was->id);
	}
	memset(&g, 0, sizeof g);
	g.id = was ? was->id : 0;
	const char *cid = form_body_get(&body, "consultation");
	const struct form_consultation *c = cid ? staff_consultation(rc->srv, cid) : NULL;
	if (!was && !c)
		staff_errors_add(&e, "g-consultation", "Choose a consultation");
	else if (!was && c->status == FORM_CLOSED)
		staff_errors_add(&e, "g-consultation", "That consultation is closed: it takes no new "
				 "focus groups. Choose another");
	read_details(&body, &g, &e);
	if (e.n) {
		struct group_retry retry = { GROUP_FORM_DETAILS, &body, &e };
		status = was ? group_page(rc, sess, was, 400, &retry) : groups_page(rc, sess, 400, &body, &e);
		form_body_free(&body);
		return status;
	}
	if (!was)
		snprintf(g.consultation, sizeof g.consultation, "%s", cid);
	form_body_free(&body);
	enum sv_err err = store_focus_put(rc->srv->store, &g, &saved);
	if (err == SV_ERR_INVALID)
		return group_locked(rc, sess, g.id);
	if (err)
		return http_send_problem(rc, 503, "The group could not be saved just now.");
	char detail[512], changes[400], location[64];
	if (was)
		details_changes(was, &g, changes, sizeof changes);
	snprintf(detail, sizeof detail, "group %lld%s", saved, was ? changes : "");
	store_audit(rc->srv->store, sess->user.name, was ? "changed a focus group" : "added a focus group",
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

/* The key message form; posted and e when it comes back to be put right. */
static void message_form(struct sbuf *b, const struct staff_session *sess, const struct store_focus *g,
			 const struct taxonomy *t, const struct form_body *posted,
			 const struct staff_errors *e)
{
	char hint[300], first[PARSE_MAX_ID + 16];

	sbuf_addf(b, "<h3>Add a key message</h3>\n<form method=\"post\" "
		  "action=\"/staff/groups/%lld/messages\" novalidate>", g->id);
	staff_csrf_field(b, sess);
	snprintf(hint, sizeof hint, "In a sentence or two, up to %d characters, with no names. Contact "
		 "details are taken out; names are not, unless given as \xe2\x80\x9cmy name is\xe2\x80\xa6\xe2\x80\x9d "
		 "or signed.", STORE_MAX_MESSAGE);
	render_staff_input(b, e, "textarea", "m-text", "text", "What the group said", hint,
			   staff_posted_or(posted, "text", NULL), " rows=\"3\"");
	/* The summary links to the first box of the list. */
	snprintf(first, sizeof first, "m-theme-%s", t->nthemes ? t->themes[0].id : "");
	int bad = staff_errors_for(e, first) != NULL;
	render_staff_field_start(b, e, first, "Themes", NULL, 1);
	sbuf_adds(b, "<div class=\"choices\">");
	for (size_t i = 0; i < t->nthemes; i++) {
		const struct theme *th = &t->themes[i];
		char id[PARSE_MAX_ID + 16];
		snprintf(id, sizeof id, "m-theme-%s", th->id);
		render_staff_choice(b, "checkbox", id, "themes[]", th->id, th->name,
				    staff_posted_has(posted, "themes[]", th->id), bad);
	}
	sbuf_adds(b, "</div>");
	render_staff_field_end(b, 1);
	sbuf_adds(b, "<button type=\"submit\" class=\"button\">Add the key message</button></form>\n");
}

/* The quote or note form; posted and e when it comes back to be put right. */
static void sealed_form(struct sbuf *b, const struct staff_session *sess, const struct store_focus *g,
			const struct form_body *posted, const struct staff_errors *e)
{
	const char *kind = staff_posted_or(posted, "kind", "");
	const char *no_names = staff_errors_for(e, "s-no-names");
	char hint[400];

	sbuf_addf(b, "<form method=\"post\" action=\"/staff/groups/%lld/sealed\" novalidate>", g->id);
	staff_csrf_field(b, sess);
	render_staff_field_start(b, e, "s-quote", "Is it a quote or a note?", NULL, 1);
	sbuf_adds(b, "<div class=\"choices choices-inline\">");
	render_staff_choice(b, "radio", "s-quote", "kind", "quote", "A quote", strcmp(kind, "quote") == 0,
			    staff_errors_for(e, "s-quote") != NULL);
	render_staff_choice(b, "radio", "s-note", "kind", "note", "A note", strcmp(kind, "note") == 0,
			    staff_errors_for(e, "s-quote") != NULL);
	sbuf_adds(b, "</div>");
	render_staff_field_end(b, 1);
	snprintf(hint, sizeof hint, "Up to %d characters. Contact details, social media names and a name "
		 "given as \xe2\x80\x9cmy name is\xe2\x80\xa6\xe2\x80\x9d or signed \xe2\x80\x9c- Jade, 15\xe2\x80\x9d "
		 "are taken out before it is locked. Other names are not recognised: take them out yourself.",
		 FOCUS_MAX_SEALED_CHARS);
	render_staff_input(b, e, "textarea", "s-text", "text", "The words", hint,
			   staff_posted_or(posted, "text", NULL), " rows=\"4\"");
	/* One box, its message above it and its hint below, both read with it. */
	sbuf_adds(b, no_names ? "<div class=\"group group-error\">" : "<div class=\"group\">");
	if (no_names) {
		sbuf_adds(b, "<p class=\"error-message\" id=\"s-no-names-error\"><span class=\"visually-hidden\">"
			  "Error:</span> ");
		sbuf_adds_html(b, no_names);
		sbuf_adds(b, "</p>");
	}
	sbuf_adds(b, "<div class=\"choice\"><input type=\"checkbox\" id=\"s-no-names\" name=\"no_names\" "
		  "value=\"yes\" aria-describedby=\"s-no-names-hint");
	sbuf_adds(b, no_names ? " s-no-names-error\" aria-invalid=\"true\">" : "\">");
	sbuf_adds(b, "<label for=\"s-no-names\">I have checked: these words hold no names</label></div>"
		  "<p class=\"hint\" id=\"s-no-names-hint\">Nobody\xe2\x80\x99s name: not the young "
		  "person\xe2\x80\x99s, nor a friend\xe2\x80\x99s, a teacher\xe2\x80\x99s or anyone else\xe2\x80\x99s. "
		  "Once saved, the words cannot be seen or changed here.</p></div>\n"
		  "<button type=\"submit\" class=\"button\">Save and lock it</button></form>\n");
}

/* The group's page with the given status; retry NULL, or the form to show
 * again with what was sent and its problems. */
static int group_page(struct req_ctx *rc, const struct staff_session *sess, const struct store_focus *g,
		      int status, const struct group_retry *retry)
{
	struct sbuf *b = &rc->page;
	const struct form_consultation *c = staff_consultation(rc->srv, g->consultation);
	struct message_view v = { b, g, sess, c ? c->taxonomy : NULL, 0 };

	if (!c)
		return http_send_problem(rc, 404, "This group's consultation is no longer offered.");
	staff_page_start(b, sess, "Focus group", retry ? retry->e : NULL);
	sbuf_adds(b, "<h1>Focus group: ");
	sbuf_adds_html(b, g->district);
	sbuf_addf(b, ", %s</h1>\n<p>%d young people aged %d to %d.%s</p>\n", g->day, g->participants,
		  g->age_from, g->age_to, g->locked ? " This group is locked: nothing can be changed." : "");
	sbuf_adds(b, "<h2>Key messages</h2>\n<p>Each key message counts once under each theme "
		  "it is tagged with.</p>\n");
	if (store_focus_messages(rc->srv->store, g->id, message_row, &v))
		return http_send_problem(rc, 503, "The group is not available just now.");
	sbuf_adds(b, v.n ? "</ol>\n" : "<p>No key messages yet.</p>\n");
	if (!g->locked)
		message_form(b, sess, g, v.t, retry_posted(retry, GROUP_FORM_MESSAGE),
			     retry_errors(retry, GROUP_FORM_MESSAGE));
	sbuf_addf(b, "<h2>Quotes and notes</h2>\n<p>%d quote%s and %d note%s saved. They are locked as "
		  "soon as they are saved, like survey answers: only the team holding the key can read "
		  "them, in the export.</p>\n", g->quotes, g->quotes == 1 ? "" : "s", g->notes,
		  g->notes == 1 ? "" : "s");
	if (!g->locked) {
		sealed_form(b, sess, g, retry_posted(retry, GROUP_FORM_SEALED),
			    retry_errors(retry, GROUP_FORM_SEALED));
		sbuf_adds(b, "<h2>Details</h2>\n<p>Correct any of them until the group is locked.</p>\n");
		details_form(b, sess, rc->srv, g, retry_posted(retry, GROUP_FORM_DETAILS),
			     retry_errors(retry, GROUP_FORM_DETAILS));
		sbuf_addf(b, "<h2>When the group is finished</h2>\n<form method=\"post\" "
			  "action=\"/staff/groups/%lld/lock\">", g->id);
		staff_csrf_field(b, sess);
		sbuf_adds(b, "<button type=\"submit\" class=\"button button-warning\">Lock the group</button>"
			  "</form>\n");
	}
	render_staff_page_end(b);
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
	struct staff_errors e = { 0 };
	const char *themes[TAXONOMY_MAX_THEMES];
	int indices[TAXONOMY_MAX_THEMES], priorities[TAXONOMY_MAX_PRIORITIES];
	char first[PARSE_MAX_ID + 16];
	size_t n = 0;
	const struct form_consultation *c = staff_consultation(rc->srv, g->consultation);
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	if (g->locked || !c) {
		form_body_free(&body);
		return c ? group_locked(rc, sess, g->id) :
			http_send_problem(rc, 404, "This group's consultation is no longer offered.");
	}
	const char *text = form_body_get(&body, "text");
	for (size_t f = 0; f < body.count && n < TAXONOMY_MAX_THEMES; f++) {
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
	if (!text || !*text)
		staff_errors_add(&e, "m-text", "Write what the group said");
	else if (strlen(text) > STORE_MAX_MESSAGE)
		staff_errors_add(&e, "m-text", "Write what the group said in up to 500 characters");
	snprintf(first, sizeof first, "m-theme-%s", c->taxonomy->nthemes ? c->taxonomy->themes[0].id : "");
	if (n == 0)
		staff_errors_add(&e, first, "Choose at least one theme");
	if (e.n) {
		struct group_retry retry = { GROUP_FORM_MESSAGE, &body, &e };
		status = group_page(rc, sess, g, 400, &retry);
		form_body_free(&body);
		return status;
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
		return group_locked(rc, sess, g->id);
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
	char href[48];

	if (status)
		return status;
	form_body_free(&body);
	enum sv_err err = store_focus_message_delete(rc->srv->store, g->id, message_id);
	snprintf(href, sizeof href, "/staff/groups/%lld", g->id);
	if (err == SV_ERR_INVALID)
		return group_locked(rc, sess, g->id);
	if (err == SV_ERR_NOTFOUND)
		return staff_refuse(rc, sess, 404, "No such key message",
				    "There is no such key message in this group.", href, "Back to the group");
	if (err)
		return http_send_problem(rc, 503, "The key message could not be removed just now.");
	char detail[80];
	snprintf(detail, sizeof detail, "group %lld, message %lld", g->id, message_id);
	store_audit(rc->srv->store, sess->user.name, "removed a key message", detail);
	return http_send_redirect(rc, href);
}

static int add_sealed(struct req_ctx *rc, const struct staff_session *sess, const struct store_focus *g)
{
	struct form_body body;
	struct sbuf clean, payload;
	struct staff_errors e = { 0 };
	unsigned char *sealed = NULL;
	size_t sealed_len = 0;
	int status = staff_read_post(rc, sess, &body);

	if (status)
		return status;
	if (g->locked) {
		form_body_free(&body);
		return group_locked(rc, sess, g->id);
	}
	const char *kind = form_body_get(&body, "kind");
	const char *text = form_body_get(&body, "text");
	const char *no_names = form_body_get(&body, "no_names");
	if (!kind || (strcmp(kind, "quote") != 0 && strcmp(kind, "note") != 0))
		staff_errors_add(&e, "s-quote", "Choose whether it is a quote or a note");
	if (!text || !*text)
		staff_errors_add(&e, "s-text", "Write the words");
	else if (utf8_length(text, strlen(text)) > FOCUS_MAX_SEALED_CHARS)
		staff_errors_add(&e, "s-text", "Write the words in up to 1000 characters");
	/* A form that is whole but for the box is 422; a missing or malformed
	 * part, 400, as before. */
	int malformed = e.n > 0;
	/* The scrubber does not find names in prose: the facilitator confirms
	 * there are none. */
	if (!no_names || strcmp(no_names, "yes") != 0)
		staff_errors_add(&e, "s-no-names", "Tick the box to confirm the words hold no names. Take "
				 "any names out first: they are not removed for you");
	if (e.n) {
		struct group_retry retry = { GROUP_FORM_SEALED, &body, &e };
		status = group_page(rc, sess, g, malformed ? 400 : 422, &retry);
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
	if (err == SV_ERR_TOOBIG) { /* the scrubber's markers made it longer than typing can */
		staff_errors_add(&e, "s-text", "With each contact detail or user name replaced by a note "
				 "such as [email address removed], these words no longer fit. Please take "
				 "some out");
		struct group_retry retry = { GROUP_FORM_SEALED, &body, &e };
		status = group_page(rc, sess, g, 422, &retry);
		form_body_free(&body);
		return status;
	}
	form_body_free(&body);
	if (err == SV_ERR_INVALID)
		return group_locked(rc, sess, g->id);
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

	if (http_path_is(rest, "") || http_path_is(rest, "/")) {
		if (post)
			return save_group(rc, sess, NULL);
		return get ? groups_page(rc, sess, 200, NULL, NULL) :
			http_send_not_allowed(rc, "GET, HEAD, POST", "Not that way.");
	}
	long long id, mid;
	struct store_focus g;
	const char *action, *after;
	if (!http_path_id(rest, &id, &action) || store_focus_get(rc->srv->store, id, &g))
		return http_send_problem(rc, 404, "There is no focus group at this address.");
	if (http_path_is(action, "")) {
		if (post)
			return save_group(rc, sess, &g);
		return get ? group_page(rc, sess, &g, 200, NULL) :
			http_send_not_allowed(rc, "GET, HEAD, POST", "Not that way.");
	}
	/* "/messages", "/sealed", "/lock", "/messages/MID/delete": buttons, POST only */
	int message = http_path_under(action, "/messages", &after) && http_path_id(after, &mid, &after) &&
		http_path_is(after, "/delete");
	if (!message && !http_path_is(action, "/messages") && !http_path_is(action, "/sealed") &&
	    !http_path_is(action, "/lock"))
		return http_send_problem(rc, 404, "There is no focus group page at this address.");
	if (!post)
		return http_send_not_allowed(rc, "POST", "Use the buttons on the group's page.");
	if (message)
		return delete_message(rc, sess, &g, mid);
	if (http_path_is(action, "/messages"))
		return add_message(rc, sess, &g);
	if (http_path_is(action, "/sealed"))
		return add_sealed(rc, sess, &g);
	return lock_group(rc, sess, &g);
}
